using System.Text.Json;
using HW1.Research.Artifacts;
using HW1.Research.Pipeline;
using HW1.Research.Tests.Reporting;

namespace HW1.Research.Tests.Pipeline;

public sealed class MakespanTests : IDisposable
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("hw1-makespan-").FullName;

    public void Dispose() => Directory.Delete(_artifacts, recursive: true);

    // A replicates 4 seeds of 5 s (wall 21 s: 1 s besides the seeds); B and C run whole (8 s, 2 s). Catalog order B, A, C.
    private static readonly ExperimentTime A = new("N.ATests.Reproduces", 21, [5, 5, 5, 5]);
    private static readonly ExperimentTime B = new("N.BTests.Reproduces", 8, []);
    private static readonly ExperimentTime C = new("N.CTests.Reproduces", 2, []);
    private static readonly ExperimentTime[] All = [B, A, C];

    [Fact]
    public void One_process_at_a_time_takes_the_sum_and_whole_experiments_go_longest_first_to_the_first_free_slot()
    {
        Assert.Equal(31, Makespan.WholeExperiments(All, 1));
        Assert.Equal(31, Makespan.Seeds(All, 1));
        // Longest first on 2 slots: A (21) | B (8), C (2): 21.
        Assert.Equal(21, Makespan.WholeExperiments(All, 2));
        // More slots than experiments: the longest experiment.
        Assert.Equal(21, Makespan.WholeExperiments(All, 8));
    }

    [Fact]
    public void Seeds_as_tasks_spread_a_replicated_experiment_and_its_remainder_follows_its_last_seed()
    {
        // 2 slots, longest first: B 0-8 | seeds 0-5, 5-10; then 8-13 | 10-15; C 13-15; A's remainder after 15: 16.
        Assert.Equal(16, Makespan.Seeds(All, 2));
        // 8 slots: every seed at once (0-5), the remainder 5-6; B ends at 8.
        Assert.Equal(8, Makespan.Seeds(All, 8));
        Assert.Equal(1, A.Remainder, 12);
    }

    [Fact]
    public void Slurm_follows_submit_sh_assignment_and_the_merge_pays_the_remainders()
    {
        // Whole experiments in catalog order B → shard 1, C → shard 2; A's seeds 0, 2 → shard 1 and 1, 3 → shard 2: 18 | 12.
        var (shards, merge) = Makespan.Slurm(All, 2);
        Assert.Equal(18, shards);
        Assert.Equal(1, merge, 12);
        // One node runs everything but the remainders.
        Assert.Equal(30, Makespan.Slurm(All, 1).Shards);
        // 3 nodes: B → 1, C → 2, and A's seeds start where the whole ones stopped, (2 + k) mod 3 + 1: 3, 1, 2, 3: 13 | 7 | 10.
        // Without the rotation seed 0 would go to shard 1 beside B: 18.
        Assert.Equal(13, Makespan.Slurm(All, 3).Shards);
    }

    [Fact]
    public void Read_takes_each_sections_wall_time_and_the_seed_times_of_replicas_of_its_compute_key()
    {
        var section = ReportRenderingTests.Sections()[0] with { Id = "1-2-a", Profile = "quick", WallSeconds = 21 };
        SectionStore.Write(section, _artifacts);
        var folder = ExperimentRunner.ReplicaFolderOf("quick", _artifacts, A.Name);
        var result = JsonSerializer.SerializeToElement(new[] { 1.0 });
        SeedReplicas.Write(SeedReplicas.PathOf(Path.GetDirectoryName(folder)!, "ATests", 41),
            new SeedReplica("ATests", "compute", "quick", 0, 41, result, Seconds: 7));
        SeedReplicas.Write(SeedReplicas.PathOf(Path.GetDirectoryName(folder)!, "ATests", 42),
            new SeedReplica("ATests", "compute", "quick", 0, 42, result, Seconds: 9));
        // A replica of another compute key (an older build) is not this run's seed.
        SeedReplicas.Write(SeedReplicas.PathOf(Path.GetDirectoryName(folder)!, "ATests", 43),
            new SeedReplica("ATests", "older", "quick", 0, 43, result, Seconds: 99));
        new PipelineLog("quick", DateTimeOffset.UnixEpoch, 30)
        {
            Experiments = [new PipelineExperiment(A.Name, "run", PipelineExperiment.Ran, 21) { ComputeKey = "compute", Sections = ["1-2-a"] }],
        }.Write(_artifacts);

        var read = Assert.Single(Makespan.Read(_artifacts, "quick"));
        Assert.Equal(A.Name, read.Name);
        Assert.Equal(21, read.WallSeconds);
        Assert.Equal([7.0, 9.0], read.SeedSeconds);
        Assert.Equal(5, read.Remainder, 12);
    }
}
