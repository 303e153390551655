using HW1.Research.Artifacts;
using HW1.Research.Pipeline;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The real pipeline runs two quick experiments one process at a time, two processes at a time into another artifacts folder (the
/// replicated one split into two seed shares and completed from them, the other whole), and as two shards into two others that are
/// then merged: one experiment runs whole in the first shard, the other (replicated) has its seeds split between the shards and is
/// completed by the merge from their replicas. The stored numbers must be the same bit for bit, because each experiment is its own
/// process with its own threads and seeds, and each seed seeds its own generator.
/// </summary>
public sealed class ParallelRunTests : IDisposable
{
    private const string Only = "GradientNormTests,ErrorSurfaceTests";
    private readonly string _alone = Directory.CreateTempSubdirectory("hw1-parallel-1-").FullName;
    private readonly string _together = Directory.CreateTempSubdirectory("hw1-parallel-2-").FullName;
    private readonly string _shards = Directory.CreateTempSubdirectory("hw1-shards-").FullName;

    public void Dispose()
    {
        Directory.Delete(_alone, recursive: true);
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
        Tool(artifacts,
        ["experiments", "--only", Only, "--parallel", $"{parallel}", "--configuration", ReportTool.Configuration,
            .. shard == null ? Array.Empty<string>() : ["--shard", shard]]);

    [Fact]
    public void Two_experiments_at_once_and_two_shards_merged_store_the_same_numbers()
    {
        var alone = Experiments(_alone, parallel: 1);
        Assert.True(alone.Code == 0, alone.Output);
        var together = Experiments(_together, parallel: 2);
        Assert.True(together.Code == 0, together.Output);
        // Every core busy: GradientNorm's seeds in two shares at once beside ErrorSurface, then its completion from the replicas.
        Assert.Contains("2 experiments to run, 2 processes at a time (--parallel=2), each with its own 2 threads: 1 replicated one(s) split into 2 " +
            "seed shares each", together.Output, StringComparison.Ordinal);
        Assert.Contains("GradientNormTests.Reproduces seed share 1/2: seed share 1/2 done", together.Output, StringComparison.Ordinal);
        Assert.Contains("GradientNormTests.Reproduces seed share 2/2: seed share 2/2 done", together.Output, StringComparison.Ordinal);
        Assert.Contains("GradientNormTests.Reproduces: completed in", together.Output, StringComparison.Ordinal);
        var completion = File.ReadAllText(Path.Combine(_together, "quick", "progress", "GradientNormTests.Reproduces.log"));
        Assert.Equal(3, completion.Split('\n').Count(l => l.Contains(": read from its replica", StringComparison.Ordinal)));
        Assert.Empty(SectionComparison.Compare(SectionStore.ReadAll("quick", _alone), SectionStore.ReadAll("quick", _together)));
        var shards = new[] { Path.Combine(_shards, "1"), Path.Combine(_shards, "2") };
        for (int i = 0; i < 2; i++)
        {
            var shard = Experiments(shards[i], parallel: 1, shard: $"{i + 1}/2");
            Assert.True(shard.Code == 0, shard.Output);
            // ErrorSurface runs whole in the first shard; GradientNorm replicates its seeds, so each shard trains its share of them.
            Assert.Contains($"shard {i + 1}/2: {1 - i} of the 1 whole experiment(s)", shard.Output, StringComparison.Ordinal);
            var share = PipelineLog.Read("quick", shards[i])!.Experiments.Single(e => e.Name.Contains("GradientNormTests", StringComparison.Ordinal));
            Assert.Equal(PipelineExperiment.Partial, share.Outcome);
            // The quick profile's 3 seeds start where the one whole experiment stopped (rotation 1): position 1 in the first share,
            // 0 and 2 in the second.
            Assert.Equal(i == 0 ? ["seed-42.json"] : ["seed-41.json", "seed-43.json"], share.Replicas.Keys.Order(StringComparer.Ordinal));
            Assert.Equal($"{i + 1}/2+1", share.Share);
            Assert.False(File.Exists(SectionStore.PathOf("quick", "1-2-gradient-norm", shards[i])), "a seed share stores no section");
        }
        var merged = Path.Combine(_shards, "merged");
        var merge = Tool(merged, "merge", "--from", string.Join(',', shards), "--configuration", ReportTool.Configuration);
        Assert.True(merge.Code == 0, merge.Output);
        Assert.Contains("GradientNormTests.Reproduces: 3 seed replica(s) from 2 share(s)", merge.Output, StringComparison.Ordinal);
        // The completion read every seed from the shards' replicas and trained none.
        var progress = File.ReadAllText(Path.Combine(merged, "quick", "progress", "GradientNormTests.Reproduces.log"));
        Assert.Equal(3, progress.Split('\n').Count(l => l.Contains(": read from its replica", StringComparison.Ordinal)));

        var a = SectionStore.ReadAll("quick", _together);
        var b = SectionStore.ReadAll("quick", merged);
        Assert.Equal(new[] { "1-2-error-surface", "1-2-gradient-norm" }, a.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(a.Select(s => s.Id), b.Select(s => s.Id));
        Assert.Empty(SectionComparison.Compare(a, b));
        // The merged run names every experiment under the same keys, so its report selects every section.
        var log = PipelineLog.Read("quick", merged)!;
        Assert.Equal(PipelineLog.Read("quick", _together)!.Experiments.Select(e => (e.Name, e.Key)).Order(),
            log.Experiments.Select(e => (e.Name, e.Key)).Order());
        Assert.Equal(2, log.MergedFrom.Count);
        Assert.Empty(HW1.Research.Reporting.ReportBuilder.Select(b, log).Missing);
    }

    [Fact]
    public void A_run_stopped_during_a_seed_resumes_there_and_stores_the_same_numbers()
    {
        var folder = Path.Combine(_together, "resume");
        string[] run = ["experiments", "--only", "GradientNormTests", "--configuration", ReportTool.Configuration];
        var first = Tool(folder, run);
        Assert.True(first.Code == 0, first.Output);
        var before = SectionStore.ReadAll("quick", folder);
        // As if the process had been stopped while training the last seed: the first two seeds stored, no whole result, no section, no log.
        Directory.Delete(SectionStore.Folder("quick", folder), recursive: true);
        File.Delete(StoredResults.PathOf(StoredResults.FolderOf("quick", folder), "GradientNormTests"));
        File.Delete(PipelineLog.PathOf("quick", folder));
        File.Delete(SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", folder), "GradientNormTests", 43));
        var again = Tool(folder, run);
        Assert.True(again.Code == 0, again.Output);
        var progress = File.ReadAllLines(Path.Combine(folder, "quick", "progress", "GradientNormTests.Reproduces.log"));
        Assert.Equal(["seed 41", "seed 42"],
            progress.Where(l => l.Contains(": read from its replica", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..l.IndexOf(':', l.IndexOf("] ", StringComparison.Ordinal))]));
        Assert.Empty(SectionComparison.Compare(before, SectionStore.ReadAll("quick", folder)));
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
