using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// Stored results and seed replicas as a local cache that heals: a file cut in half, of another key or of another experiment is set
/// aside with a warning that names it, and the caller measures again; a good one is read back bit for bit.
/// </summary>
public sealed class StoredResultsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-results-").FullName;
    private readonly List<string> _warnings = [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public sealed record Measured(long Seed, double[] Values);

    private string Store(string key, string experiment = "DemoTests")
    {
        var (_, json) = SeedReplicas.RoundTrip(new Measured(3, [0.1 + 0.2, Math.PI]));
        var path = StoredResults.PathOf(_root, "DemoTests");
        StoredResults.Write(path, new StoredResult(experiment, key, "quick", 0, json, 12.5, 2));
        return path;
    }

    [Fact]
    public void A_result_of_this_key_is_read_back_bit_for_bit()
    {
        var path = Store("k1");
        var (value, stored) = StoredResults.TryRead<Measured>(path, "DemoTests", "k1", _warnings.Add) ??
            throw new InvalidOperationException("not read");
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.1 + 0.2), BitConverter.DoubleToInt64Bits(value.Values[0]));
        Assert.Equal(12.5, stored.Seconds);
        Assert.Empty(_warnings);
        Assert.Equal("k1", StoredResults.KeyOf(path));
    }

    [Fact]
    public void The_key_of_a_large_result_is_read_from_the_file_s_start()
    {
        // A result of 200,000 numbers (several megabytes) after the key: the key is found without parsing them, and a "key" inside the
        // result is not taken for the file's.
        var (_, json) = SeedReplicas.RoundTrip(new { key = "inner", Values = Enumerable.Range(0, 200_000).Select(i => i * 0.1).ToArray() });
        var path = StoredResults.PathOf(_root, "DemoTests");
        StoredResults.Write(path, new StoredResult("DemoTests", "outer", "quick", 0, json, 1, 2));
        Assert.True(new FileInfo(path).Length > 1_000_000);
        Assert.Equal("outer", StoredResults.KeyOf(path));
        // Cut after the key: the look before a run still sees the key; reading the result (TryRead) is what finds the file broken.
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100_000]);
        Assert.Equal("outer", StoredResults.KeyOf(path));
        Assert.Null(StoredResults.TryRead<Measured>(path, "DemoTests", "outer", _warnings.Add));
        Assert.Single(_warnings);
    }

    [Fact]
    public void No_file_is_a_plain_miss()
    {
        Assert.Null(StoredResults.TryRead<Measured>(StoredResults.PathOf(_root, "DemoTests"), "DemoTests", "k1", _warnings.Add));
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("key")]
    [InlineData("experiment")]
    public void A_result_that_cannot_be_used_is_set_aside_by_name_and_missed(string damage)
    {
        var path = Store(damage == "key" ? "old" : "k1", damage == "experiment" ? "OtherTests" : "DemoTests");
        if (damage == "cut")
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        }
        Assert.Null(StoredResults.TryRead<Measured>(path, "DemoTests", "k1", _warnings.Add));
        var warning = Assert.Single(_warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("set aside", warning, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(path + StoredResults.SetAsideSuffix));
        // Missed again, quietly: the file is out of the way.
        Assert.Null(StoredResults.TryRead<Measured>(path, "DemoTests", "k1", _warnings.Add));
        Assert.Single(_warnings);
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("key")]
    [InlineData("seed")]
    public void A_seed_replica_that_cannot_be_used_is_set_aside_by_name_so_the_seed_is_trained_again(string damage)
    {
        var (_, json) = SeedReplicas.RoundTrip(new Measured(5, [1.0 / 3]));
        var path = SeedReplicas.PathOf(_root, "DemoTests", 5);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SeedReplicas.Write(path, new SeedReplica("DemoTests", damage == "key" ? "old" : "k1", "quick", 0, damage == "seed" ? 6 : 5, json));
        if (damage == "cut") File.WriteAllText(path, File.ReadAllText(path)[..40]);
        Assert.Null(SeedReplicas.TryRead<Measured>(path, "DemoTests", 5, "k1", _warnings.Add));
        var warning = Assert.Single(_warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("training the seed again", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(path + StoredResults.SetAsideSuffix));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_good_seed_replica_of_this_key_is_read()
    {
        var (_, json) = SeedReplicas.RoundTrip(new Measured(5, [1.0 / 3]));
        var path = SeedReplicas.PathOf(_root, "DemoTests", 5);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SeedReplicas.Write(path, new SeedReplica("DemoTests", "k1", "quick", 0, 5, json, 3.0, 2));
        var (value, stored) = SeedReplicas.TryRead<Measured>(path, "DemoTests", 5, "k1", _warnings.Add) ??
            throw new InvalidOperationException("not read");
        Assert.Equal(1.0 / 3, value.Values[0]);
        Assert.Equal(2, stored.Threads);
        Assert.Empty(_warnings);
    }
}
