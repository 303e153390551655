using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Training;

public class ClassifierTrainerTests
{
    /// <summary>Trains a small MLP on a seeded synthetic task until the training accuracy reaches <paramref name="target"/>; returns the
    /// history and every parameter value after training.</summary>
    private static (IReadOnlyList<EpochMetrics> History, float[] Weights) Train(double target, int maxEpochs, bool testOnlyAtEnd)
    {
        using var random = Reproducibility.Seed(7, threads: 2);
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 256, 1, 4, 4 }, generator: random.Torch);
        var y = (x.flatten(1).sum(1) > 8).to(ScalarType.Int64);
        using var train = new LabeledImages(x, y, 2);
        using var test = new LabeledImages(rand(new long[] { 64, 1, 4, 4 }, generator: random.Torch), randint(0, 2, new long[] { 64 },
            generator: random.Torch), 2);
        using var model = Mlp.Create(16, [8], 2);
        var settings = ClassifierTraining.UntilTrainAccuracy(target, maxEpochs, batchSize: 32, learningRate: 1e-2, testOnlyAtEnd: testOnlyAtEnd);
        var history = ClassifierTrainer.Train(model, train, test, settings, random);
        var weights = model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        return (history, weights);
    }

    [Fact]
    public void Testing_only_at_the_end_trains_the_same_bits_stops_at_the_same_epoch_and_measures_the_test_set_once()
    {
        // A target the run reaches after several epochs, so that there are evaluations before the last.
        var every = Train(target: 0.9, maxEpochs: 200, testOnlyAtEnd: false);
        var atEnd = Train(target: 0.9, maxEpochs: 200, testOnlyAtEnd: true);

        Assert.True(every.History.Count > 1, $"the run stopped after {every.History.Count} epoch(s); the test needs evaluations before the last");
        Assert.Equal(every.Weights, atEnd.Weights);
        Assert.Equal(every.History.Count, atEnd.History.Count);
        Assert.Equal(every.History[^1], atEnd.History[^1]);
        Assert.All(atEnd.History.SkipLast(1), m => Assert.True(double.IsNaN(m.TestLoss) && double.IsNaN(m.TestAccuracy)));
        Assert.Equal(every.History.Select(m => (m.Epoch, m.TrainLoss, m.TrainAccuracy)),
            atEnd.History.Select(m => (m.Epoch, m.TrainLoss, m.TrainAccuracy)));
    }

    [Fact]
    public void Testing_only_at_the_end_measures_the_test_set_after_the_budgets_last_epoch_when_the_criterion_is_not_reached()
    {
        // Accuracy above 1 is never reached, so the run ends with its budget of 3 epochs.
        var atEnd = Train(target: 1.1, maxEpochs: 3, testOnlyAtEnd: true);

        Assert.Equal(3, atEnd.History.Count);
        Assert.False(double.IsNaN(atEnd.History[^1].TestAccuracy));
        Assert.True(double.IsNaN(atEnd.History[0].TestAccuracy));
    }
}
