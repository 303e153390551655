using HW1.Experiments.Infrastructure;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, can a network fit random labels? MNIST with its training labels shuffled by a seeded permutation,
/// an MLP with three hidden layers of 256 units trained until it memorizes them (Zhang et al. 2017).
/// </summary>
public sealed class RandomLabelsTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int BatchSize, double LearningRate, int MaxEpochs, double TargetAccuracy, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(5_000, 10_000, [256, 256, 256], BatchSize: 128, LearningRate: 1e-3, MaxEpochs: 200, TargetAccuracy: 0.90, Seed: 91, Threads: 2),
        full: new Config(60_000, 10_000, [256, 256, 256], BatchSize: 128, LearningRate: 1e-3, MaxEpochs: 600, TargetAccuracy: 0.90, Seed: 91, Threads: 2));

    [Fact]
    public void A_network_memorizes_shuffled_labels_while_test_accuracy_stays_at_chance()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var subset = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);
        using var random = Reproducibility.Seed(config.Seed, config.Threads);
        // Shuffling the labels keeps each class's frequency but cuts every link between image and label.
        using var permutation = randperm(subset.Count, generator: random.Torch);
        using var shuffled = subset.Labels.index_select(0, permutation);
        using var train = new LabeledImages(subset.Images.alias(), shuffled.alias(), 10);
        var kept = shuffled.eq(subset.Labels).to_type(ScalarType.Float64).mean().item<double>();

        using var model = Mlp.Create(784, config.Hidden, 10);
        var settings = new ClassifierTraining(config.MaxEpochs, config.BatchSize, config.LearningRate) { StopWhen = m => m.TrainAccuracy >= config.TargetAccuracy, Name = "1-3-random-labels" };
        var history = ClassifierTrainer.Train(model, train, test, settings, random);
        var first = history[0];
        var last = history[^1];
        run.Log($"{history.Count} epochs: training accuracy {last.TrainAccuracy:P2}, test accuracy {last.TestAccuracy:P2}, test loss {first.TestLoss:F3} -> {last.TestLoss:F3}");

        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        Series S(string name, Func<EpochMetrics, double> f, SeriesStyle style = SeriesStyle.Line) => new(name, epochs, history.Select(f).ToArray()) { Style = style };
        var summary = new
        {
            Epochs = history.Count,
            FirstEpoch = new { first.TrainLoss, first.TrainAccuracy, first.TestLoss, first.TestAccuracy },
            LastEpoch = new { last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy },
            LabelsUnchangedByShuffle = kept,
        };
        var section = new ReportSection
        {
            Id = "1-3-random-labels",
            Part = "1-3",
            Order = 1,
            Title = "Generalization: can a network fit random labels?",
            Question = "Train on MNIST with the training labels randomly shuffled; plot training and test loss against epochs.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("task", $"MNIST, first {config.TrainExamples:N0} training images with their labels shuffled by a seeded permutation ({kept:P1} keep their true label by chance); test: the first {config.TestExamples:N0} test images with true labels"),
                new("model", Mlp.Describe(784, config.Hidden, 10)),
                new("optimizer", $"Adam, learning rate {config.LearningRate}, batch size {config.BatchSize}"),
                new("stopping", $"after the first epoch with training accuracy ≥ {config.TargetAccuracy:P0}, at most {config.MaxEpochs} epochs; it stopped after {history.Count}"),
                new("seed", $"{config.Seed} (permutation, initialisation, batch order)"),
            ],
            Figures =
            [
                new Figure("random-labels", "Training on shuffled labels", "Cross-entropy (left) and accuracy (right) on the shuffled training labels and on the true test labels after each epoch.",
                [
                    new Panel("loss", new Axis("epoch"), new Axis("cross-entropy"), [S("training (shuffled labels)", h => h.TrainLoss), S("test", h => h.TestLoss, SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("epoch"), new Axis("accuracy"), [S("training (shuffled labels)", h => h.TrainAccuracy), S("test", h => h.TestAccuracy, SeriesStyle.DashedLine)]),
                ]),
            ],
            Comments =
            [
                $"The network memorized labels that carry no information: training accuracy rose from {first.TrainAccuracy:P1} after the first epoch to {last.TrainAccuracy:P1} after {history.Count} epochs, and training loss fell from {first.TrainLoss:0.###} to {last.TrainLoss:0.###}.",
                $"Test accuracy stayed at chance ({first.TestAccuracy:P1} → {last.TestAccuracy:P1}, chance 10%), while test loss rose from {first.TestLoss:0.###} to {last.TestLoss:0.###} as the network grew confident in memorized, meaningless answers.",
                "This is Zhang et al. 2017's finding: a network with enough parameters can fit any labelling of its training set, so its capacity alone cannot explain why it generalizes on real labels.",
            ],
            Headline = [new Metric("final training accuracy", last.TrainAccuracy), new Metric("final test accuracy", last.TestAccuracy), new Metric("epochs", history.Count)],
        };
        run.Complete(section, summary, () =>
        {
            // Zhang et al. 2017: the network memorizes random labels; training runs until it fits 90% of them.
            Assert.True(last.TrainAccuracy >= config.TargetAccuracy, $"training accuracy {last.TrainAccuracy:P2} after {history.Count} epochs is below {config.TargetAccuracy:P0}.");
            // ...while nothing transfers to the true test labels: chance is 10%; over 10,000 test images ±1.5 points
            // is five standard errors of a chance-level classifier.
            Assert.InRange(last.TestAccuracy, 0.085, 0.115);
            // ...and test loss rises above the first epoch's as the memorized answers grow confident.
            Assert.True(last.TestLoss > first.TestLoss, $"test loss {first.TestLoss} -> {last.TestLoss}");
        });
    }
}
