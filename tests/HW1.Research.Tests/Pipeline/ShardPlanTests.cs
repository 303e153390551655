using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class ShardPlanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-shard-plan-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Whole experiments A (100 s) and B (30 s); R replicates 3 seeds of 60, 50 and 40 s (wall 155 s).
    private static readonly ExperimentTime A = new("N.ATests.Reproduces", 100, []);
    private static readonly ExperimentTime B = new("N.BTests.Reproduces", 30, []);
    private static readonly ExperimentTime R = new("N.RTests.Reproduces", 155, [60, 50, 40]);

    [Fact]
    public void Tasks_go_longest_first_to_the_shard_with_the_least_work()
    {
        // A 100 → 1; R's 60 → 2; R's 50 → 2 (60 < 100); R's 40 → 1 (100 < 110); B 30 → 2 (110 < 140): 140 | 140.
        var plan = ShardPlan.Balance([A, B, R], 2, "full", "here");
        Assert.Equal(1, plan.Whole[A.Name]);
        Assert.Equal(2, plan.Whole[B.Name]);
        Assert.Equal([2, 2, 1], plan.Seeds[R.Name]);
        Assert.Equal([140.0, 140.0], plan.PredictedSeconds);
        // The round of submit.sh for the same work: A → 1, B → 2, R's seeds from (2 + 0 + k) mod 2 + 1: 1, 2, 1: 200 | 80.
        Assert.Equal(200, Makespan.Slurm([A, B, R], 2).Shards);
        Assert.Equal(140, Makespan.SlurmPlanned([A, B, R], 2).Shards);
    }

    [Fact]
    public void Every_seed_of_a_planned_experiment_has_exactly_one_owner_and_seeds_past_the_plan_follow_the_round()
    {
        var plan = ShardPlan.Balance([A, B, R], 3, "full", "here");
        for (int position = 0; position < 7; position++)
        {
            var owners = Enumerable.Range(1, 3)
                .Where(i => SeedReplicas.Owns(plan.ShareOf(new Shard(i, 3) { Rotation = 2 }, R.Name), position)).ToList();
            Assert.True(owners.Count == 1, $"seed position {position}: owners {string.Join(", ", owners)}");
            if (position < 3) Assert.Equal(plan.Seeds[R.Name][position], owners[0]);
            else Assert.Equal(((position + 2) % 3) + 1, owners[0]);
        }
        // An experiment the plan does not name keeps the round.
        Assert.Null(plan.ShareOf(new Shard(1, 3), "N.OtherTests.Reproduces").Assignment);
    }

    [Fact]
    public void Whole_experiments_the_plan_names_go_to_their_shard_and_the_others_are_dealt_in_a_round()
    {
        var plan = ShardPlan.Balance([A, B], 2, "full", "here");
        IReadOnlyList<string> whole = ["N.XTests.Reproduces", A.Name, "N.YTests.Reproduces", B.Name, "N.ZTests.Reproduces"];
        Assert.Equal([A.Name, "N.XTests.Reproduces", "N.ZTests.Reproduces"], plan.WholeOf(new Shard(1, 2), whole).Order());
        Assert.Equal([B.Name, "N.YTests.Reproduces"], plan.WholeOf(new Shard(2, 2), whole).Order());
        var replicated = new HashSet<string> { R.Name };
        Assert.Equal([A.Name, R.Name], ExperimentRunner.OfShard(new Shard(1, 2), [A.Name, R.Name, B.Name], replicated, plan));
        Assert.Equal([R.Name, B.Name], ExperimentRunner.OfShard(new Shard(2, 2), [A.Name, R.Name, B.Name], replicated, plan));
    }

    [Fact]
    public void A_plan_reads_back_as_written()
    {
        var path = Path.Combine(_folder, "plan.json");
        var plan = ShardPlan.Balance([A, B, R], 2, "quick", "/somewhere/artifacts");
        plan.Write(path);
        var read = ShardPlan.Read(path);
        Assert.Equal(("quick", 2, "/somewhere/artifacts"), (read.Profile, read.Shards, read.Source));
        Assert.Equal(plan.Whole.OrderBy(w => w.Key), read.Whole.OrderBy(w => w.Key));
        Assert.Equal(plan.Seeds[R.Name], read.Seeds[R.Name]);
        Assert.Equal(plan.PredictedSeconds, read.PredictedSeconds);
    }

    [Theory]
    [InlineData("{\"profile\":\"full\",\"shards\":2,\"whole\":{\"N.ATests.Reproduces\":3},\"seeds\":{},\"predictedSeconds\":[1,2],\"source\":\"x\"}",
        "N.ATests.Reproduces is planned on shard 3")]
    [InlineData(
        "{\"profile\":\"full\",\"shards\":2,\"whole\":{},\"seeds\":{\"N.RTests.Reproduces\":[1,0]},\"predictedSeconds\":[1,2],\"source\":\"x\"}",
        "the seeds of N.RTests.Reproduces are planned on shards [1, 0]")]
    [InlineData("{\"profile\":\"full\",\"shards\":2,\"whole\":{},\"seeds\":{},\"predictedSeconds\":[1],\"source\":\"x\"}",
        "predictedSeconds has 1 value(s) for 2 shard(s)")]
    [InlineData("{\"profile\":\"full\",\"shards\":2,\"whole\":{},\"seeds\":{\"N.RTests.Reproduces\":[]},\"predictedSeconds\":[1,2],\"source\":\"x\"}",
        "the seeds of N.RTests.Reproduces are planned on shards []")]
    [InlineData("{\"profile\":\"full\",\"shards\":0,\"whole\":{},\"seeds\":{},\"predictedSeconds\":[],\"source\":\"x\"}", "shards is 0")]
    [InlineData("{\"profile\":\"full\",\"shards\":2,\"whol", "not a shard plan")]
    [InlineData("{\"shards\":2}", "a shard plan needs")]
    public void A_plan_that_is_cut_or_inconsistent_is_refused_with_the_file_and_the_fault(string json, string fault)
    {
        var path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<InvalidDataException>(() => ShardPlan.Read(path));
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2/4+3@2,1,4,3")]
    [InlineData("1/2@1")]
    public void A_seed_share_carries_its_plan_in_its_text(string text) =>
        Assert.Equal(text, Shard.Parse(text, "HW1_SEED_SHARE", rotation: true).ToString());

    [Theory]
    [InlineData("2/4@2,5")]
    [InlineData("2/4@2,x")]
    [InlineData("2/4@0")]
    public void A_seed_plan_outside_the_shards_or_malformed_is_refused_naming_the_whole_value(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<ArgumentException>(() => Shard.Parse(text, "HW1_SEED_SHARE", rotation: true)).Message,
            StringComparison.Ordinal);
}
