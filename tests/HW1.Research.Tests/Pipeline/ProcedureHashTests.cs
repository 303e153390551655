using System.Reflection;
using HW1.Research.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The procedure hash against edits of real source: a small experiment assembly is compiled in memory from one text, then from the
/// same text with one edit, and the two hashes are compared. Edits of what can change a number (the procedure, a helper it calls, a
/// lambda, a static field it reads, an observer that compute code calls back, the configuration) must change the hash; edits of a
/// claim's threshold, a sentence, the question's title, or a method added beside the procedure must leave it.
/// </summary>
public sealed class ProcedureHashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-procedure-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Source = """
        using System;
        using System.Linq;
        namespace Fixture;
        public sealed record Question(string Id, string Title);
        public abstract class Experiment<TConfig, TResult>
        {
            public abstract Question Question { get; }
            public abstract TConfig Quick { get; }
            public abstract TConfig Full { get; }
            protected abstract TResult Run(TConfig c);
            protected abstract bool Claim(TConfig c, TResult r);
            protected abstract string Describe(TConfig c, TResult r);
            protected T PerSeed<T>(int seed, Func<int, T> train) => train(seed /*BASE*/);
        }
        public interface IObserver { void After(double x); }
        public static class Trainer
        {
            public static double Train(int seed, IObserver o) { double v = seed * 0.5; o.After(v); return v; }
        }
        public sealed class Demo : Experiment<Demo.Config, Demo.Result>
        {
            public override Question Question { get; } = new("demo", "/*TITLE*/A demo");
            public sealed record Config(int Seeds, double Rate);
            public override Config Quick => new(/*SEEDS*/3, 0.1);
            public override Config Full => Quick with { Seeds = 5 };
            public sealed record Result(double[] Values) { public double Mean => Values.Average(); }
            private static readonly double Scale = /*SCALE*/2.0;
            private sealed class Recorder : IObserver { public double Last; public void After(double x) => Last = x * /*OBSERVER*/1.0; }
            /*BEFORE*/
            protected override Result Run(Config c)
            {
                static double Scaled(double v) => v /*LOCAL*/* 1.0;
                return new(Enumerable.Range(0, c.Seeds).Select(s => Scaled(PerSeed(s, k => Helper(k) /*LAMBDA*/* c.Rate))).ToArray());
            }
            private static class Sink { public static double Last; }
            private readonly struct Tally : IObserver { public void After(double x) => Sink.Last = x * /*STRUCT*/1.0; }
            private static double Helper(int k)
            {
                var r = new Recorder(); Trainer.Train(k, new Tally()); return Trainer.Train(k, r) * Scale + r.Last /*HELPER*/;
            }
            protected override bool Claim(Config c, Result r) => r.Mean > /*THRESHOLD*/0.5;
            protected override string Describe(Config c, Result r) => $"/*SENTENCE*/The mean is {r.Mean:0.00}.";
            /*AFTER*/
        }
        """;

    private int _built;

    /// <summary>The fixture with <paramref name="marker"/> (and what follows it up to a space or quote) replaced as given, compiled to a
    /// file.</summary>
    private string Build(string? marker = null, string? replacement = null)
    {
        var text = marker == null ? Source : Source.Replace(marker, replacement, StringComparison.Ordinal);
        Assert.True(marker == null || text != Source, $"the marker {marker} is not in the fixture");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p =>
            Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Linq.dll" or "netstandard.dll"
            or "System.Collections.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Fixture", [CSharpSyntaxTree.ParseText(text)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, deterministic: true,
            nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(_folder, $"{_built++}", "Fixture.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = File.Create(path))
        {
            var emitted = compilation.Emit(file);
            Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        }
        return path;
    }

    private string HashOf(string? marker = null, string? replacement = null) => ProcedureHash.Of(Build(marker, replacement), [], "Fixture.Demo");

    [Theory]
    [InlineData("/*THRESHOLD*/0.5", "0.7")]
    [InlineData("/*SENTENCE*/The mean is", "On average it is")]
    [InlineData("/*TITLE*/A demo", "Another title")]
    [InlineData("/*BEFORE*/", "private static int Unused(int k) => k + 1; private int Lambda() => new[] { 1, 2 }.Select(x => x * 3).Sum();")]
    [InlineData("/*AFTER*/", "private string More(Result r) => string.Join(\",\", r.Values.Select(v => v.ToString()));")]
    public void A_claim_a_sentence_the_title_or_a_new_method_leave_the_procedure_hash(string marker, string replacement) =>
        Assert.Equal(HashOf(), HashOf(marker, replacement));

    [Theory]
    [InlineData("/*LAMBDA*/* c.Rate", "+ c.Rate")]
    [InlineData("/*HELPER*/", "+ 1")]
    [InlineData("/*SCALE*/2.0", "2.5")]
    [InlineData("/*OBSERVER*/1.0", "1.5")]
    [InlineData("/*SEEDS*/3", "4")]
    [InlineData("Seeds = 5", "Seeds = 6")]
    [InlineData("/*BASE*/", "+ 1")]
    [InlineData("/*LOCAL*/* 1.0", "* 2.0")]
    [InlineData("/*STRUCT*/1.0", "2.0")]
    public void An_edit_of_the_procedure_or_what_it_reaches_changes_the_procedure_hash(string marker, string replacement) =>
        Assert.NotEqual(HashOf(), HashOf(marker, replacement));

    [Fact]
    public void The_same_source_built_twice_hashes_the_same() => Assert.Equal(HashOf(), HashOf());

    [Fact]
    public void A_class_without_a_procedure_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => ProcedureHash.Of(Build(), [], "Fixture.Trainer"));
        Assert.Contains("Fixture.Trainer", error.Message, StringComparison.Ordinal);
        Assert.Contains("Run", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The experiments assembly this solution built, and the reporting assembly its procedures may reach.</summary>
    private static (string Experiments, string Reporting) Built()
    {
        var bin = Path.Combine(RepoPaths.Root, "experiments", "HW1.Experiments", "bin", ReportTool.Configuration);
        var experiments = Directory.GetFiles(bin, "HW1.Experiments.dll", SearchOption.AllDirectories).First();
        return (experiments, Path.Combine(Path.GetDirectoryName(experiments)!, "HW1.Research.Reporting.dll"));
    }

    [Fact]
    public void Every_real_experiment_has_its_own_procedure_and_the_walk_leaves_out_its_claims_and_text()
    {
        var (experiments, reporting) = Built();
        var names = ExperimentCatalog.Read(experiments).Select(n => n[..n.LastIndexOf('.')]).ToList();
        Assert.True(names.Count >= 10, $"found {names.Count} experiments");
        var hashes = names.ToDictionary(n => n, n => ProcedureHash.Of(experiments, [reporting], n));
        Assert.Equal(names.Count, hashes.Values.Distinct().Count());
        var (_, methods, _) = ProcedureHash.Walk(experiments, [reporting], "HW1.Experiments.Optimization.GradientNormTests");
        Assert.Contains(methods, m => m.Contains("GradientNormTests::Run(", StringComparison.Ordinal));
        // The recorder is handed to the trainer, which calls it back: taken with its construction.
        Assert.Contains(methods, m => m.Contains("GradientNormTests/Recorder::AfterBackward(", StringComparison.Ordinal));
        Assert.Contains(methods, m => m.Contains("::PerSeed(", StringComparison.Ordinal));
        foreach (var presentation in new[] { "::Claims(", "::Describe(", "::Snapshot(", "::Reproduces(" })
            Assert.DoesNotContain(methods, m => m.Contains(presentation, StringComparison.Ordinal));
    }
}
