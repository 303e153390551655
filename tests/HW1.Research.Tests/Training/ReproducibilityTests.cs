using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Training;

public class ReproducibilityTests
{
    /// <summary>Seeds, draws a synthetic task, trains a small MLP for a few steps, returns every parameter value.</summary>
    private static float[] TrainFewSteps(long seed)
    {
        using var random = Reproducibility.Seed(seed, threads: 2);
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 256, 1, 4, 4 }, generator: random.Torch);
        var y = randint(0, 3, new long[] { 256 }, generator: random.Torch);
        using var data = new LabeledImages(x, y, 3);
        using var model = Mlp.Create(16, [8], 3);
        ClassifierTrainer.Train(model, data, data, new ClassifierTraining(Epochs: 2, BatchSize: 32, LearningRate: 1e-2), random);
        return model.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters()
    {
        var first = TrainFewSteps(7);
        var second = TrainFewSteps(7);
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Another_seed_gives_other_parameters()
    {
        var first = TrainFewSteps(7);
        var other = TrainFewSteps(8);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void The_thread_count_is_applied_and_validated()
    {
        using (Reproducibility.Seed(1, threads: 1))
            Assert.Equal(1, get_num_threads());
        using (Reproducibility.Seed(1, threads: 2))
            Assert.Equal(2, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => Reproducibility.Seed(1, threads: 0));
    }

    [Theory]
    [InlineData(null, 0L)]
    [InlineData("", 0L)]
    [InlineData(" 0 ", 0L)]
    [InlineData("1000", 1000L)]
    [InlineData("-3", -3L)]
    public void A_seed_offset_is_an_integer_and_defaults_to_zero(string? value, long expected) =>
        Assert.Equal(expected, Reproducibility.ParseSeedOffset(value));

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    public void A_seed_offset_that_is_not_an_integer_names_the_variable_and_the_value(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Reproducibility.ParseSeedOffset(value));
        Assert.Equal(
            $"The environment variable HW1_SEED_OFFSET is '{value}', expected an integer (for example 1000). " +
            "Unset it, or set it to 0, to run with the canonical seeds.", e.Message);
    }

    [Fact]
    public void Seed_seeds_exactly_the_seed_it_is_given_whatever_the_offset_variable_says()
    {
        // The offset reaches the configuration (the experiment's base class shifts its seeds), never Seed: Seed(7) is seed 7.
        var previous = Environment.GetEnvironmentVariable(Reproducibility.SeedOffsetVariable);
        try
        {
            Environment.SetEnvironmentVariable(Reproducibility.SeedOffsetVariable, "5");
            using (var random = Reproducibility.Seed(7, threads: 1))
                Assert.Equal(7, random.Seed);
            var underOffset = TrainFewSteps(7);

            Environment.SetEnvironmentVariable(Reproducibility.SeedOffsetVariable, null);
            Assert.Equal(TrainFewSteps(7).Select(BitConverter.SingleToInt32Bits), underOffset.Select(BitConverter.SingleToInt32Bits));
            Assert.NotEqual(TrainFewSteps(12), underOffset);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Reproducibility.SeedOffsetVariable, previous);
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("1", 1)]
    [InlineData(" 4 ", 4)]
    public void A_thread_override_is_a_positive_integer_or_unset(string? value, int? expected) =>
        Assert.Equal(expected, HW1.Research.ThreadOverride.Parse(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("two")]
    public void A_bad_thread_override_names_the_variable_and_the_value(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => HW1.Research.ThreadOverride.Parse(value));
        Assert.Contains("HW1_THREADS", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
    }
}
