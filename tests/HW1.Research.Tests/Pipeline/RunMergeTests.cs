using HW1.Research.Artifacts;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class RunMergeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-merge-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A shard's artifacts folder: one experiment whose one section is stored under its key, and the run's log.</summary>
    private string Run(string name, string experiment, string id, string commit = "abc", string codeHash = "code", long offset = 0, string key = "")
    {
        var folder = Path.Combine(_root, name);
        key = key.Length > 0 ? key : $"key-{experiment}";
        var path = SectionStore.Write(new ReportSection
        {
            Id = id,
            Part = "1-2",
            Order = 1,
            Title = "t",
            Question = "q",
            Profile = "quick",
            RunKey = key
        }, folder);
        var digest = SectionStore.Read(path, "quick").Digest!;
        new PipelineLog("quick", DateTimeOffset.UnixEpoch, 10)
        {
            Source = new SourceInfo(commit, false),
            CodeHash = codeHash,
            SeedOffset = offset,
            Kernels = "pinned",
            Experiments = [new PipelineExperiment($"A.{experiment}.Reproduces", key, PipelineExperiment.Ran, 5) { Sections = [id],
                Digests = new Dictionary<string, string> { [id] = digest } }],
        }.Write(folder);
        return folder;
    }

    [Fact]
    public void Shards_of_one_run_merge_into_one_log_with_every_section()
    {
        var target = Path.Combine(_root, "merged");
        var merged = RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), Run("s2", "Y", "1-2-y")], target, _ => { });
        Assert.Equal(["A.X.Reproduces", "A.Y.Reproduces"], merged.Experiments.Select(e => e.Name));
        Assert.Equal(["1-2-x", "1-2-y"], SectionStore.ReadAll("quick", target).Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, PipelineLog.Read("quick", target)!.MergedFrom.Count);
    }

    [Theory]
    [InlineData("commits")]
    [InlineData("code hashes")]
    [InlineData("seed offsets")]
    public void A_mixture_is_refused_naming_what_differs_and_nothing_is_written(string what)
    {
        var other = what switch
        {
            "commits" => Run("s2", "Y", "1-2-y", commit: "def"),
            "code hashes" => Run("s2", "Y", "1-2-y", codeHash: "other"),
            _ => Run("s2", "Y", "1-2-y", offset: 1),
        };
        var target = Path.Combine(_root, "merged");
        var e = Assert.Throws<InvalidDataException>(() => RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), other], target, _ => { }));
        Assert.Contains($"their {what} differ", e.Message, StringComparison.Ordinal);
        Assert.Contains(other, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void The_same_experiment_under_two_keys_is_refused() =>
        Assert.Contains("under different keys",
            Assert.Throws<InvalidDataException>(() =>
        RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), Run("s2", "X", "1-2-x", key: "other")], Path.Combine(_root, "m"), _ => { })).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_folder_without_a_pipeline_log_is_refused_naming_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var e = Assert.Throws<InvalidDataException>(() =>
            RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), empty], Path.Combine(_root, "m"), _ => { }));
        Assert.Contains(empty, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A shard's artifacts folder holding a seed share of experiment X: its replicas (seed → result) under <paramref name="key"/> and the
    /// run's log.</summary>
    private string Share(string name, string key, params (long Seed, double Value)[] seeds) =>
        Share(name, key, PipelineExperiment.Partial, null, 0, seeds);

    private string Share(string name, string key, string outcome, string? shard, double seconds, params (long Seed, double Value)[] seeds)
    {
        var folder = Path.Combine(_root, name);
        var replicas = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (seed, value) in seeds)
        {
            var path = SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", folder), "XTests", seed);
            SeedReplicas.Write(path,
                new SeedReplica("XTests", key, "quick", 0, seed, System.Text.Json.JsonSerializer.SerializeToElement(value), seconds));
            replicas[Path.GetFileName(path)] = SeedReplicas.DigestOf(path);
        }
        new PipelineLog("quick", DateTimeOffset.UnixEpoch, 10)
        {
            Source = new SourceInfo("abc", false),
            CodeHash = "code",
            Kernels = "pinned",
            Shard = shard,
            Experiments = [new PipelineExperiment("A.XTests.Reproduces", key, outcome, 5) { Replicas = replicas, Share = shard ?? "1/1",
                Failure = outcome == PipelineExperiment.Failed ? "killed" : null }],
        }.Write(folder);
        return folder;
    }

    [Fact]
    public void Seed_shares_merge_into_one_partial_experiment_with_every_replica()
    {
        var target = Path.Combine(_root, "m");
        var merged = RunMerge.Merge("quick", [Share("s1", "k", (1, 0.5), (3, 0.25)), Share("s2", "k", (2, 0.125))], target, _ => { });
        var x = Assert.Single(merged.Experiments);
        Assert.Equal(PipelineExperiment.Partial, x.Outcome);
        Assert.Equal(["seed-1.json", "seed-2.json", "seed-3.json"], x.Replicas.Keys.Order(StringComparer.Ordinal));
        var copied = SeedReplicas.Read(SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", target), "XTests", 2), "XTests", 2)!;
        Assert.Equal(0.125, copied.Result.GetDouble());
    }

    [Fact]
    public void A_failed_seed_share_leaves_its_seeds_to_the_completion_and_a_missing_shard_is_named()
    {
        var lines = new List<string>();
        var merged = RunMerge.Merge("quick",
            [Share("s1", "k", PipelineExperiment.Partial, "1/3", 0, (1, 0.5)), Share("s2", "k", PipelineExperiment.Failed, "2/3", 0)],
            Path.Combine(_root, "m"), lines.Add);
        var x = Assert.Single(merged.Experiments);
        Assert.Equal(PipelineExperiment.Partial, x.Outcome);
        Assert.Equal(["seed-1.json"], x.Replicas.Keys);
        Assert.Contains(lines,
            l =>
            l.Contains("seed share 2/3 of XTests.Reproduces", StringComparison.Ordinal) && l.Contains("failed (killed)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("shard(s) 3/3 are not among the folders merged", StringComparison.Ordinal));
    }

    [Fact]
    public void One_seed_stored_by_two_shares_with_the_same_result_merges_whatever_its_timing()
    {
        var merged = RunMerge.Merge("quick",
            [Share("s1", "k", PipelineExperiment.Partial, null, 3.5, (1, 0.5)), Share("s2", "k", PipelineExperiment.Partial, null, 4.0, (1, 0.5))],
            Path.Combine(_root, "m"), _ => { });
        Assert.Equal(["seed-1.json"], Assert.Single(merged.Experiments).Replicas.Keys);
    }

    [Fact]
    public void A_seed_replica_changed_after_its_run_is_refused()
    {
        var s1 = Share("s1", "k", (1, 0.5));
        var path = SeedReplicas.PathOf(SeedReplicas.FolderOf("quick", s1), "XTests", 1);
        File.WriteAllText(path, File.ReadAllText(path).Replace("0.5", "0.75", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() =>
            RunMerge.Merge("quick", [s1, Share("s2", "k", (2, 0.125))], Path.Combine(_root, "m"), _ => { }));
        Assert.Contains($"{path}: ALTERED", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_seed_trained_to_two_results_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            RunMerge.Merge("quick", [Share("s1", "k", (1, 0.5)), Share("s2", "k", (1, 0.75))], Path.Combine(_root, "m"), _ => { }));
        Assert.Contains("seed-1.json of XTests.Reproduces differs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_shares_under_two_keys_are_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            RunMerge.Merge("quick", [Share("s1", "k", (1, 0.5)), Share("s2", "other", (2, 0.75))], Path.Combine(_root, "m"), _ => { }));
        Assert.Contains("the seed shares of XTests.Reproduces ran under different keys", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/2", new[] { "a", "R", "c", "S" })]
    [InlineData("2/2", new[] { "R", "b", "S" })]
    [InlineData("3/3", new[] { "R", "c", "S" })]
    [InlineData("4/4", new[] { "R", "S" })]
    public void A_shard_takes_its_share_of_whole_experiments_and_a_seed_share_of_every_replicated_one(string shard, string[] expected) =>
        Assert.Equal(expected, ExperimentRunner.OfShard(Shard.Parse(shard), ["a", "R", "b", "c", "S"], new HashSet<string> { "R", "S" }));

    [Theory]
    [InlineData(0, "1/2", true)]
    [InlineData(1, "1/2", false)]
    [InlineData(2, "1/2", true)]
    [InlineData(1, "2/2", true)]
    [InlineData(4, "2/3", true)]
    [InlineData(5, "2/3", false)]
    public void A_seed_share_trains_every_nth_seed(int position, string share, bool owns) =>
        Assert.Equal(owns, SeedReplicas.Owns(Shard.Parse(share), position));

    [Fact]
    public void Rotated_seed_shares_still_split_every_experiment_s_seeds_exactly_once()
    {
        for (int n = 1; n <= 6; n++)
            for (int rotation = 0; rotation <= 11; rotation++)
                for (int position = 0; position < 10; position++)
                {
                    var owners = Enumerable.Range(1, n).Count(i => SeedReplicas.Owns(new Shard(i, n) { Rotation = rotation }, position));
                    Assert.True(owners == 1, $"n {n}, rotation {rotation}, seed position {position}: {owners} owners");
                }
        // Seed 0 of an experiment rotated by 3 of 5 goes to shard 4.
        Assert.True(SeedReplicas.Owns(Shard.Parse("4/5+3", rotation: true), 0));
    }

    [Fact]
    public void A_replicated_experiment_s_seeds_start_after_the_whole_experiments_and_the_replicated_ones_before_it()
    {
        IReadOnlyList<string> selected = ["a", "R", "b", "c", "S"];
        var replicated = new HashSet<string> { "R", "S" };
        Assert.Equal(3, Shard.RotationOf("R", selected, replicated));
        Assert.Equal(4, Shard.RotationOf("S", selected, replicated));
        Assert.Throws<ArgumentException>(() => Shard.RotationOf("a", selected, replicated));
    }

    [Theory]
    [InlineData("2/4+3", true, "2/4+3")]
    [InlineData("2/4", true, "2/4")]
    [InlineData("2/4+0", true, "2/4")]
    public void A_seed_share_reads_and_writes_its_rotation(string text, bool rotation, string written) =>
        Assert.Equal(written, Shard.Parse(text, "HW1_SEED_SHARE", rotation).ToString());

    [Theory]
    [InlineData("2/4+3", false)]
    [InlineData("2/4+x", true)]
    [InlineData("2/4+-1", true)]
    public void A_rotation_where_none_is_taken_or_a_malformed_one_is_refused(string text, bool rotation) =>
        Assert.Contains($"'{text}'", Assert.Throws<ArgumentException>(() => Shard.Parse(text, "--shard", rotation)).Message,
        StringComparison.Ordinal);

    [Theory]
    [InlineData("1/3", new[] { "a", "d", "g" })]
    [InlineData("2/3", new[] { "b", "e" })]
    [InlineData("3/3", new[] { "c", "f" })]
    [InlineData("1/1", new[] { "a", "b", "c", "d", "e", "f", "g" })]
    public void A_shard_takes_every_nth_experiment(string shard, string[] expected) =>
        Assert.Equal(expected, Shard.Parse(shard).Of(["a", "b", "c", "d", "e", "f", "g"]));

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1-2")]
    [InlineData("x/2")]
    public void A_bad_shard_is_an_error_naming_the_value_and_the_form(string text) =>
        Assert.Contains($"'{text}', expected i/n", Assert.Throws<ArgumentException>(() => Shard.Parse(text)).Message, StringComparison.Ordinal);
}
