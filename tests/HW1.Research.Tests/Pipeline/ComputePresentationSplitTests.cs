using HW1.Research.Artifacts;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

/// <summary>A copy of the repository's sources (no build outputs, no artifacts), built once for the tests that edit it.</summary>
public sealed class RepositoryCopy : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-split-").FullName;

    public RepositoryCopy()
    {
        foreach (var file in new[] { "HW1.Research.sln", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props",
            "global.json", "CONTRIBUTING.md" })
            File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(Directory.CreateDirectory(Repo).FullName, file));
        foreach (var folder in new[] { "build", "src", "experiments", "report" })
            Copy(Path.Combine(RepoPaths.Root, folder), Path.Combine(Repo, folder));
        Build();
    }

    public string Repo => Path.Combine(_root, "repo");

    public string ArtifactsOf(string name) => Path.Combine(_root, "artifacts-" + name);

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

    /// <summary>Builds the copy's report tool and experiments (a build that fails fails the test with its output).</summary>
    public void Build()
    {
        foreach (var project in new[] { Path.Combine("report", "HW1.Report", "HW1.Report.csproj"),
            Path.Combine("experiments", "HW1.Experiments", "HW1.Experiments.csproj") })
        {
            var (code, output, error) = ReportTool.RunProgram("dotnet", ["build", Path.Combine(Repo, project), "-c", "Release", "-v", "q"],
                TimeSpan.FromMinutes(6));
            Assert.True(code == 0, output + error);
        }
    }

    /// <summary>Runs the copy's report tool in the quick profile into <paramref name="artifacts"/>; CI is unset, so a new experiment records its
    /// first snapshot.</summary>
    public (int Code, string Output) Tool(string artifacts, params string[] arguments)
    {
        var tool = Directory.GetFiles(Path.Combine(Repo, "report", "HW1.Report", "bin", "Release"), "HW1.Report.dll", SearchOption.AllDirectories)
            .Single();
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };
        foreach (var a in (string[])[tool, .. arguments, "--profile", "quick"]) info.ArgumentList.Add(a);
        info.Environment["HW1_ARTIFACTS_DIR"] = artifacts;
        info.Environment["HW1_DATA_DIR"] = RepoPaths.DataDir;
        info.Environment.Remove("CI");
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"the report tool ({string.Join(' ', arguments)}) did not end within 10 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>
/// The compute/presentation split on the real pipeline, in a copy of the repository: an experiment is run, then a sentence of its
/// report text and a claim's threshold are edited and the copy rebuilt; the next run trains nothing (its result is read under the same
/// compute key) and the stored section carries the new sentence and the new verdict. Then its procedure is edited: the compute key
/// changes and the next run trains again. And CONTRIBUTING.md's walk-through: its example experiment, added as a new file, reaches
/// the quick report.
/// </summary>
public sealed class ComputePresentationSplitTests(RepositoryCopy copy) : IClassFixture<RepositoryCopy>
{
    private string Repo => copy.Repo;
    private string Artifacts => copy.ArtifactsOf("split");
    private string ExperimentFile => Path.Combine(Repo, "experiments", "HW1.Experiments", "Optimization", "GradientNormTests.cs");

    private void Build() => copy.Build();

    private (int Code, string Output) Run() => copy.Tool(Artifacts, "experiments", "--only", "GradientNormTests", "--configuration", "Release");

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
        var first = Run();
        Assert.True(first.Code == 0, first.Output);
        Assert.DoesNotContain("without training", first.Output, StringComparison.Ordinal);
        var key = StoredKey();
        Assert.All(Section().Claims, c => Assert.True(c.Holds || c.KnownFailure != null, c.ToString()));

        // Presentation only: a sentence, and the threshold of the growth claim raised far past what any seed measures.
        Edit("the mini-batch loss fell from a mean of", "the mini-batch loss went down from a mean of");
        Edit("(first tenth's)\").Above(1).Decide(", "(first tenth's)\").Above(1e6).Decide(");
        Build();
        var second = Run();
        Assert.Contains("without training", second.Output, StringComparison.Ordinal);
        // Not even the seeds were read one by one: the whole result was.
        var progress = File.ReadAllText(Path.Combine(Artifacts, "quick", "progress", "GradientNormTests.Reproduces.log"));
        Assert.Contains("GradientNormTests: result read from", progress, StringComparison.Ordinal);
        Assert.DoesNotContain("read from its replica", progress, StringComparison.Ordinal);
        Assert.Equal(key, StoredKey());
        var section = Section();
        Assert.Contains(section.Comments, c => c.Contains("went down from a mean of", StringComparison.Ordinal));
        var growth = Assert.Single(section.Claims, c => c.Statement.Contains("grows", StringComparison.Ordinal));
        Assert.False(growth.Holds);
        // The rule's sentence is written from the threshold it decides against, so it moved with it.
        Assert.EndsWith("lies above 1000000", growth.Rule, StringComparison.Ordinal);
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
        Assert.True(File.Exists(SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", Artifacts), "GradientNormTests", 41) +
            StoredResults.SetAsideSuffix), third.Output);
    }

    [Fact]
    public void The_contributing_walkthrough_s_new_experiment_reaches_the_quick_report()
    {
        var guide = File.ReadAllText(Path.Combine(Repo, "CONTRIBUTING.md"));
        var begin = guide.IndexOf("<!-- walkthrough:begin -->", StringComparison.Ordinal);
        var end = guide.IndexOf("<!-- walkthrough:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "CONTRIBUTING.md has lost its walk-through markers");
        var block = guide[begin..end];
        var code = block[(block.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length)..block.LastIndexOf("```",
            StringComparison.Ordinal)];
        var file = Path.Combine(Repo, "experiments", "HW1.Experiments", "DeepVsShallow", "FitLineTests.cs");
        File.WriteAllText(file, code);
        copy.Build();
        var artifacts = copy.ArtifactsOf("walkthrough");
        var run = copy.Tool(artifacts, "experiments", "--only", "FitLineTests", "--configuration", "Release");
        Assert.True(run.Code == 0, run.Output);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, "__snapshots__", "FitLineTests_quick.snap")),
            "the first run records the new experiment's snapshot");
        var section = SectionStore.Read(SectionStore.PathOf("quick", "1-1-fit-line", artifacts), "quick");
        Assert.Equal(SectionStatus.Reproduced, section.Status);
        Assert.Contains(section.Claims, c => c.Statement == "A small MLP fits a straight line (quick profile: 3 seeds)" && c.Holds);
        // The report is rendered from what is stored; the other questions were not run here, so it lists them as missing.
        copy.Tool(artifacts, "render");
        var summary = File.ReadAllText(Path.Combine(artifacts, "quick", "report", "summary.md"));
        Assert.Contains("Example: fit a straight line", summary, StringComparison.Ordinal);
        Assert.Contains("A small MLP fits a straight line", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(artifacts, "quick", "report", "HW1-Report.pdf")));
    }
}
