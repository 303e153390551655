using HW1.Research.Artifacts;
using HW1.Research.Pipeline;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The real pipeline runs two quick experiments two at a time into one artifacts folder, and as two shards (each one experiment,
/// one at a time) into two others that are then merged: the stored numbers must be the same bit for bit, because each experiment
/// is its own process with its own threads and seeds.
/// </summary>
public sealed class ParallelRunTests : IDisposable
{
    private const string Only = "GradientNormTests,ErrorSurfaceTests";
    private readonly string _together = Directory.CreateTempSubdirectory("hw1-parallel-2-").FullName;
    private readonly string _shards = Directory.CreateTempSubdirectory("hw1-shards-").FullName;

    public void Dispose()
    {
        Directory.Delete(_together, recursive: true);
        Directory.Delete(_shards, recursive: true);
    }

    private static (int Code, string Output) Tool(string artifacts, params string[] arguments)
    {
        var (code, output, error) = ReportTool.Run([.. arguments, "--profile", "quick"],
            new Dictionary<string, string?> { ["HW1_ARTIFACTS_DIR"] = artifacts, ["HW1_DATA_DIR"] = RepoPaths.DataDir },
            TimeSpan.FromMinutes(10));
        return (code, output + error);
    }

    private static (int Code, string Output) Experiments(string artifacts, int parallel, string? shard = null) =>
        Tool(artifacts, ["experiments", "--only", Only, "--parallel", $"{parallel}", "--configuration", ReportTool.Configuration, .. shard == null ? Array.Empty<string>() : ["--shard", shard]]);

    [Fact]
    public void Two_experiments_at_once_and_two_shards_merged_store_the_same_numbers()
    {
        var together = Experiments(_together, parallel: 2);
        Assert.True(together.Code == 0, together.Output);
        Assert.Contains("2 experiments to run, 2 at a time", together.Output, StringComparison.Ordinal);
        var shards = new[] { Path.Combine(_shards, "1"), Path.Combine(_shards, "2") };
        for (int i = 0; i < 2; i++)
        {
            var shard = Experiments(shards[i], parallel: 1, shard: $"{i + 1}/2");
            Assert.True(shard.Code == 0, shard.Output);
            Assert.Contains($"shard {i + 1}/2: 1 of the selected experiment(s)", shard.Output, StringComparison.Ordinal);
        }
        var merged = Path.Combine(_shards, "merged");
        var merge = Tool(merged, "merge", "--from", string.Join(',', shards));
        Assert.True(merge.Code == 0, merge.Output);

        var a = SectionStore.ReadAll("quick", _together);
        var b = SectionStore.ReadAll("quick", merged);
        Assert.Equal(new[] { "1-2-error-surface", "1-2-gradient-norm" }, a.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(a.Select(s => s.Id), b.Select(s => s.Id));
        Assert.Empty(SectionComparison.Compare(a, b));
        // The merged run names every experiment under the same keys, so its report selects every section.
        var log = PipelineLog.Read("quick", merged)!;
        Assert.Equal(PipelineLog.Read("quick", _together)!.Experiments.Select(e => (e.Name, e.Key)).Order(), log.Experiments.Select(e => (e.Name, e.Key)).Order());
        Assert.Equal(2, log.MergedFrom.Count);
        Assert.Empty(HW1.Research.Reporting.ReportBuilder.Select(b, log).Missing);
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
