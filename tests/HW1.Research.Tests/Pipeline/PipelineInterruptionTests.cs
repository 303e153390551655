using System.Diagnostics;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;
using HW1.Research.Tests.Reporting;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// Kills the real pipeline (the report tool's <c>experiments</c> command and its <c>dotnet test</c> child) in the middle
/// of an experiment, then runs it again: nothing partial or stale may be used, and the report comes out whole.
/// </summary>
public sealed class PipelineInterruptionTests : IDisposable
{
    private const string Profile = "quick";
    private const string Only = "GradientNormTests";
    private readonly string _artifacts = Directory.CreateTempSubdirectory("hw1-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_artifacts, recursive: true);

    private Process Start(params string[] arguments) =>
        ReportTool.Start([.. arguments, "--profile", Profile], new Dictionary<string, string?>
        {
            ["HW1_ARTIFACTS_DIR"] = _artifacts,
            ["HW1_DATA_DIR"] = RepoPaths.DataDir,
        });

    private (int Code, string Output) Run(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' ran for more than 10 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void A_killed_run_leaves_nothing_that_a_rerun_trusts()
    {
        // A section of this experiment from an older build: the report must never present it as this run's.
        var stale = ReportRenderingTests.Sections()[0] with { Id = "1-2-gradient-norm", Profile = Profile, RunKey = "from-an-older-build" };
        var stalePath = SectionStore.Write(stale, _artifacts);

        using (var pipeline = Start("experiments", "--only", Only, "--configuration", ReportTool.Configuration))
        {
            _ = pipeline.StandardOutput.ReadToEndAsync();
            _ = pipeline.StandardError.ReadToEndAsync();
            var progress = Path.Combine(_artifacts, Profile, "progress");
            var clock = Stopwatch.StartNew();
            // Wait until the experiment is training (it has logged progress), then kill the whole process tree.
            while (!(Directory.Exists(progress) && Directory.GetFiles(progress).Any(f => new FileInfo(f).Length > 0)))
            {
                Assert.False(pipeline.HasExited, "the pipeline ended before the experiment started training");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "the experiment logged no progress within 5 minutes");
                Thread.Sleep(200);
            }
            pipeline.Kill(entireProcessTree: true);
            pipeline.WaitForExit();
        }

        // The stale section is untouched, and no run recorded this experiment as done.
        Assert.Equal("from-an-older-build", SectionStore.Read(stalePath, Profile).RunKey);
        var log = PipelineLog.Read(Profile, _artifacts);
        Assert.True(log == null || log.Experiments.All(e => !e.Name.Contains(Only, StringComparison.Ordinal)),
            "the killed experiment was recorded in the pipeline log");

        // Rendering now must refuse: the only stored section is not this build's.
        var early = Run("render");
        Assert.NotEqual(0, early.Code);
        Assert.False(File.Exists(Path.Combine(ReportWriter.FolderOf(Profile, _artifacts), ReportWriter.PdfName)),
            "a report was rendered from a stale section");

        // The re-run runs the experiment again (nothing to reuse), and the report is whole and passes its check.
        var rerun = Run("experiments", "--only", Only, "--configuration", ReportTool.Configuration);
        Assert.True(rerun.Code == 0, rerun.Output);
        var outcome = PipelineLog.Read(Profile, _artifacts)!.Experiments.Single(e => e.Name.Contains(Only, StringComparison.Ordinal));
        Assert.Equal(PipelineExperiment.Ran, outcome.Outcome);
        var fresh = SectionStore.Read(stalePath, Profile);
        Assert.Equal(outcome.Key, fresh.RunKey);

        var render = Run("render");
        Assert.True(render.Code == 0, render.Output);
        var check = Run("check");
        Assert.True(check.Code == 0, check.Output);
    }
}
