using HW1.Research.Reporting;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, flatness vs generalization part 1: two models trained differently (batch 64, learning rate 1e-3 and
/// batch 1024, learning rate 1e-2), and the loss and accuracy along the line θ(α) = (1 − α)θ1 + αθ2.
/// </summary>
public sealed class FlatnessInterpolationTests(ITestOutputHelper output) : Experiment<FlatnessInterpolationTests.Config,
    IReadOnlyList<FlatnessInterpolationTests.Line>>(output)
{
    public override Question Question { get; } = new("1-3-flatness-interpolation", Part.Generalization, 3,
        "Generalization: flatness vs generalization, part 1 (interpolation)",
        "Train two models with different approaches; evaluate loss and accuracy of the linear interpolation θ(α) = (1 − α)θ1 + αθ2 between them.");

    /// <summary>One of the assignment's two approaches.</summary>
    public sealed record Approach(string Name, int Batch, double Rate);

    /// <summary>
    /// Both approaches train until their training accuracy reaches <paramref name="TargetTrainAccuracy"/> (at most <paramref name="MaxEpochs"/>),
    /// from the same initialization for a given seed; seeds FirstSeed … FirstSeed + Seeds − 1, one line per seed.
    /// </summary>
    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, double TargetTrainAccuracy, int MaxEpochs, int AlphaPoints,
        long FirstSeed, int Seeds, int Threads, Approach[] Approaches) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };
    }

    public override Config Quick =>
        new(5_000, 2_000, [64, 32], TargetTrainAccuracy: 0.99, MaxEpochs: 2_000, AlphaPoints: 31, FirstSeed: 71, Seeds: 2, Threads: 2,
        [new("m1", 64, 1e-3), new("m2", 1024, 1e-2)]);

    public override Config Full => Quick with { TrainExamples = 10_000, TestExamples = 10_000, AlphaPoints = 61, Seeds = 5 };

    public sealed record AlphaPoint(double Alpha, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

    /// <summary>One seed: each approach's epochs to the criterion and own evaluation, and the points along the line through both.</summary>
    public sealed record Line(long Seed, IReadOnlyList<int> Epochs, IReadOnlyList<(Evaluation Train, Evaluation Test)> Direct,
        IReadOnlyList<AlphaPoint> Points)
    {
        public AlphaPoint At(double alpha) => Points.MinBy(p => Math.Abs(p.Alpha - alpha))!;
        public AlphaPoint PeakBetween => Points.Where(p => p.Alpha > 0 && p.Alpha < 1).MaxBy(p => p.TrainLoss)!;
        public double WorseEndpointLoss => Math.Max(At(0).TrainLoss, At(1).TrainLoss);
    }

    protected override IReadOnlyList<Line> Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        var lines = new List<Line>();
        for (long seed = c.FirstSeed; seed < c.FirstSeed + c.Seeds; seed++)
        {
            var endpoints = new List<Tensor[]>();
            var direct = new List<(Evaluation Train, Evaluation Test)>();
            var epochs = new List<int>();
            foreach (var (name, batch, rate) in c.Approaches)
            {
                using var random = Reproducibility.Seed(seed, c.Threads);
                using var trained = Mlp.Create(784, c.Hidden, 10);
                // Only the epochs are kept from the training's evaluations (the endpoints are evaluated below), so the test set is measured once.
                var settings = ClassifierTraining.UntilTrainAccuracy(c.TargetTrainAccuracy, c.MaxEpochs, batch, rate,
                    $"{Question.Id}: seed {seed}, {name} (batch {batch})", testOnlyAtEnd: true);
                epochs.Add(ClassifierTrainer.Train(trained, data.Train, data.Test, settings, random)[^1].Epoch);
                endpoints.Add(ParameterVector.Snapshot(trained.parameters()));
                direct.Add((ClassifierTrainer.Evaluate(trained, data.Train), ClassifierTrainer.Evaluate(trained, data.Test)));
                Log($"seed {seed}, {name}: batch {batch}, learning rate {rate}: {epochs[^1]} epochs, training loss {direct[^1].Train.Loss:F4}, " +
                    $"test accuracy {direct[^1].Test.Accuracy:P2}");
            }

            // The model has no batch normalization, so interpolating the parameters interpolates the whole state;
            // a model with running statistics would need its buffers interpolated the same way.
            using var model = Mlp.Create(784, c.Hidden, 10);
            var parameters = model.parameters().Cast<Tensor>().ToList();
            using var differenceScope = NewDisposeScope();
            var difference = endpoints[1].Zip(endpoints[0], (b, a) => b - a).ToArray();
            var points = Alphas(c).Select(alpha =>
            {
                ParameterVector.SetTo(parameters, endpoints[0], (alpha, difference));
                var onTrain = ClassifierTrainer.Evaluate(model, data.Train);
                var onTest = ClassifierTrainer.Evaluate(model, data.Test);
                return new AlphaPoint(alpha, onTrain.Loss, onTrain.Accuracy, onTest.Loss, onTest.Accuracy);
            }).ToList();
            foreach (var t in endpoints.SelectMany(e => e)) t.Dispose();
            lines.Add(new Line(seed, epochs, direct, points));
        }
        return lines;
    }

    private static double[] Alphas(Config c) => Enumerable.Range(0, c.AlphaPoints).Select(i => -1.0 + (3.0 * i / (c.AlphaPoints - 1))).ToArray();

    protected override IEnumerable<Claim> Claims(Config c, IReadOnlyList<Line> lines)
    {
        // α = 0 and α = 1 are m1 and m2 themselves: setting the weights through the interpolation must give their metrics.
        var identical = lines.SelectMany(l => new[] { 0.0, 1.0 }.Zip(l.Direct, (alpha, d) => (d, on: l.At(alpha))))
            .Count(x =>
            Math.Round(x.d.Train.Loss, 5) == Math.Round(x.on.TrainLoss, 5) && Math.Round(x.d.Test.Accuracy, 6) == Math.Round(x.on.TestAccuracy, 6));
        yield return Claim.Sanity("θ(0) and θ(1) are m1 and m2 themselves", "training loss equal to 5 decimals, test accuracy to 6, for every seed",
            "the same parameters on the same data; only float rounding may differ", $"{identical} of {2 * lines.Count} endpoints",
            identical == 2 * lines.Count);
        yield return Claim.Sanity("Both approaches reach the training criterion",
            $"training accuracy ≥ {c.TargetTrainAccuracy:P0} within {c.MaxEpochs} epochs, every seed",
            "the two minima are compared at equal fit only if both get there",
            string.Join("; ", lines.Select(l => $"seed {l.Seed}: {l.Direct[0].Train.Accuracy:P2} / {l.Direct[1].Train.Accuracy:P2}")),
            lines.All(l => l.Direct.All(d => d.Train.Accuracy >= c.TargetTrainAccuracy)));
        // Marked in both profiles: the full profile contradicts it on every seed, and the quick profile's two seeds, shifted
        // (HW1_SEED_OFFSET=1), contradict it too, while the canonical ones leave it undecided.
        yield return Statistic.GeometricMean("the ratio of training loss at α = 2 to that at α = −1").Above(1).Decide(
            "Keskar et al. 2017",
            $"The loss rises more steeply beyond the large-batch model ({c.Approaches[1].Name}) than beyond the small-batch one",
            "Keskar et al.'s line plots show the large-batch minimum as the sharper side; both models are trained to the same training accuracy, " +
            "so " +
            "the ends differ in how they were reached, not in how far",
            lines.Select(l => l.Points[^1].TrainLoss / l.Points[0].TrainLoss).ToArray()) with
        {
            KnownFailure = "at the same training accuracy the loss rises more beyond the small-batch model on every seed, so the interval lies " +
                "below 1; one line through two " +
                $"minima, one of them reached at {c.Approaches[1].Rate / c.Approaches[0].Rate:0.#} times the learning rate, is a single direction, " +
                $"not Keskar et al.'s box around each minimum (the sharpness section measures that)",
            Label = "Loss rises faster past the large-batch minimum",
        };
        yield return Statistic.GeometricMean("(the lower of the losses at α = −1 and α = 2) / (the worse endpoint's loss)", "0.#").Above(2).Decide(
            "the assignment's figure", "A full step past either minimum leaves its basin",
            "the assignment's figure shows a rise of orders of magnitude there; twice is the least that still means leaving the basin",
            lines.Select(l => Math.Min(l.Points[0].TrainLoss, l.Points[^1].TrainLoss) / l.WorseEndpointLoss).ToArray()) with
        { Label = "A full step leaves the basin" };
    }

    protected override object Snapshot(IReadOnlyList<Line> lines) => lines.Select(l => new
    {
        l.Seed,
        l.Epochs,
        M1 = new { TrainLoss = l.Direct[0].Train.Loss, TestAccuracy = l.Direct[0].Test.Accuracy },
        M2 = new { TrainLoss = l.Direct[1].Train.Loss, TestAccuracy = l.Direct[1].Test.Accuracy },
        PeakBetween = new { l.PeakBetween.Alpha, l.PeakBetween.TrainLoss },
        AtMinusOne = new { l.Points[0].TrainLoss, l.Points[0].TrainAccuracy },
        AtTwo = new { l.Points[^1].TrainLoss, l.Points[^1].TrainAccuracy },
    }).ToList();

    protected override SectionContent Describe(Config c, IReadOnlyList<Line> lines)
    {
        var alphas = Alphas(c);
        Interval Over(int i, Func<AlphaPoint, double> f) => Statistics.MeanInterval(lines.Select(l => f(l.Points[i])).ToArray());
        Series S(string name, Func<AlphaPoint, double> f, SeriesStyle style = SeriesStyle.Line) =>
            Series.OfIntervals(name, Enumerable.Range(0, alphas.Length), i => alphas[i],
            i => { var v = Over(i, f); return (v.Estimate, v.Low, v.High); }, style);
        Interval Direct(int model, Func<(Evaluation Train, Evaluation Test), double> f) =>
            Statistics.MeanInterval(lines.Select(l => f(l.Direct[model])).ToArray());
        var (m1, m2) = (c.Approaches[0], c.Approaches[1]);
        var peak = Statistics.MeanInterval(lines.Select(l => l.PeakBetween.TrainLoss / l.WorseEndpointLoss).ToArray());
        var (first, last) = (Over(0, p => p.TrainLoss), Over(alphas.Length - 1, p => p.TrainLoss));
        return new SectionContent
        {
            Settings =
            [
                new("model", $"{Mlp.Describe(784, c.Hidden, 10)}; no batch normalization, so the parameters are the whole state"),
                new("m1", $"Adam, batch size {m1.Batch}, learning rate {m1.Rate}"),
                new("m2", $"Adam, batch size {m2.Batch}, learning rate {m2.Rate}"),
                new("training",
                    $"MNIST, first {c.TrainExamples:N0} images, each model until its training accuracy reaches {c.TargetTrainAccuracy:P0} (at most " +
                    $"{c.MaxEpochs} epochs); m1 and m2 start from the same initialization for a given seed"),
                new("seeds",
                    $"{c.Seeds} ({c.FirstSeed} to {c.FirstSeed + c.Seeds - 1}), one pair of models and one line each; intervals are 95% Student-t " +
                    $"intervals over seeds"),
                new("interpolation",
                    $"θ(α) = (1 − α)θ1 + αθ2 at {c.AlphaPoints} values of α from −1 to 2; cross-entropy and accuracy on the training set and the " +
                    $"first {c.TestExamples:N0} test images"),
            ],
            Figures =
            [
                new Figure("interpolation", "Loss and accuracy along θ(α)",
                    $"Cross-entropy (log scale, left) and accuracy (right) of θ(α) on the training and test sets, mean over {c.Seeds} seeds with " +
                    $"95% intervals; α = 0 is m1 (batch {m1.Batch}), α = 1 is m2 (batch {m2.Batch}).",
                [
                    new Panel("cross-entropy", new Axis("α"), new Axis("cross-entropy (log scale)", Log: true),
                        [S("training", p => p.TrainLoss), S("test", p => p.TestLoss, SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("α"), new Axis("accuracy"),
                        [S("training", p => p.TrainAccuracy), S("test", p => p.TestAccuracy, SeriesStyle.DashedLine)]),
                ]),
            ],
            Comments =
            [
                $"At the same training accuracy, m1 (batch {m1.Batch}) had training loss {Direct(0, d => d.Train.Loss).Format("0.####")} and test " +
                $"accuracy {Direct(0, d => d.Test.Accuracy).Format("0.0000")}; m2 (batch {m2.Batch}, {m2.Rate / m1.Rate:0.#} times the learning " +
            $"rate) " +
                $"{Direct(1, d => d.Train.Loss).Format("0.####")} and {Direct(1, d => d.Test.Accuracy).Format("0.0000")} (means over {c.Seeds} " +
            $"seeds).",
                Findings.Barrier(peak),
                $"Beyond the endpoints the loss grows fast: {first.Format("0.##")} at α = −1 and {last.Format("0.##")} at α = 2. " +
                Findings.SteeperSide(first.Estimate, last.Estimate, m1.Batch, m2.Batch),
            ],
            Headline = [new Metric("m1 test accuracy", Direct(0, d => d.Test.Accuracy).Estimate),
                new Metric("m2 test accuracy", Direct(1, d => d.Test.Accuracy).Estimate),
                    new Metric("peak training loss between / worse endpoint", peak.Estimate)],
        };
    }
}
