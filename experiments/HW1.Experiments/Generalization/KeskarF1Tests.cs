using HW1.Research.Data;
using HW1.Research.Reporting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3 bonus, in Keskar et al. 2017's own regime: their network F1 (784-512×5-10, batch-normalized ReLU layers) on the whole MNIST
/// training set, small batch 256 against large batch 10% of the training set, Adam, each trained from the same initialization until
/// its training loss falls below a small target; sharpness over Keskar's ε-box by a maximizer run to convergence, beside his Tables 2 and 3.
/// The ten-batch sweep of <see cref="SharpnessTests"/> stays the assignment's trend study on a small net; this is the paper's comparison.
/// </summary>
[ReplicatesSeeds]
public sealed class KeskarF1Tests(ITestOutputHelper output) : Experiment<KeskarF1Tests.Config, KeskarF1Tests.Result>(output)
{
    public override Question Question { get; } = new("1-3-keskar-f1", Part.Generalization, 6,
        "Generalization (bonus): large against small batch in Keskar et al.'s regime",
        "Train the same model with at least ten approaches, compute the sharpness of each and relate it to generalization: here Keskar et al. " +
        "2017's " +
        "own comparison, network F1 on all of MNIST, small batch against large batch, set beside the numbers the paper reports.")
    { Bonus = true };

