using HW1.Research.Reporting;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>
/// HW1-2 bonus, visualize the error surface: the training loss of a trained MNIST MLP on a plane spanned by two
/// random filter-normalized directions through its weights (Li et al. 2018), as a heatmap and a 1-D slice.
/// </summary>
public sealed class ErrorSurfaceTests(ITestOutputHelper output) : Experiment<ErrorSurfaceTests.Config,
    IReadOnlyList<ErrorSurfaceTests.Result>>(output)
{
    public override Question Question { get; } = new("1-2-error-surface", Part.Optimization, 4,
        "Optimization (bonus): visualize the error surface",
        "Visualize the error surface around trained weights and describe the method.")
    { Bonus = true };

    public sealed record Config(int TrainExamples, int SurfaceExamples, int[] Hidden, int Epochs, int BatchSize, double LearningRate, int GridPoints,
        double Span, long FirstSeed, int Seeds, int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };

        public double[] Axis => Enumerable.Range(0, GridPoints).Select(i => -Span + (2 * Span * i / (GridPoints - 1))).ToArray();
    }

    public override Config Quick =>
        new(10_000, 2_000, [64, 32], Epochs: 5, BatchSize: 128, LearningRate: 1e-3, GridPoints: 21, Span: 1.0, FirstSeed: 51, Seeds: 2, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, SurfaceExamples = 10_000, Epochs = 10, GridPoints = 41, Seeds = 5 };

    /// <summary>The loss on the grid (rows b, columns a), along direction 1 alone, the trained weights' own loss measured directly, and the final
    /// training loss.</summary>
    public sealed record Result(long Seed, double[][] Surface, double[] Slice, double TrainedLoss, double FinalTrainLoss)
    {
        public double Centre => Surface[Surface.Length / 2][Surface.Length / 2];
        public double Minimum => Surface.SelectMany(r => r).Min();
        public double[] Corners => [Surface[0][0], Surface[0][^1], Surface[^1][0], Surface[^1][^1]];
    }

    protected override IReadOnlyList<Result> Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, 2_000);
        using var surfaceSet = data.All.Train.Take(c.SurfaceExamples);
        var results = new List<Result>();
        for (long seed = c.FirstSeed; seed < c.FirstSeed + c.Seeds; seed++)
        {
            using var random = Reproducibility.Seed(seed, c.Threads);
            using var model = Mlp.Create(784, c.Hidden, 10);
            var history = ClassifierTrainer.Train(model, data.Train, data.Test,
                new ClassifierTraining(c.Epochs, c.BatchSize, c.LearningRate) { Name = $"{Question.Id}: seed {seed}" }, random);

            var parameters = model.parameters().Cast<Tensor>().ToList();
            var d1 = LossLandscape.FilterNormalizedDirection(parameters, random.Torch);
            var d2 = LossLandscape.FilterNormalizedDirection(parameters, random.Torch);
            double Loss() => ClassifierTrainer.Evaluate(model, surfaceSet).Loss;
            var surface = LossLandscape.Surface(parameters, Loss, d1, d2, c.Axis, c.Axis);
            var slice = LossLandscape.Surface(parameters, Loss, d1, d2, c.Axis, [0.0])[0];
            foreach (var t in d1.Concat(d2)) t.Dispose();
            var r = new Result(seed, surface, slice, Loss(), history[^1].TrainLoss);
            Log($"seed {seed}: centre {r.Centre:F4}, grid minimum {r.Minimum:F4}, corners " +
                $"{string.Join(", ", r.Corners.Select(v => v.ToString("F3")))}");
            results.Add(r);
        }
        return results;
    }

    protected override IEnumerable<Claim> Claims(Config c, IReadOnlyList<Result> results)
    {
        var through = results.Count(r => Math.Round(r.Centre, 6) == Math.Round(r.TrainedLoss, 6));
        yield return Claim.Sanity("The plane passes through the trained weights",
            "grid centre's loss equal to the trained weights' to 6 decimals, every seed", "the same weights on the same data",
            string.Join("; ", results.Select(r => $"{r.Centre:0.######} vs {r.TrainedLoss:0.######}")), through == results.Count);
        var bottoms = results.Select(r => r.Minimum / r.Centre).ToArray();
        yield return Statistic.Mean("(grid minimum / centre)").Above(0.95).Decide("Li et al. 2018", "Trained weights lie at the bottom of a basin",
            "along random filter-normalized directions a trained network's loss rises on every side; 5% leaves room for a bottom slightly off the " +
            "trained point",
            bottoms) with
        { Label = "Trained weights sit at a basin's bottom" };
        yield return Statistic.GeometricMean("(lowest corner's loss, one filter-norm in both directions) / centre's", "0.#").Above(WallRatio).Decide(
            "Li et al. 2018", "The basin's walls rise once the weights move by their own scale",
            "Li et al.'s MLP surfaces rise several-fold within one filter-norm; twice is the least that shows a wall",
            LowestCornerOverCentre(results)) with
        { Label = "Walls rise within one filter-norm" };
    }

    /// <summary>The least rise, lowest corner's loss over the centre's, that shows a wall (the walls claim's threshold).</summary>
    private const double WallRatio = 2;

    /// <summary>Each seed's lowest corner's loss over its centre's: the walls claim's statistic, which the description's sentence reuses.</summary>
    private static double[] LowestCornerOverCentre(IReadOnlyList<Result> results) => results.Select(r => r.Corners.Min() / r.Centre).ToArray();

    protected override object Snapshot(IReadOnlyList<Result> results) => results.Select(r => new
    {
        r.Seed,
        r.FinalTrainLoss,
        CentreLoss = r.Centre,
        GridMinimum = r.Minimum,
        MeanCornerLoss = r.Corners.Average(),
        SliceEnds = new[] { r.Slice[0], r.Slice[^1] },
    }).ToList();

    protected override SectionContent Describe(Config c, IReadOnlyList<Result> results)
    {
        var r = results[0];
        var (axis, centre, minimum, corners) = (c.Axis, r.Centre, r.Minimum, r.Corners);
        var wallsOverSeeds = Statistics.MeanInterval(results.Select(x => Math.Log(x.Corners.Average() / x.Centre)).ToArray()).Exp();
        return new SectionContent
        {
            Settings =
            [
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("training",
                    $"MNIST, first {c.TrainExamples:N0} images, Adam {c.LearningRate}, batch {c.BatchSize}, {c.Epochs} epochs; final training loss " +
                    $"{r.FinalTrainLoss:0.####}"),
                new("method",
                    "loss at θ* + a·d1 + b·d2 for two random Gaussian directions, filter-normalized (each row of every weight matrix scaled to the " +
                    "norm of that row of θ*; biases not moved), Li et al. 2018"),
                new("grid", $"{c.GridPoints} × {c.GridPoints} points, a and b from {-c.Span} to {c.Span}"),
                new("loss", $"mean cross-entropy on the first {c.SurfaceExamples:N0} training images"),
                new("seeds",
                    $"{c.Seeds} ({c.FirstSeed} to {c.FirstSeed + c.Seeds - 1}): each trains a model, then draws its two directions; the figures " +
                    $"show seed {c.FirstSeed}, the claims use every seed"),
            ],
            Figures =
            [
                new Figure("error-surface", "Loss surface around the trained weights",
                    $"Training loss on the plane through the trained weights (centre) spanned by two filter-normalized random directions (seed " +
                    $"{c.FirstSeed}).",
                    [new Panel("", new Axis("a (direction 1)"), new Axis("b (direction 2)"),
                        []) { Grid = new Grid(axis, axis, r.Surface, "training loss") }]),
                new Figure("error-slice", "Loss along one direction",
                    $"Training loss along the first direction alone (b = 0), log scale (seed {c.FirstSeed}).",
                    [new Panel("", new Axis("a (direction 1)"), new Axis("training loss (log scale)", Log: true),
                        [new Series("b = 0", axis, r.Slice) { Style = SeriesStyle.LineAndMarkers }])]),
            ],
            Comments =
            [
                Findings.BasinBottom(centre, minimum),
                Findings.BasinWalls(centre, corners, wallsOverSeeds, LowestCornerOverCentre(results), WallRatio),
                $"Along direction 1 alone the loss goes from {r.Slice[0]:0.###} (a = {-c.Span}) through {r.Slice[c.GridPoints / 2]:0.####} (a = 0) " +
                $"to {r.Slice[^1]:0.###} (a = {c.Span}).",
            ],
            Headline = [new Metric("centre loss", centre), new Metric("mean corner loss", corners.Average())],
        };
    }
}
