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
        var path = SectionStore.Write(new ReportSection { Id = id, Part = "1-2", Order = 1, Title = "t", Question = "q", Profile = "quick", RunKey = key }, folder);
        var digest = SectionStore.Read(path, "quick").Digest!;
        new PipelineLog("quick", DateTimeOffset.UnixEpoch, 10)
        {
            Source = new SourceInfo(commit, false),
            CodeHash = codeHash,
            SeedOffset = offset,
            Kernels = "pinned",
            Experiments = [new PipelineExperiment($"A.{experiment}.Reproduces", key, PipelineExperiment.Ran, 5) { Sections = [id], Digests = new Dictionary<string, string> { [id] = digest } }],
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
            Assert.Throws<InvalidDataException>(() => RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), Run("s2", "X", "1-2-x", key: "other")], Path.Combine(_root, "m"), _ => { })).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_folder_without_a_pipeline_log_is_refused_naming_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var e = Assert.Throws<InvalidDataException>(() => RunMerge.Merge("quick", [Run("s1", "X", "1-2-x"), empty], Path.Combine(_root, "m"), _ => { }));
        Assert.Contains(empty, e.Message, StringComparison.Ordinal);
    }

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
