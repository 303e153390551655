using HW1.Research.Artifacts;
using HW1.Research.Pipeline;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The real pipeline runs two quick experiments two at a time and one at a time, into two artifacts folders: the stored
/// numbers must be the same bit for bit, because each experiment is its own process with its own threads and seeds.
/// </summary>
public sealed class ParallelRunTests : IDisposable
{
    private const string Only = "GradientNormTests,ErrorSurfaceTests";
    private readonly string _together = Directory.CreateTempSubdirectory("hw1-parallel-2-").FullName;
    private readonly string _alone = Directory.CreateTempSubdirectory("hw1-parallel-1-").FullName;

    public void Dispose()
    {
        Directory.Delete(_together, recursive: true);
        Directory.Delete(_alone, recursive: true);
    }

    private static (int Code, string Output) Experiments(string artifacts, int parallel)
    {
        var (code, output, error) = ReportTool.Run(
            ["experiments", "--only", Only, "--parallel", $"{parallel}", "--configuration", ReportTool.Configuration, "--profile", "quick"],
            new Dictionary<string, string?> { ["HW1_ARTIFACTS_DIR"] = artifacts, ["HW1_DATA_DIR"] = RepoPaths.DataDir },
            TimeSpan.FromMinutes(10));
        return (code, output + error);
    }

    [Fact]
    public void Two_experiments_at_once_store_the_same_numbers_as_one_at_a_time()
    {
        var together = Experiments(_together, parallel: 2);
        Assert.True(together.Code == 0, together.Output);
        Assert.Contains("2 experiments to run, 2 at a time", together.Output, StringComparison.Ordinal);
        var alone = Experiments(_alone, parallel: 1);
        Assert.True(alone.Code == 0, alone.Output);

        var a = SectionStore.ReadAll("quick", _together);
        var b = SectionStore.ReadAll("quick", _alone);
        Assert.Equal(new[] { "1-2-error-surface", "1-2-gradient-norm" }, a.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(a.Select(s => s.Id), b.Select(s => s.Id));
        Assert.Empty(SectionComparison.Compare(a, b));
        // Both runs recorded every experiment in the experiments' order.
        Assert.Equal(PipelineLog.Read("quick", _alone)!.Experiments.Select(e => e.Name), PipelineLog.Read("quick", _together)!.Experiments.Select(e => e.Name));
    }

    [Theory]
    [InlineData(95.0, 30.0, "; about 1:05 left (it took 1:35 last time)")]
    [InlineData(20.0, 30.0, "; past last time's duration")]
    [InlineData(null, 30.0, "")]
    public void The_progress_line_gives_the_time_left_from_the_previous_run(double? last, double elapsed, string expected) =>
        Assert.Equal(expected, ExperimentRunner.Remaining(TimeSpan.FromSeconds(elapsed), last));

    [Fact]
    public void Several_only_texts_select_every_experiment_that_contains_any()
    {
        string[] names = ["A.GradientNormTests.X", "A.ErrorSurfaceTests.Y", "A.SharpnessTests.Z"];
        Assert.Equal(["A.GradientNormTests.X", "A.ErrorSurfaceTests.Y"], ExperimentRunner.Select(names, "gradientnorm, ErrorSurface"));
    }
}
