using System.Text.Json.Serialization;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class SeedReplicasTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-replicas-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public sealed record Trace(long Seed, double[] Values, IReadOnlyList<Point> Points)
    {
        public double Mean => Values.Average();
    }

    public sealed record Point(int Step, double Loss, float Norm);

    public sealed record Lossy(long Seed, [property: JsonIgnore] double[] Kept);

    [Fact]
    public void A_seed_s_result_reads_back_bit_for_bit()
    {
        // Values whose shortest decimal form is long, the extremes, a float and a named literal.
        var trace = new Trace(7, [0.1 + 0.2, Math.PI / 3, double.Epsilon, double.MaxValue, -0.0, double.NaN, 1e-310],
            [new Point(1, 1.0 / 3, 0.1f), new Point(2, 2.0 / 3, float.Epsilon)]);
        var (back, _) = SeedReplicas.RoundTrip(trace);
        Assert.Equal(trace.Values.Select(BitConverter.DoubleToInt64Bits), back.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(trace.Points, back.Points);
        Assert.Equal(trace.Seed, back.Seed);
    }

    public sealed record WithTuples(IReadOnlyList<(double Train, double Test)> Pairs, (int Epochs, float Loss) Last);

    [Fact]
    public void Value_tuples_keep_their_elements()
    {
        var value = new WithTuples([(0.1, 0.2), (1.0 / 3, double.NaN)], (7, 0.25f));
        var (back, _) = SeedReplicas.RoundTrip(value);
        Assert.Equal(value.Pairs, back.Pairs);
        Assert.Equal(value.Last, back.Last);
    }

    [Fact]
    public void A_type_that_would_drop_a_measured_member_is_refused_by_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SeedReplicas.RoundTrip(new Lossy(1, [1.0])));
        Assert.Contains("Lossy.Kept is settable but marked [JsonIgnore]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_file_that_is_not_one_or_names_another_seed_is_an_error_naming_it()
    {
        var path = SeedReplicas.PathOf(_root, "XTests", 3);
        Assert.Null(SeedReplicas.Read(path, "XTests", 3));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{ half");
        Assert.Contains($"{path}: not a seed replica", Assert.Throws<InvalidDataException>(() => SeedReplicas.Read(path, "XTests", 3)).Message,
            StringComparison.Ordinal);
        SeedReplicas.Write(path, new SeedReplica("XTests", "k", "quick", 0, 4, System.Text.Json.JsonSerializer.SerializeToElement(1.5)));
        Assert.Contains("holds seed 4 of XTests, expected seed 3 of XTests",
            Assert.Throws<InvalidDataException>(() => SeedReplicas.Read(path, "XTests", 3)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_share_names_the_variable()
    {
        var e = Assert.Throws<ArgumentException>(() => Shard.Parse("4/3", SeedReplicas.ShareVariable));
        Assert.Contains($"{SeedReplicas.ShareVariable} is '4/3'", e.Message, StringComparison.Ordinal);
    }
}
