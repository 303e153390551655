using HW1.Research.Artifacts;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The compute/presentation split on the real pipeline, in a copy of the repository: an experiment is run, then a sentence of its
/// report text and a claim's threshold are edited and the copy rebuilt; the next run trains nothing (its result is read under the same
/// compute key) and the stored section carries the new sentence and the new verdict. Then its procedure is edited: the compute key
/// changes and the next run trains again.
/// </summary>
public sealed class ComputePresentationSplitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-split-").FullName;
    private string Repo => Path.Combine(_root, "repo");
    private string Artifacts => Path.Combine(_root, "artifacts");
    private string ExperimentFile => Path.Combine(Repo, "experiments", "HW1.Experiments", "Optimization", "GradientNormTests.cs");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "__mismatch__")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private void Build()
    {
        foreach (var project in new[] { Path.Combine("report", "HW1.Report", "HW1.Report.csproj"), Path.Combine("experiments", "HW1.Experiments", "HW1.Experiments.csproj") })
        {
            var (code, output, error) = ReportTool.RunProgram("dotnet", ["build", Path.Combine(Repo, project), "-c", "Release", "-v", "q"], TimeSpan.FromMinutes(6));
            Assert.True(code == 0, output + error);
        }
    }

    private (int Code, string Output) Run()
    {
        var tool = Directory.GetFiles(Path.Combine(Repo, "report", "HW1.Report", "bin", "Release"), "HW1.Report.dll", SearchOption.AllDirectories).Single();
        var environment = new Dictionary<string, string?> { ["HW1_ARTIFACTS_DIR"] = Artifacts, ["HW1_DATA_DIR"] = RepoPaths.DataDir };
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { tool, "experiments", "--profile", "quick", "--only", "GradientNormTests", "--configuration", "Release" }) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "the experiment did not end within 10 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private void Edit(string from, string to)
    {
        var text = File.ReadAllText(ExperimentFile);
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"the experiment's file no longer holds: {from}");
        File.WriteAllText(ExperimentFile, text.Replace(from, to, StringComparison.Ordinal));
    }

    private ReportSection Section() => SectionStore.Read(SectionStore.PathOf("quick", "1-2-gradient-norm", Artifacts), "quick");

    private string StoredKey() => StoredResults.KeyOf(StoredResults.PathOf(StoredResults.FolderOf("quick", Artifacts), "GradientNormTests"))
        ?? throw new InvalidOperationException("no stored result");

    [Fact]
    public void Editing_a_sentence_and_a_claim_redecides_without_training_and_editing_the_procedure_trains_again()
    {
        foreach (var file in new[] { "HW1.Research.sln", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
            File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(Directory.CreateDirectory(Repo).FullName, file));
        foreach (var folder in new[] { "build", "src", "experiments", "report" })
            Copy(Path.Combine(RepoPaths.Root, folder), Path.Combine(Repo, folder));
        Build();

        var first = Run();
        Assert.True(first.Code == 0, first.Output);
        Assert.DoesNotContain("without training", first.Output, StringComparison.Ordinal);
        var key = StoredKey();
        Assert.All(Section().Claims, c => Assert.True(c.Holds || c.KnownFailure != null, c.ToString()));

        // Presentation only: a sentence, and the threshold of the growth claim raised far past what any seed measures.
        Edit("the mini-batch loss fell from a mean of", "the mini-batch loss went down from a mean of");
        Edit("r.Of(t => t.NormRatio), 1),", "r.Of(t => t.NormRatio), 1e6),");
        Build();
        var second = Run();
        Assert.Contains("deciding and describing again without training", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("seed 41: read from its replica", second.Output, StringComparison.Ordinal); // not even the seeds: the whole result
        Assert.Equal(key, StoredKey());
        var section = Section();
        Assert.Contains(section.Comments, c => c.Contains("went down from a mean of", StringComparison.Ordinal));
        var growth = Assert.Single(section.Claims, c => c.Statement.Contains("grows", StringComparison.Ordinal));
        Assert.False(growth.Holds);
        Assert.Equal(SectionStatus.NotReproduced, section.Status);
        Assert.True(second.Code != 0, "a claim that no longer holds fails the run: " + second.Output);

        // The procedure: the test set it evaluates on. The compute key changes and the seeds are trained again.
        Edit("using var data = Mnist(c.TrainExamples, 2_000);", "using var data = Mnist(c.TrainExamples, 1_000);");
        Build();
        var third = Run();
        Assert.DoesNotContain("without training", third.Output, StringComparison.Ordinal);
        Assert.NotEqual(key, StoredKey());
        // The old result and seeds were set aside by name, not read and not left in the way.
        var results = StoredResults.FolderOf("quick", Artifacts);
        Assert.True(File.Exists(StoredResults.PathOf(results, "GradientNormTests") + StoredResults.SetAsideSuffix), third.Output);
        Assert.True(File.Exists(SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", Artifacts), "GradientNormTests", 41) + StoredResults.SetAsideSuffix), third.Output);
    }
}
