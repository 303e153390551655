using HW1.Research.Data;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, can a network fit random labels? MNIST with its training labels shuffled by a seeded permutation,
/// an MLP with three hidden layers of 256 units trained until it memorizes them (Zhang et al. 2017).
/// </summary>
public sealed class RandomLabelsTests(ITestOutputHelper output) : Experiment<RandomLabelsTests.Config, RandomLabelsTests.Result>(output)
{
    public override Question Question { get; } = new("1-3-random-labels", Part.Generalization, 1,
        "Generalization: can a network fit random labels?",
        "Train on MNIST with the training labels randomly shuffled; plot training and test loss against epochs.");

    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int BatchSize, double LearningRate, int MaxEpochs, double TargetAccuracy, long Seed, int Threads);

    public override Config Quick { get; } = new(5_000, 10_000, [256, 256, 256], BatchSize: 128, LearningRate: 1e-3, MaxEpochs: 200, TargetAccuracy: 0.90, Seed: 91, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, MaxEpochs = 600 };

    /// <summary>
    /// The epochs, the share of labels the shuffle left in place, and the test accuracy a classifier without information reaches
    /// by chance given its own predicted class frequencies q against the test labels' p: Σ q_c p_c (10% only when q is uniform).
    /// </summary>
    public sealed record Result(IReadOnlyList<EpochMetrics> History, double LabelsUnchangedByShuffle, double ChanceAccuracy, long TestCount)
    {
        public EpochMetrics First => History[0];
        public EpochMetrics Last => History[^1];
    }

    protected override Result Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        using var random = Reproducibility.Seed(c.Seed, c.Threads);
        // Shuffling the labels keeps each class's frequency but cuts every link between image and label.
        using var permutation = randperm(data.Train.Count, generator: random.Torch);
        using var shuffled = data.Train.Labels.index_select(0, permutation);
        using var train = new LabeledImages(data.Train.Images.alias(), shuffled.alias(), 10);
        var kept = shuffled.eq(data.Train.Labels).to_type(ScalarType.Float64).mean().item<double>();

        using var model = Mlp.Create(784, c.Hidden, 10);
        var settings = new ClassifierTraining(c.MaxEpochs, c.BatchSize, c.LearningRate) { StopWhen = m => m.TrainAccuracy >= c.TargetAccuracy, Name = Question.Id };
        var history = ClassifierTrainer.Train(model, train, data.Test, settings, random);
        double chance;
        using (no_grad())
        using (NewDisposeScope())
        {
            model.eval();
            var n = (double)data.Test.Count;
            var predicted = model.call(data.Test.Images).argmax(1).bincount(null, 10).to_type(ScalarType.Float64) / n;
            var actual = data.Test.Labels.bincount(null, 10).to_type(ScalarType.Float64) / n;
            chance = (predicted * actual).sum().item<double>();
        }
        var result = new Result(history, kept, chance, data.Test.Count);
        Log($"{result.History.Count} epochs: training accuracy {result.Last.TrainAccuracy:P2}, test accuracy {result.Last.TestAccuracy:P2}, test loss {result.First.TestLoss:F3} -> {result.Last.TestLoss:F3}");
        return result;
    }

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        const string zhang = "Zhang et al. 2017";
        yield return Claim.Finding(zhang, "The network memorizes labels that carry no information",
            $"final training accuracy on the shuffled labels ≥ {c.TargetAccuracy:P0}", "training runs until it fits 90% of them, as in the paper's random-label runs",
            $"{r.Last.TrainAccuracy:P2} after {r.History.Count} epochs", r.Last.TrainAccuracy >= c.TargetAccuracy);
        var se = Statistics.AccuracyStandardError(r.ChanceAccuracy, r.TestCount);
        yield return Claim.Finding(zhang, "Nothing transfers to the true test labels",
            "final test accuracy within 5 standard errors of chance, chance being Σ q_c p_c for the net's predicted class frequencies q and the test labels' p",
            $"a classifier that knows nothing of the true labels is right by chance with that probability (10% only if it predicts every class equally often); five binomial standard errors over the {r.TestCount:N0} test images leave a false alarm about once in two million",
            $"{r.Last.TestAccuracy:P2} against chance {r.ChanceAccuracy:P2} ± {5 * se:P2}", Math.Abs(r.Last.TestAccuracy - r.ChanceAccuracy) <= 5 * se);
        yield return Claim.Finding(zhang, "Test loss rises as the memorized answers grow confident",
            "final test loss > first epoch's", "a memorizing network grows confident in meaningless answers, so its loss on true labels climbs",
            $"{r.First.TestLoss:0.###} → {r.Last.TestLoss:0.###}", r.Last.TestLoss > r.First.TestLoss);
    }

    protected override object Snapshot(Result r) => new
    {
        Epochs = r.History.Count,
        FirstEpoch = new { r.First.TrainLoss, r.First.TrainAccuracy, r.First.TestLoss, r.First.TestAccuracy },
        LastEpoch = new { r.Last.TrainLoss, r.Last.TrainAccuracy, r.Last.TestLoss, r.Last.TestAccuracy },
        r.LabelsUnchangedByShuffle,
    };

    protected override SectionContent Describe(Config c, Result r)
    {
        var (first, last, epochs) = (r.First, r.Last, r.History.Count);
        Series S(string name, Func<EpochMetrics, double> f, SeriesStyle style = SeriesStyle.Line) => Series.Of(name, r.History, h => h.Epoch, f, style);
        return new SectionContent
        {
            Settings =
            [
                new("task", $"MNIST, first {c.TrainExamples:N0} training images with their labels shuffled by a seeded permutation ({r.LabelsUnchangedByShuffle:P1} keep their true label by chance); test: the first {c.TestExamples:N0} test images with true labels"),
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("optimizer", $"Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}"),
                new("stopping", $"after the first epoch with training accuracy ≥ {c.TargetAccuracy:P0}, at most {c.MaxEpochs} epochs; it stopped after {epochs}"),
                new("seed", $"{c.Seed} (permutation, initialisation, batch order)"),
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
                $"The network memorized labels that carry no information: training accuracy rose from {first.TrainAccuracy:P1} after the first epoch to {last.TrainAccuracy:P1} after {epochs} epochs, and training loss fell from {first.TrainLoss:0.###} to {last.TrainLoss:0.###}.",
                $"Test accuracy stayed at chance ({first.TestAccuracy:P1} → {last.TestAccuracy:P1}, chance 10%), while test loss rose from {first.TestLoss:0.###} to {last.TestLoss:0.###} as the network grew confident in memorized, meaningless answers.",
                "This is Zhang et al. 2017's finding: a network with enough parameters can fit any labelling of its training set, so its capacity alone cannot explain why it generalizes on real labels.",
            ],
            Headline = [new Metric("final training accuracy", last.TrainAccuracy), new Metric("final test accuracy", last.TestAccuracy), new Metric("epochs", epochs)],
        };
    }
}
