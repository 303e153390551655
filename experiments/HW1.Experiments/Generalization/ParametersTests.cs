using HW1.Experiments.Infrastructure;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using Xunit.Abstractions;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, number of parameters vs generalization: one-hidden-layer MLPs whose width spans 2 to 1024 (quick)
/// or 2048 (full) units,
/// trained alike; training and test loss and accuracy against the parameter count.
/// </summary>
public sealed class ParametersTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int[] Widths, int Epochs, int BatchSize, double LearningRate, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, 2_000, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], Epochs: 5, BatchSize: 128, LearningRate: 1e-3, Seed: 101, Threads: 2),
        full: new Config(60_000, 10_000, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048], Epochs: 20, BatchSize: 128, LearningRate: 1e-3, Seed: 101, Threads: 2));

    private sealed record Model(int Width, long Parameters, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)
    {
        public double Gap => TestLoss - TrainLoss;
    }

    [Fact]
    public void Loss_and_accuracy_against_the_number_of_parameters()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);

        var models = new List<Model>();
        foreach (var width in config.Widths)
        {
            using var random = Reproducibility.Seed(config.Seed, config.Threads);
            using var model = Mlp.Create(784, [width], 10);
            var last = ClassifierTrainer.Train(model, train, test, new ClassifierTraining(config.Epochs, config.BatchSize, config.LearningRate) { Name = $"1-3-parameters: width {width}" }, random)[^1];
            models.Add(new Model(width, ModuleFacts.ParameterCount(model), last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy));
            run.Log($"width {width} ({models[^1].Parameters:N0} parameters): training {last.TrainLoss:F4} / {last.TrainAccuracy:P2}, test {last.TestLoss:F4} / {last.TestAccuracy:P2}");
        }

        var x = models.Select(m => (double)m.Parameters).ToArray();
        Series S(string name, Func<Model, double> f, SeriesStyle style = SeriesStyle.LineAndMarkers) => new(name, x, models.Select(f).ToArray()) { Style = style };
        var smallest = models[0];
        var largest = models[^1];
        var median = models[models.Count / 2];
        var bestTest = models.MinBy(m => m.TestLoss)!;
        var section = new ReportSection
        {
            Id = "1-3-parameters",
            Part = "1-3",
            Order = 2,
            Title = "Generalization: number of parameters vs generalization",
            Question = "Train at least 10 similar models with different numbers of parameters; plot training and test loss and accuracy against the number of parameters.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("models", $"{models.Count} MLPs 784-w-10 (ReLU), w = {string.Join(", ", config.Widths)}: {smallest.Parameters:N0} to {largest.Parameters:N0} parameters"),
                new("training", $"MNIST, first {config.TrainExamples:N0} images; Adam, learning rate {config.LearningRate}, batch size {config.BatchSize}, {config.Epochs} epochs; seed {config.Seed} for every model"),
                new("evaluation", $"the whole training subset and the first {config.TestExamples:N0} test images"),
            ],
            Tables =
            [
                new Table("Every model", ["width", "parameters", "training loss", "test loss", "training accuracy", "test accuracy"],
                    models.Select(m => (IReadOnlyList<string>)[$"{m.Width}", $"{m.Parameters:N0}", $"{m.TrainLoss:0.####}", $"{m.TestLoss:0.####}", $"{m.TrainAccuracy:P2}", $"{m.TestAccuracy:P2}"]).ToList()),
            ],
            Figures =
            [
                new Figure("parameters-loss", "Loss against the number of parameters", "Training and test cross-entropy of each model against its parameter count (log scale).",
                    [new Panel("", new Axis("parameters (log scale)", Log: true), new Axis("cross-entropy"), [S("training", m => m.TrainLoss), S("test", m => m.TestLoss, SeriesStyle.DashedLine)])]),
                new Figure("parameters-accuracy", "Accuracy against the number of parameters", "Training and test accuracy of each model against its parameter count (log scale).",
                    [new Panel("", new Axis("parameters (log scale)", Log: true), new Axis("accuracy"), [S("training", m => m.TrainAccuracy), S("test", m => m.TestAccuracy, SeriesStyle.DashedLine)])]),
            ],
            Comments =
            [
                $"Training accuracy grew with size from {smallest.TrainAccuracy:P1} ({smallest.Parameters:N0} parameters) to {largest.TrainAccuracy:P1} ({largest.Parameters:N0}); test accuracy from {smallest.TestAccuracy:P1} to {largest.TestAccuracy:P1}.",
                $"The lowest test loss, {bestTest.TestLoss:0.####}, belongs to the {bestTest.Parameters:N0}-parameter model; the gap between test and training loss is {median.Gap:0.####} at {median.Parameters:N0} parameters and {largest.Gap:0.####} at {largest.Parameters:N0}.",
                largest.TestAccuracy >= models.Max(m => m.TestAccuracy) - 0.005
                    ? $"Past the point where the training set is fitted, more parameters widen the gap between training and test loss, yet {(largest.TestAccuracy >= models.Max(m => m.TestAccuracy) ? "the largest model has the best test accuracy" : $"the largest model's test accuracy stays within {models.Max(m => m.TestAccuracy) - largest.TestAccuracy:P2} of the best ({models.Max(m => m.TestAccuracy):P2})")}: over-parameterized networks keep generalizing, as Zhang et al. 2017 observed."
                    : $"The largest model's test accuracy fell {models.Max(m => m.TestAccuracy) - largest.TestAccuracy:P1} below the best: here extra parameters began to overfit.",
            ],
            Headline = [new Metric("smallest model test accuracy", smallest.TestAccuracy), new Metric("largest model test accuracy", largest.TestAccuracy)],
        };
        run.Complete(section, models, () =>
        {
            // A two-unit bottleneck cannot separate ten classes, while the widest model nearly fits the training
            // set: the narrowest's training error must be at least ten times the widest's (measured here: 27x in
            // the quick profile, over 300x in the full one), or width had no effect and something broke.
            Assert.True(1 - smallest.TrainAccuracy >= 10 * (1 - largest.TrainAccuracy),
                $"training error {1 - smallest.TrainAccuracy:P2} (width {smallest.Width}) vs {1 - largest.TrainAccuracy:P2} (width {largest.Width})");
            // Over the upper half of the sizes the larger model fits its training data relatively better than its
            // test data: the test-minus-training loss gap of the largest exceeds the median-sized model's.
            Assert.True(largest.Gap > median.Gap, $"gap {median.Gap} at {median.Parameters} parameters vs {largest.Gap} at {largest.Parameters}");
        });
    }
}