    /// <summary>
    /// Network 784-<paramref name="Hidden"/>-10 with batch normalization; small batch <paramref name="SmallBatch"/> and large batch
    /// <paramref name="LargeBatchFraction"/> of the <paramref name="TrainExamples"/> training images; each trained with Adam until its training
    /// loss (whole training set, eval mode, after an epoch) is at most <paramref name="TargetTrainLoss"/>, for at most <paramref name="MaxEpochs"/>.
    /// Sharpness at each ε in <paramref name="Epsilons"/> on the first <paramref name="SharpnessExamples"/> training images, at most
    /// <paramref name="BoxIterations"/> loss evaluations; top Hessian eigenvalue on the first <paramref name="HessianExamples"/>.
    /// </summary>
    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int SmallBatch, double LargeBatchFraction, double TargetTrainLoss,
        int MaxEpochs, double LearningRate, double[] Epsilons, int SharpnessExamples, int HessianExamples, int BoxIterations, long FirstSeed,
        int Seeds, int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };

        /// <summary>The large batch: <see cref="LargeBatchFraction"/> of the training images, rounded.</summary>
        public int LargeBatch => (int)Math.Round(LargeBatchFraction * TrainExamples);
    }

    public override Config Quick => new(5_000, 2_000, [512, 512, 512, 512, 512], SmallBatch: 256, LargeBatchFraction: 0.1, TargetTrainLoss: 0.05,
        MaxEpochs: 500, LearningRate: 1e-3, Epsilons: [1e-3, 5e-4], SharpnessExamples: 500, HessianExamples: 500, BoxIterations: 1_000,
        FirstSeed: 131, Seeds: 2, Threads: 2);

    public override Config Full => Quick with
    {
        TrainExamples = 60_000,
        TestExamples = 10_000,
        TargetTrainLoss = 0.01,
        SharpnessExamples = 2_000,
        HessianExamples = 2_000,
        Seeds = 5,
    };

    /// <summary>Keskar et al. 2017, Table 3 (sharpness in full space), network F1: mean ± standard deviation over 5 runs.</summary>
    public static readonly IReadOnlyList<(double Epsilon, double Small, double SmallSd, double Large, double LargeSd)> PaperSharpness =
        [(1e-3, 1.23, 0.83, 205.14, 69.52), (5e-4, 0.61, 0.27, 42.90, 17.14)];

    /// <summary>Keskar et al. 2017, Table 2, network F1: training and test accuracy (%) of the small and the large batch, mean ± standard
    /// deviation.</summary>
    public static readonly (double SmallTrain, double LargeTrain, double SmallTest, double SmallTestSd, double LargeTest, double LargeTestSd)
        PaperAccuracy = (99.66, 99.92, 98.03, 0.07, 97.81, 0.07);

    /// <summary>One epoch's evaluation on the way to the target.</summary>
    public sealed record Point(int Epoch, double TrainLoss, double TestAccuracy);

    public sealed record Model(long Seed, int BatchSize, int Epochs, long Steps, double TrainLoss, double TrainAccuracy, double TestLoss,
        double TestAccuracy,
        double TopEigenvalue, bool PowerIterationConverged, IReadOnlyList<BoxSharpness> Box, IReadOnlyList<Point> Curve)
    {
        public double Sharpness(double epsilon) => Box.Single(b => b.Epsilon == epsilon).Percent;
    }

    public sealed record Result(IReadOnlyList<Model> Models)
    {
        public IEnumerable<Model> At(int batch) => Models.Where(m => m.BatchSize == batch);
    }

    /// <summary>Power iteration's budget and stopping rule (a relative change of the estimate below the tolerance), as in the sweep.</summary>
    private const int PowerIterations = 100;
    private const double PowerTolerance = 1e-3;

    /// <summary>The box maximizer's stopping rule (Sharpness.Box): a last accepted gain below this fraction of 1 + L.</summary>
    private const double BoxTolerance = 1e-5;

    protected override Result Run(Config c)
    {
        if (!(c.LargeBatch > c.SmallBatch))
            throw new ArgumentException($"{Question.Id}: the large batch ({c.LargeBatchFraction} of {c.TrainExamples} = {c.LargeBatch}) must " +
                $"exceed " +
                $"the small batch {c.SmallBatch}.");
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        using var sharpnessSet = data.All.Train.Take(c.SharpnessExamples);
        using var hessianSet = data.All.Train.Take(c.HessianExamples);
        var perSeed = PerSeed(c.FirstSeed, c.Seeds, seed =>
        {
            var models = new List<Model>();
            foreach (var batch in new[] { c.SmallBatch, c.LargeBatch })
            {
                using var random = Reproducibility.Seed(seed, c.Threads);
                using var model = Mlp.CreateBatchNormalized(784, c.Hidden, 10);
                var settings = new ClassifierTraining(c.MaxEpochs, batch, c.LearningRate)
                {
                    StopWhen = m => m.TrainLoss <= c.TargetTrainLoss,
                    Name = $"{Question.Id}: seed {seed}, batch {batch}",
                };
                var history = ClassifierTrainer.Train(model, data.Train, data.Test, settings, random);
                var last = history[^1];
                long steps = last.Epoch * ((c.TrainExamples + batch - 1L) / batch);
                model.eval();
                var parameters = model.parameters().Cast<Tensor>().ToList();
                var top = Sharpness.TopHessianEigenvalue(parameters,
                    () => nn.functional.cross_entropy(model.call(hessianSet.Images), hessianSet.Labels),
                    random.Torch, PowerIterations, PowerTolerance);
                var box = c.Epsilons.Select(e =>
                    Sharpness.Box(parameters, () => nn.functional.cross_entropy(model.call(sharpnessSet.Images), sharpnessSet.Labels),
                    e, c.BoxIterations, BoxTolerance, BoxAscent.Sign)).ToList();
                Log($"seed {seed}, batch {batch}: {last.Epoch} epochs ({steps} steps) to training loss {last.TrainLoss:0.#####} (accuracy " +
                    $"{last.TrainAccuracy:P2}), " +
                    $"test accuracy {last.TestAccuracy:P2}, top eigenvalue {top.Value:0.###}, sharpness " +
                    string.Join(", ",
                    box.Select(b => $"{b.Percent:0.###}% at ε = {b.Epsilon:0E0} ({b.Iterations} evaluations, converged {b.Converged})")));
                models.Add(new Model(seed, batch, last.Epoch, steps, last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy, top.Value,
                    top.Converged,
                    box, [.. history.Select(h => new Point(h.Epoch, h.TrainLoss, h.TestAccuracy))]));
            }
            return models;
        });
        return new Result([.. perSeed.SelectMany(m => m)]);
    }

    /// <summary>Per seed, large-batch value / small-batch value: the paired statistic of Keskar's comparison.</summary>
    private static double[] Ratios(Config c, Result r, Func<Model, double> value) =>
        r.At(c.LargeBatch).Zip(r.At(c.SmallBatch), (large, small) => value(large) / value(small)).ToArray();

    private static Interval RatioInterval(Config c, Result r, Func<Model, double> value) =>
        Statistics.MeanInterval(Ratios(c, r, value).Select(x => Math.Log(x)).ToArray()).Exp();

    /// <summary>Per seed, test accuracy in points, small − large.</summary>
    private static double[] AccuracyGaps(Config c, Result r) =>
        r.At(c.SmallBatch).Zip(r.At(c.LargeBatch), (small, large) => 100 * small.TestAccuracy - 100 * large.TestAccuracy).ToArray();

    /// <summary>Test accuracy in points, small − large, paired by seed: the mean with its interval over seeds.</summary>
    private static Interval AccuracyGap(Config c, Result r) => Statistics.MeanInterval(AccuracyGaps(c, r));

    /// <summary>
    /// The quick profile (a tenth of MNIST, 2 seeds) is a run of the machinery, not Keskar's regime: a comparison with his numbers that
    /// does not hold there is marked as such; the full profile judges every one.
    /// </summary>
    private Claim JudgedInFull(Claim claim, Config c) => Profile.IsFull || claim.Holds ? claim : claim with
    {
        KnownFailure = $"quick profile: {c.TrainExamples:N0} training images and {c.Seeds} seeds are not Keskar et al.'s regime; the full profile " +
            $"(all 60,000, 5 seeds) judges the paper's number",
    };

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        const string keskar = "Keskar et al. 2017";
        static string F(Interval i, string format = "0.00") => i.Format(format);
        foreach (var (epsilon, small, _, large, _) in PaperSharpness)
        {
            var claim = JudgedInFull(Claim.ByRatioAgainstPaper(keskar,
                $"On F1, at ε = {epsilon:0E0}, the large batch ({c.LargeBatch}) finds a minimum sharper than the small batch ({c.SmallBatch}) by " +
                $"the paper's order of magnitude",
                "Keskar et al.'s claim is the size of the effect as well as its direction; in their own regime it should come back at least at " +
                "half " +
                "its size on the log scale",
                "ε-sharpness, large / small (paired by seed)", $"Keskar et al. 2017, Table 3, F1: {large} vs {small}", large / small,
                Ratios(c, r, m => m.Sharpness(epsilon))), c) with
            { Label = $"F1: sharper at the large batch, ε = {epsilon:0E0}" };
            // The rule was written before the full run; at ε = 1e-3 that run's interval straddles the bar (the reason quotes it).
            yield return epsilon != 1e-3 ? claim : KnownFailureInFull(claim,
                $"the interval, {RatioInterval(c, r, m => m.Sharpness(epsilon)).Format("0.#")}×, straddles the bar √{large / small:0} = " +
                $"{Math.Sqrt(large / small):0.#}: " +
                $"over {c.Seeds} seeds the ratio at ε = 1e-3 is far above 1 but not decided against half Keskar et al.'s effect (one seed's ratio, " +
                $"{Ratios(c, r, m => m.Sharpness(epsilon)).Min():0.#}×, sits below the bar)");
        }
        yield return Statistic.GeometricMean("the ratio of top eigenvalues, large / small (paired by seed)").Above(1).Decide(
            keskar, "On F1, the large batch's minimum has the larger top Hessian eigenvalue",
            "a measure that does not depend on the box maximizer should agree in direction; the paper gives no number for it",
            Ratios(c, r, m => m.TopEigenvalue)) with
        { Label = "F1: larger top eigenvalue at the large batch" };
        var paperGap = PaperAccuracy.SmallTest - PaperAccuracy.LargeTest;
        // The rule was written before the full run; that run found no gap (the known-failure reason quotes what it measured).
        yield return KnownFailureInFull(JudgedInFull(Claim.ByDifferenceAgainstPaper(keskar,
            "On F1, the large batch tests worse than the small batch by about the paper's gap",
            "the generalization gap is the paper's headline; on F1 it is small (a fifth of a point), so half of it is the least that reproduces it",
            "test accuracy in points, small − large (paired by seed)",
            $"{paperGap:0.##} points (Keskar et al. 2017, Table 2, F1: {PaperAccuracy.SmallTest}% vs {PaperAccuracy.LargeTest}%)",
            paperGap, AccuracyGaps(c, r), "points"), c),
            $"trained to the same small loss, F1's large-batch minima are much sharper here but test as well as the small batch's " +
            $"({F(Over(r, c.LargeBatch, m => 100 * m.TestAccuracy).Within(0, 100))}% against " +
            $"{F(Over(r, c.SmallBatch, m => 100 * m.TestAccuracy).Within(0, 100))}%): with batch normalization and Adam the large batch " +
            $"reached the target in {F(OverPositive(r, c.LargeBatch, m => m.Steps), "0")} steps, and the sharper minimum did not cost test " +
            $"accuracy " +
            $"on these seeds") with
        { Label = "F1: the large batch tests worse" };

        yield return Claim.Sanity("Every model reaches the training-loss target",
            $"training loss ≤ {c.TargetTrainLoss:0.###} within {c.MaxEpochs} epochs",
            "the comparison is between minima, at the same small training loss",
            $"{r.Models.Count(m => m.TrainLoss <= c.TargetTrainLoss)} of {r.Models.Count}; most epochs {r.Models.Max(m => m.Epochs)}",
            r.Models.All(m => m.TrainLoss <= c.TargetTrainLoss));
        var boxes = r.Models.SelectMany(m => m.Box).ToList();
        yield return Claim.Sanity("Every box maximization converges",
            $"last accepted step's gain < {BoxTolerance:0E0} · (1 + L) within {c.BoxIterations} loss evaluations",
            "a maximizer stopped early understates sharpness",
            $"{boxes.Count(b => b.Converged)} of {boxes.Count}; most evaluations {boxes.Max(b => b.Iterations)}", boxes.All(b => b.Converged));
        yield return Claim.Sanity("Power iteration converges for every model",
            $"relative change < {PowerTolerance:0E0} within {PowerIterations} iterations",
            "an unconverged estimate is not the top eigenvalue", $"{r.Models.Count(m => m.PowerIterationConverged)} of {r.Models.Count}",
            r.Models.All(m => m.PowerIterationConverged && m.TopEigenvalue > 0));
    }

    private static (string Header, Func<Model, string> Cell)[] PerModelColumns(Config c) =>
    [
        ("seed", m => $"{m.Seed}"), ("batch", m => $"{m.BatchSize}"), ("epochs", m => $"{m.Epochs}"),
            ("training loss", m => $"{m.TrainLoss:0.#####}"),
        ("test accuracy (%)", m => $"{100 * m.TestAccuracy:0.00}"), ("top eigenvalue", m => $"{m.TopEigenvalue:0.###}"),
        .. c.Epsilons.Select(e =>
            ($"sharpness ε = {e.ToString("0E0", System.Globalization.CultureInfo.InvariantCulture)} (%)",
            (Func<Model, string>)(m => $"{m.Sharpness(e):0.###}"))),
        ("box evaluations", m => string.Join(" / ", m.Box.Select(b => $"{b.Iterations}{(b.Converged ? "" : " (not converged)")}"))),
    ];

    private static Interval Over(Result r, int batch, Func<Model, double> value) => Statistics.MeanInterval(r.At(batch).Select(value).ToArray());
    /// <summary>A positive quantity's geometric mean over the batch's seeds, with its interval on the log scale (never below zero).</summary>
    private static Interval OverPositive(Result r, int batch, Func<Model, double> value) =>
        Statistics.GeometricMeanInterval(r.At(batch).Select(value).ToArray());

    protected override SectionContent Describe(Config c, Result r)
    {
        string F(Interval i, string format = "0.###") => i.Format(format);
        var batches = new[] { c.SmallBatch, c.LargeBatch };
        var gap = AccuracyGap(c, r);
        var ratio = RatioInterval(c, r, m => m.Sharpness(c.Epsilons.Max()));
        var paper = PaperSharpness.Single(p => p.Epsilon == c.Epsilons.Max());
        var tenTimes = OverPositive(r, c.SmallBatch, m => m.Sharpness(c.Epsilons.Max())).Estimate > 10 * paper.Small &&
            OverPositive(r, c.LargeBatch, m => m.Sharpness(c.Epsilons.Max())).Estimate > 10 * paper.Large;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return new SectionContent
        {
            Settings =
            [
                new("model",
                    $"Keskar et al.'s F1: 784-{string.Join("-", c.Hidden)}-10, each hidden layer Linear → batch normalization → ReLU; " +
                    $"{Mlp.CountBatchNormalizedParameters(784, c.Hidden, 10):N0} parameters"),
                new("training",
                    $"the first {c.TrainExamples:N0} MNIST training images{(c.TrainExamples == 60_000 ? " (all of them)" : "")}; Adam, learning " +
                    $"rate {c.LearningRate.ToString(inv)}; " +
                    $"small batch {c.SmallBatch}, large batch {c.LargeBatch} ({c.LargeBatchFraction:P0} of the training set, Keskar's choice); " +
                    $"each until its training loss " +
                    $"(mean cross-entropy over the whole training set in eval mode, after an epoch) is at most {c.TargetTrainLoss.ToString(inv)} " +
                    $"(at most {c.MaxEpochs} epochs); test on the first {c.TestExamples:N0} test images"),
                new("seeds",
                    $"{c.Seeds} ({c.FirstSeed} to {c.FirstSeed + c.Seeds - 1}); both batches start from the same initialization for a given seed, " +
                    $"so comparisons are paired by seed; intervals are 95% Student-t intervals over seeds"),
                new("sharpness",
                    $"Keskar et al. 2017: 100·(max L(θ+δ) − L(θ))/(1 + L(θ)) over the box |δᵢ| ≤ ε(|θᵢ| + 1), every trainable parameter (batch " +
                    $"normalization's scales and shifts too; " +
                    $"its running statistics held), ε ∈ {{{string.Join(", ", c.Epsilons.Select(e => e.ToString("0E0", inv)))}}}, on the first " +
                    $"{c.SharpnessExamples:N0} training images in eval mode; " +
                    $"projected ascent along the gradient's sign (the box's own steepest ascent; the step halves after a rejected step and doubles " +
                    $"after an accepted one) until the last accepted step gains less than {BoxTolerance:0E0}·(1 + L) (at most {c.BoxIterations} " +
                    $"loss evaluations; Keskar et al. ran 10 iterations of L-BFGS-B on the whole training loss)"),
                new("top Hessian eigenvalue",
                    $"power iteration on Hessian-vector products of the mean cross-entropy on the first {c.HessianExamples:N0} training images, " +
                    $"eval mode; stops at a relative change below {PowerTolerance:0E0} or after {PowerIterations} iterations"),
                new("regime", Profile.IsFull
                    ? "this is Keskar et al.'s comparison; the ten-batch sweep of 1-3 (sharpness) on a 784-32-10 net is the assignment's trend " +
                        "study and is not his regime"
                    : $"the quick profile runs his network on {c.TrainExamples:N0} images with {c.Seeds} seeds: a check of the machinery, not his " +
                        $"regime; the full profile is his comparison"),
            ],
            Tables =
            [
                Table.Of("Each batch at the training-loss target: mean [95% interval] over seeds", batches,
                    ("batch", b => $"{b}"), ("epochs", b => F(OverPositive(r, b, m => m.Epochs), "0")),
                    ("steps", b => F(OverPositive(r, b, m => m.Steps), "0")),
                    ("training loss", b => F(OverPositive(r, b, m => m.TrainLoss), "0.0000")),
                    ("training accuracy (%)", b => F(Over(r, b, m => 100 * m.TrainAccuracy).Within(0, 100), "0.00")),
                    ("test accuracy (%)", b => F(Over(r, b, m => 100 * m.TestAccuracy).Within(0, 100), "0.00")),
                    ("top eigenvalue", b => F(OverPositive(r, b, m => m.TopEigenvalue), "0.##"))),
                Table.Of("Sharpness (%) beside Keskar et al.'s Table 3, F1", PaperSharpness,
                    ("ε", k => $"{k.Epsilon:0E0}"), ("Keskar: small", k => $"{k.Small} ± {k.SmallSd}"),
                    ("Keskar: large", k => $"{k.Large} ± {k.LargeSd}"), ("Keskar's ratio", k => $"{k.Large / k.Small:0}×"),
                    ($"here: batch {c.SmallBatch}", k => F(OverPositive(r, c.SmallBatch, m => m.Sharpness(k.Epsilon)))),
                    ($"here: batch {c.LargeBatch}", k => F(OverPositive(r, c.LargeBatch, m => m.Sharpness(k.Epsilon)))),
                    ("ratio here (paired, geometric mean)", k => $"{RatioInterval(c, r, m => m.Sharpness(k.Epsilon)).Format("0.##")}×")),
                Table.Of("Accuracy (%) beside Keskar et al.'s Table 2, F1", new[] { "training", "test" },
                    ("set", s => s),
                    ("Keskar: small",
                    s => s == "training" ? $"{PaperAccuracy.SmallTrain}" : $"{PaperAccuracy.SmallTest} ± {PaperAccuracy.SmallTestSd}"),
                    ("Keskar: large",
                    s => s == "training" ? $"{PaperAccuracy.LargeTrain}" : $"{PaperAccuracy.LargeTest} ± {PaperAccuracy.LargeTestSd}"),
                    ($"here: batch {c.SmallBatch}",
                    s => F(Over(r, c.SmallBatch, m => 100 * (s == "training" ? m.TrainAccuracy : m.TestAccuracy)), "0.00")),
                    ($"here: batch {c.LargeBatch}",
                    s => F(Over(r, c.LargeBatch, m => 100 * (s == "training" ? m.TrainAccuracy : m.TestAccuracy)), "0.00"))),
                Table.Of("Every model (per seed)", r.Models, PerModelColumns(c)),
            ],
            Figures =
            [
                new Figure("keskar-f1-training", "F1's training loss on the way to the target, small and large batch",
                    $"Training loss (whole training set, eval mode, log scale) after each epoch against optimizer steps (log scale), every seed; " +
                    $"solid: batch {c.SmallBatch}, dashed: batch {c.LargeBatch}. Training stops at loss {c.TargetTrainLoss.ToString(inv)}.",
                    [new Panel("training loss against steps", new Axis("optimizer steps (log scale)", Log: true),
                        new Axis("training loss (log scale)", Log: true),
                        [.. r.Models.Select(m =>
                            Series.Of($"seed {m.Seed}, batch {m.BatchSize}", m.Curve,
                            p => p.Epoch * (double)((c.TrainExamples + m.BatchSize - 1) / m.BatchSize), p => p.TrainLoss,
                            m.BatchSize == c.SmallBatch ? SeriesStyle.Line : SeriesStyle.DashedLine))])]),
            ],
            Comments =
            [
                $"In absolute terms the sharpness here " +
                $"{(tenTimes ? "is more than ten times Keskar et al.'s for both batches" : "differs from Keskar et al.'s")} " +
                $"(at ε = {c.Epsilons.Max():0E0}: {F(OverPositive(r, c.SmallBatch, m => m.Sharpness(c.Epsilons.Max())), "0.#")}% and " +
                $"{F(OverPositive(r, c.LargeBatch, m => m.Sharpness(c.Epsilons.Max())), "0.#")}% against {paper.Small}% and {paper.Large}%): the " +
                $"maximization here runs until it converges, " +
                "theirs stopped after 10 iterations of L-BFGS-B, so the absolute values are not comparable; the ratio of the two batches is the " +
                "number the two measurements share.",
                Findings.KeskarRatio(c.Epsilons.Max(), c.LargeBatch, c.SmallBatch, c.Seeds, ratio, paper.Large / paper.Small,
                    inKeskarsRegime: Profile.IsFull),
                $"At the training-loss target the small batch tested {F(Over(r, c.SmallBatch, m => 100 * m.TestAccuracy).Within(0, 100), "0.00")}% " +
                $"and the large batch {F(Over(r, c.LargeBatch, m => 100 * m.TestAccuracy).Within(0, 100), "0.00")}%: " +
                $"a gap of {gap.Format("0.##")} points, paired by seed, where Keskar et al. report " +
                $"{PaperAccuracy.SmallTest - PaperAccuracy.LargeTest:0.##}.",
            ],
            Headline = [new Metric($"F1 sharpness ratio {c.LargeBatch}/{c.SmallBatch}", ratio.Estimate),
                new Metric("F1 test accuracy gap (points)", gap.Estimate)],
        };
    }
}
