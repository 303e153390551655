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
}
