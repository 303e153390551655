
namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, number of parameters vs generalization: one-hidden-layer MLPs whose width spans 2 to 1024 (quick)
/// or 2048 (full) units, trained alike; training and test loss and accuracy against the parameter count.
/// </summary>
public sealed class ParametersTests(ITestOutputHelper output) : Experiment<ParametersTests.Config, IReadOnlyList<ParametersTests.Model>>(output)
{
    public override Question Question { get; } = new("1-3-parameters", Part.Generalization, 2,
        "Generalization: number of parameters vs generalization",
        "Train at least 10 similar models with different numbers of parameters; plot training and test loss and accuracy against the number of parameters.");

    public sealed record Config(int TrainExamples, int TestExamples, int[] Widths, int Epochs, int BatchSize, double LearningRate, long Seed, int Threads);

    public override Config Quick { get; } = new(10_000, 2_000, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], Epochs: 5, BatchSize: 128, LearningRate: 1e-3, Seed: 101, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, TestExamples = 10_000, Widths = [.. Quick.Widths, 2048], Epochs = 20 };

    public sealed record Model(int Width, long Parameters, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)
    {
        public double Gap => TestLoss - TrainLoss;
    }

    protected override IReadOnlyList<Model> Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        var models = new List<Model>();
        foreach (var width in c.Widths)
        {
            using var random = Reproducibility.Seed(c.Seed, c.Threads);
            using var model = Mlp.Create(784, [width], 10);
            var last = ClassifierTrainer.Train(model, data.Train, data.Test, new ClassifierTraining(c.Epochs, c.BatchSize, c.LearningRate) { Name = $"{Question.Id}: width {width}" }, random)[^1];
            models.Add(new Model(width, ModuleFacts.ParameterCount(model), last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy));
            Log($"width {width} ({models[^1].Parameters:N0} parameters): training {last.TrainLoss:F4} / {last.TrainAccuracy:P2}, test {last.TestLoss:F4} / {last.TestAccuracy:P2}");
        }
        return models;
    }

    protected override IEnumerable<Claim> Claims(Config c, IReadOnlyList<Model> models)
    {
        var (smallest, largest, median) = (models[0], models[^1], models[models.Count / 2]);
        yield return Claim.Finding("the assignment", "Width lets the model fit its training set",
            $"training error of width {smallest.Width} ≥ 10 × that of width {largest.Width}",
            "a two-unit bottleneck cannot separate ten classes while the widest model nearly fits the training set (measured here 27× quick, over 300× full); no effect means something broke",
            $"{1 - smallest.TrainAccuracy:P2} vs {1 - largest.TrainAccuracy:P2}", 1 - smallest.TrainAccuracy >= 10 * (1 - largest.TrainAccuracy));
        yield return Claim.Finding("the assignment", "Past the fitting point, more parameters widen the gap between test and training loss",
            $"test-minus-training loss gap of width {largest.Width} > that of width {median.Width}",
            "over the upper half of the sizes the larger model fits its training data relatively better than its test data",
            $"{median.Gap:0.####} vs {largest.Gap:0.####}", largest.Gap > median.Gap);
    }

    protected override SectionContent Describe(Config c, IReadOnlyList<Model> models)
    {
        Series S(string name, Func<Model, double> f, SeriesStyle style = SeriesStyle.LineAndMarkers) => Series.Of(name, models, m => m.Parameters, f, style);
        var (smallest, largest, median) = (models[0], models[^1], models[models.Count / 2]);
        var bestTest = models.MinBy(m => m.TestLoss)!;
        var bestAccuracy = models.Max(m => m.TestAccuracy);
        return new SectionContent
        {
            Settings =
            [
                new("models", $"{models.Count} MLPs 784-w-10 (ReLU), w = {string.Join(", ", c.Widths)}: {smallest.Parameters:N0} to {largest.Parameters:N0} parameters"),
                new("training", $"MNIST, first {c.TrainExamples:N0} images; Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}, {c.Epochs} epochs; seed {c.Seed} for every model"),
                new("evaluation", $"the whole training subset and the first {c.TestExamples:N0} test images"),
            ],
            Tables =
            [
                Table.Of("Every model", models, ("width", m => $"{m.Width}"), ("parameters", m => $"{m.Parameters:N0}"), ("training loss", m => $"{m.TrainLoss:0.####}"),
                    ("test loss", m => $"{m.TestLoss:0.####}"), ("training accuracy", m => $"{m.TrainAccuracy:P2}"), ("test accuracy", m => $"{m.TestAccuracy:P2}")),
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
                largest.TestAccuracy >= bestAccuracy - 0.005
                    ? $"Past the point where the training set is fitted, more parameters widen the gap between training and test loss, yet {(largest.TestAccuracy >= bestAccuracy ? "the largest model has the best test accuracy" : $"the largest model's test accuracy stays within {bestAccuracy - largest.TestAccuracy:P2} of the best ({bestAccuracy:P2})")}: over-parameterized networks keep generalizing, as Zhang et al. 2017 observed."
                    : $"The largest model's test accuracy fell {bestAccuracy - largest.TestAccuracy:P1} below the best: here extra parameters began to overfit.",
            ],
            Headline = [new Metric("smallest model test accuracy", smallest.TestAccuracy), new Metric("largest model test accuracy", largest.TestAccuracy)],
        };
    }
}
