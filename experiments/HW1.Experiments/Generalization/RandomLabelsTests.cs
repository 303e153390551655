using HW1.Research.Data;
using HW1.Research.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, can a network fit random labels? MNIST with its training labels shuffled by a seeded permutation, an MLP with three
/// hidden layers of 256 units trained from every seed until it memorizes them (Zhang et al. 2017).
/// </summary>
[ReplicatesSeeds]
public sealed class RandomLabelsTests(ITestOutputHelper output) : Experiment<RandomLabelsTests.Config, RandomLabelsTests.Result>(output)
{
    public override Question Question { get; } = new("1-3-random-labels", Part.Generalization, 1,
        "Generalization: can a network fit random labels?",
        "Train on MNIST with the training labels randomly shuffled; plot training and test loss against epochs.");

    /// <summary>Seeds FirstSeed … FirstSeed + Seeds − 1; each seed draws its own permutation, initialization and batch order.</summary>
    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int BatchSize, double LearningRate, int MaxEpochs,
        double TargetAccuracy, long FirstSeed, int Seeds, int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };
    }

    public override Config Quick =>
        new(5_000, 10_000, [256, 256, 256], BatchSize: 128, LearningRate: 1e-3, MaxEpochs: 200, TargetAccuracy: 0.90, FirstSeed: 91, Seeds: 3,
        Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, MaxEpochs = 600, Seeds = 5 };

    /// <summary>
    /// One seed's training: its epochs, the share of labels the shuffle left in place, and the test accuracy a classifier without
    /// information reaches by chance given its own predicted class frequencies q against the test labels' p: Σ q_c p_c (10% only
    /// when q is uniform).
    /// </summary>
    public sealed record SeedRun(long Seed, IReadOnlyList<EpochMetrics> History, double LabelsUnchangedByShuffle, double ChanceAccuracy)
    {
        public EpochMetrics First => History[0];
        public EpochMetrics Last => History[^1];
        public double ExcessOverChance => Last.TestAccuracy - ChanceAccuracy;
    }

    /// <summary>Every seed's run, and the number of test images each accuracy is measured on.</summary>
    public sealed record Result(IReadOnlyList<SeedRun> Runs, long TestCount)
    {
        public SeedRun FirstSeed => Runs[0];
        public double[] Of(Func<SeedRun, double> f) => Runs.Select(f).ToArray();
    }

    protected override Result Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        var runs = PerSeed(c.FirstSeed, c.Seeds, seed =>
        {
            using var random = Reproducibility.Seed(seed, c.Threads);
            // Shuffling the labels keeps each class's frequency but cuts every link between image and label.
            using var permutation = randperm(data.Train.Count, generator: random.Torch);
            using var shuffled = data.Train.Labels.index_select(0, permutation);
            using var train = new LabeledImages(data.Train.Images.alias(), shuffled.alias(), 10);
            var kept = shuffled.eq(data.Train.Labels).to_type(ScalarType.Float64).mean().item<double>();

            using var model = Mlp.Create(784, c.Hidden, 10);
            var settings = new ClassifierTraining(c.MaxEpochs, c.BatchSize, c.LearningRate)
            {
                StopWhen = m => m.TrainAccuracy >= c.TargetAccuracy,
                Name = $"{Question.Id}: seed {seed}"
            };
            var history = ClassifierTrainer.Train(model, train, data.Test, settings, random);
            double chance;
            using (no_grad())
            using (NewDisposeScope())
            {
                model.eval();
                using var n = ((double)data.Test.Count).ToScalar();
                var predicted = model.call(data.Test.Images).argmax(1).bincount(null, 10).to_type(ScalarType.Float64).div(n);
                var actual = data.Test.Labels.bincount(null, 10).to_type(ScalarType.Float64).div(n);
                chance = (predicted * actual).sum().item<double>();
            }
            var run = new SeedRun(seed, history, kept, chance);
            Log($"seed {seed}, {run.History.Count} epochs: training accuracy {run.Last.TrainAccuracy:P2}, test accuracy {run.Last.TestAccuracy:P2} " +
                $"(chance {chance:P2}), test loss {run.First.TestLoss:F3} -> {run.Last.TestLoss:F3}");
            return run;
        });
        return new Result(runs, data.Test.Count);
    }

    /// <summary>The distance from chance that counts as none: five binomial standard errors of the mean chance accuracy on the test images.</summary>
    private static double Margin(Result r) => 5 * Statistics.AccuracyStandardError(r.Of(x => x.ChanceAccuracy).Average(), r.TestCount);

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        const string zhang = "Zhang et al. 2017";
        var seeds = r.Runs.Count;
        var memorized = r.Runs.Count(x => x.Last.TrainAccuracy >= c.TargetAccuracy);
        yield return Claim.Finding(zhang, "The network memorizes labels that carry no information",
            $"every seed's training accuracy on its shuffled labels reaches {c.TargetAccuracy:P0} within {c.MaxEpochs} epochs",
            "Zhang et al. fit random labels completely (100% training accuracy, 90 points above chance); training here stops at 90% to bound its " +
            "time, " +
            "80 points above chance, which is most of their effect and more than half of it, so the bar judges the size as well as the direction; " +
            "memorization is a property of each training, so every seed must show it",
            $"{memorized} of {seeds} seeds, after {Statistics.MeanInterval(r.Of(x => x.History.Count)).Format("0")} epochs", memorized == seeds) with
        {
            Seeds = seeds,
            OverSeeds = true,
            Paper = "100% training accuracy (Zhang et al. 2017, Table 1, random labels)",
            Label = "Random labels are memorized"
        };

        var excesses = r.Of(x => x.ExcessOverChance);
        var margin = Margin(r);
        yield return Statistic.Mean("test accuracy − chance, chance being Σ q_c p_c for each net's predicted class frequencies q and the test " +
            "labels' p", Unit.Points())
            .Within(margin).Decide(zhang, "Nothing transfers to the true test labels",
            $"a classifier that knows nothing of the true labels is right by chance with that probability (10% only if it predicts every class " +
            $"equally often); the margin is five binomial standard errors of one accuracy on the {r.TestCount:N0} test images, the tolerance of a " +
            $"single run, while anything learned from true labels lies tens of points above chance",
            excesses) with
        { Label = "Nothing transfers to the true labels" };

        yield return Statistic.GeometricMean("final / first epoch's test loss", "0.#").Above(1).Decide(zhang,
            "Test loss rises as the memorized answers grow confident",
            "a memorizing network grows confident in meaningless answers, so its loss on true labels climbs",
            r.Of(x => x.Last.TestLoss / x.First.TestLoss)) with
        { Label = "Test loss rises while memorizing" };
    }

    protected override object Snapshot(Result r) => r.Runs.Select(x => new
    {
        x.Seed,
        Epochs = x.History.Count,
        FirstEpoch = new { x.First.TrainLoss, x.First.TrainAccuracy, x.First.TestLoss, x.First.TestAccuracy },
        LastEpoch = new { x.Last.TrainLoss, x.Last.TrainAccuracy, x.Last.TestLoss, x.Last.TestAccuracy },
        x.LabelsUnchangedByShuffle,
        x.ChanceAccuracy,
    }).ToList();

    protected override SectionContent Describe(Config c, Result r)
    {
        var f = r.FirstSeed;
        var (first, last, epochs) = (f.First, f.Last, f.History.Count);
        Series S(string name, Func<EpochMetrics, double> value, SeriesStyle style = SeriesStyle.Line) =>
            Series.Of(name, f.History, h => h.Epoch, value, style);
        Interval Over(Func<SeedRun, double> value) => Statistics.MeanInterval(r.Of(value));
        Interval OverPositive(Func<SeedRun, double> value) => Statistics.GeometricMeanInterval(r.Of(value));
        string Percent(Interval i) => $"{i.Estimate * 100:0.00}% [{i.Low * 100:0.00}, {i.High * 100:0.00}]";
        var testLoss = Statistics.MeanInterval(r.Of(x => Math.Log(x.Last.TestLoss / x.First.TestLoss))).Exp();
        return new SectionContent
        {
            Settings =
            [
                new("task",
                    $"MNIST, first {c.TrainExamples:N0} training images with their labels shuffled by a seeded permutation (on average " +
                    $"{Over(x => x.LabelsUnchangedByShuffle).Estimate:P1} keep their true label by chance); test: the first {c.TestExamples:N0} " +
                    $"test images " +
                    $"with true labels"),
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("optimizer", $"Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}"),
                new("stopping", $"after the first epoch with training accuracy ≥ {c.TargetAccuracy:P0}, at most {c.MaxEpochs} epochs"),
                new("seeds",
                    $"{r.Runs.Count} ({r.Runs[0].Seed} to {r.Runs[^1].Seed}; each draws its permutation, initialisation and batch order); the " +
                    $"figure shows seed {f.Seed}, the table every seed, intervals are 95% Student-t over seeds"),
            ],
            Tables =
            [
                Table.Of("Every seed after its last epoch", r.Runs, ("seed", x => $"{x.Seed}"), ("epochs", x => $"{x.History.Count}"),
                    ("training accuracy (shuffled)", x => $"{x.Last.TrainAccuracy:P2}"), ("test accuracy", x => $"{x.Last.TestAccuracy:P2}"),
                    ("chance", x => $"{x.ChanceAccuracy:P2}"),
                    ("test loss, first → last epoch", x => $"{x.First.TestLoss:0.###} → {x.Last.TestLoss:0.###}")),
            ],
            Figures =
            [
                new Figure("random-labels", "Training on shuffled labels",
                    $"Cross-entropy (left) and accuracy (right) on the shuffled training labels and on the true test labels after each epoch, seed " +
                    $"{f.Seed}.",
                [
                    new Panel("loss", new Axis("epoch"), new Axis("cross-entropy"),
                        [S("training (shuffled labels)", h => h.TrainLoss), S("test", h => h.TestLoss, SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("epoch"), new Axis("accuracy"),
                        [S("training (shuffled labels)", h => h.TrainAccuracy), S("test", h => h.TestAccuracy, SeriesStyle.DashedLine)]),
                ]),
            ],
            Comments =
            [
                $"The network memorized labels that carry no information: on seed {f.Seed} training accuracy rose from {first.TrainAccuracy:P1} " +
                $"after the first epoch to {last.TrainAccuracy:P1} after {epochs} epochs, and training loss fell from {first.TrainLoss:0.###} to " +
                $"{last.TrainLoss:0.###}; " +
                $"{r.Runs.Count(x => x.Last.TrainAccuracy >= c.TargetAccuracy)} of {r.Runs.Count} seeds reached {c.TargetAccuracy:P0}, after " +
                $"{OverPositive(x => x.History.Count).Format("0")} epochs.",
                Findings.RandomLabelTransfer(Over(x => x.ExcessOverChance), Margin(r), Over(x => x.ChanceAccuracy).Estimate) +
                    $" Final test accuracy was {Percent(Over(x => x.Last.TestAccuracy).Within(0, 1))}, and test loss rose " +
                    $"{testLoss.Format("0.#")}-fold " +
                    $"from the first epoch to the last as the network grew confident in memorized, meaningless answers.",
                Findings.Memorization(r.Runs.Count(x => x.Last.TrainAccuracy >= c.TargetAccuracy), r.Runs.Count),
            ],
            Headline = [new Metric("final training accuracy (mean)", Over(x => x.Last.TrainAccuracy).Within(0, 1).Estimate),
                new Metric("final test accuracy (mean)", Over(x => x.Last.TestAccuracy).Within(0, 1).Estimate),
                    new Metric("epochs (mean)", OverPositive(x => x.History.Count).Estimate)],
        };
    }
}
