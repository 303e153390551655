using HW1.Research.Reporting;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>
/// HW1-2, visualize the optimization process: an MNIST MLP trained 8 times from different seeds, its weights
/// collected every 3 epochs, and the collected points reduced to 2-D by one PCA fitted over all events, once for
/// the first layer and once for the whole model.
/// </summary>
public sealed class OptimizationProcessTests(ITestOutputHelper output) : Experiment<OptimizationProcessTests.Config,
    OptimizationProcessTests.Result>(output)
{
    public override Question Question { get; } = new("1-2-optimization-process", Part.Optimization, 1,
        "Optimization: visualize the optimization process",
        "Collect the weights of an MNIST network every few epochs over 8 training events, reduce them to 2-D with PCA (one layer and the whole " +
        "model) and plot the paths with their accuracy.");

    public sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int Events, int Epochs, int CollectEvery, int BatchSize,
        double LearningRate, long FirstSeed, int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };
    }

    public override Config Quick =>
        new(5_000, 2_000, [64, 32], Events: 8, Epochs: 9, CollectEvery: 3, BatchSize: 128, LearningRate: 1e-3, FirstSeed: 31, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, TestExamples = 10_000, Epochs = 30 };

    /// <summary>One collected point: after how many epochs, the metrics there, and the weights.</summary>
    public sealed record Point(int Event, int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, float[] FirstLayer, float[] Whole);

    /// <summary>Every collected point in event order, the two PCA fits, and how many events move steadily away from their start.</summary>
    public sealed record Result(IReadOnlyList<Point> Points, PcaResult FirstLayer, PcaResult Whole, int EventsMovingOutward)
    {
        public IReadOnlyList<Point> Finals => Points.GroupBy(p => p.Event).Select(g => g.Last()).ToList();
    }

    private sealed class Collector(int @event, Sequential model, List<Point> points) : ITrainingObserver
    {
        public void AfterEvaluation(EpochMetrics m) => points.Add(Collect(@event, m.Epoch, m, model));
    }

    private static Point Collect(int @event, int epoch, EpochMetrics m, Sequential model) =>
        new(@event, epoch, m.TrainLoss, m.TrainAccuracy, m.TestAccuracy,
            ParameterVector.Flatten(model.named_parameters().Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal))
        .Select(p => (Tensor)p.parameter)),
            ParameterVector.Flatten(model.parameters()));

    protected override Result Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, c.TestExamples);
        var settings = new ClassifierTraining(c.Epochs, c.BatchSize, c.LearningRate) { EvaluateEvery = c.CollectEvery };
        var points = new List<Point>();
        for (int e = 0; e < c.Events; e++)
        {
            using var random = Reproducibility.Seed(c.FirstSeed + e, c.Threads);
            using var model = Mlp.Create(784, c.Hidden, 10);
            var (train, test) = (ClassifierTrainer.Evaluate(model, data.Train), ClassifierTrainer.Evaluate(model, data.Test));
            points.Add(Collect(e + 1, 0, new EpochMetrics(0, train.Loss, train.Accuracy, test.Loss, test.Accuracy), model));
            ClassifierTrainer.Train(model, data.Train, data.Test, settings with { Name = $"{Question.Id}: event {e + 1}" }, random,
                new Collector(e + 1, model, points));
            Log($"event {e + 1}: training accuracy {points[^1].TrainAccuracy:P2} after {c.Epochs} epochs");
        }
        var whole = Pca.Fit(points.Select(p => p.Whole).ToList());
        // Each event's path moves away from its start: the distance (whole-model PCA plane) to the starting point grows at every point.
        var outward = Paths(points).Count(path =>
        {
            var d = path.Select(i => Distance(whole.Projections[i], whole.Projections[path[0]])).ToList();
            return d.Zip(d.Skip(1)).All(pair => pair.Second > pair.First);
        });
        return new Result(points, Pca.Fit(points.Select(p => p.FirstLayer).ToList()), whole, outward);
    }

    /// <summary>Each event's point indices, in training order.</summary>
    private static IEnumerable<List<int>> Paths(IReadOnlyList<Point> points) =>
        points.Select((p, i) => (p.Event, i)).GroupBy(t => t.Event).Select(g => g.Select(t => t.i).ToList());

    private static double Distance(double[] a, double[] b) => Math.Sqrt(Math.Pow(a[0] - b[0], 2) + Math.Pow(a[1] - b[1], 2));

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        foreach (var f in r.Finals)
        {
            var first = r.Points.First(p => p.Event == f.Event);
            yield return Claim.Sanity($"Event {f.Event} trains", "final training accuracy ≥ 90% and final loss < a fifth of the start's",
                "chance is 10% and the loss at initialisation about ln 10 ≈ 2.3; whatever the profile, a working training clears both",
                $"{f.TrainAccuracy:P2}; {first.TrainLoss:0.###} → {f.TrainLoss:0.###}",
                f.TrainAccuracy >= 0.90 && f.TrainLoss < 0.2 * first.TrainLoss);
        }
        yield return Claim.Finding("the assignment's figure", "Optimization moves steadily away from the initialisation",
            $"at least {c.Events - 1} of {c.Events} events' distance from their start (whole-model plane) grows at every collected point",
            "a path that wanders back would fail it; one event may bend back within the projection's error",
            $"{r.EventsMovingOutward} of {c.Events}", r.EventsMovingOutward >= c.Events - 1) with
        { Seeds = c.Events, Label = "Optimization moves away from the start" };
    }

    protected override object Snapshot(Result r) => new
    {
        ExplainedVarianceFirstLayer = r.FirstLayer.ExplainedVarianceRatio,
        ExplainedVarianceWholeModel = r.Whole.ExplainedVarianceRatio,
        r.EventsMovingOutward,
        Events = r.Finals.Select(p => new { p.Event, p.TrainLoss, p.TrainAccuracy, p.TestAccuracy }).ToList(),
    };

    /// <summary>The mean, over events, of the first segment's share of the path length in the PCA plane.</summary>
    private static double FirstCycleShare(IReadOnlyList<Point> points, PcaResult pca) =>
        Paths(points).Average(path =>
        {
            var steps = path.Skip(1).Select(i => Distance(pca.Projections[i], pca.Projections[i - 1])).ToList();
            return steps[0] / steps.Sum();
        });

    /// <summary>
    /// How far apart the test accuracies of the events may lie and still count as solving the task equally well: five binomial standard
    /// errors of one accuracy on the test images, the tolerance of a single run that the random-labels equivalence claim uses.
    /// </summary>
    private const double EquallyWellStandardErrors = 5;

    /// <summary>The Euclidean distance between two weight vectors.</summary>
    private static double WeightDistance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)x - y).Sum(v => v * v));

    /// <summary>The distance between the two closest final weight vectors, and the mean distance from an event's start to its end (all
    /// weights).</summary>
    private static (double ClosestEnds, double MeanTravel) EndDistances(IReadOnlyList<Point> points)
    {
        var paths = Paths(points).ToList();
        var ends = paths.Select(path => points[path[^1]].Whole).ToList();
        var closest = ends.SelectMany((a, i) => ends.Skip(i + 1).Select(b => WeightDistance(a, b))).DefaultIfEmpty(0).Min();
        return (closest, paths.Average(path => WeightDistance(points[path[0]].Whole, points[path[^1]].Whole)));
    }

    /// <summary>
    /// How many events had their steepest loss fall (training loss drop per epoch) and their longest step (PCA plane) in the first
    /// collection cycle.
    /// </summary>
    private static (int LossFastestFirst, int LongestStepFirst) FirstCycleLeads(IReadOnlyList<Point> points, PcaResult pca)
    {
        var paths = Paths(points).ToList();
        int loss = paths.Count(path =>
        {
            var rates = path.Skip(1).Select(i => (points[i - 1].TrainLoss - points[i].TrainLoss) / (points[i].Epoch - points[i - 1].Epoch)).ToList();
            return rates.All(rate => rates[0] >= rate);
        });
        int step = paths.Count(path =>
        {
            var steps = path.Skip(1).Select(i => Distance(pca.Projections[i], pca.Projections[i - 1])).ToList();
            return steps.All(length => steps[0] >= length);
        });
        return (loss, step);
    }

    protected override SectionContent Describe(Config c, Result r)
    {
        var (points, firstLayer, whole, finals) = (r.Points, r.FirstLayer, r.Whole, r.Finals);
        Panel Scatter(string title, PcaResult pca) => new(title,
            new Axis($"PC1 ({pca.ExplainedVarianceRatio[0]:P1} of variance)"), new Axis($"PC2 ({pca.ExplainedVarianceRatio[1]:P1} of variance)"),
            Paths(points)
            .Select(path =>
            Series.Of($"event {points[path[0]].Event}", path, i => pca.Projections[i][0], i => pca.Projections[i][1], SeriesStyle.LineAndMarkers)
                with
            { PointLabels = path.Select(i => $"{points[i].TrainAccuracy * 100:0.#}").ToArray() }).ToList());
        var d = points[0].Whole.Length;
        var f = points[0].FirstLayer.Length;
        var ends = EndDistances(points);
        var leads = FirstCycleLeads(points, whole);
        return new SectionContent
        {
            Settings =
            [
                new("model", $"{Mlp.Describe(784, c.Hidden, 10)}, first layer {f:N0}"),
                new("data", $"MNIST, first {c.TrainExamples:N0} training and {c.TestExamples:N0} test images"),
                new("optimizer", $"Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}, {c.Epochs} epochs"),
                new("training events", $"{c.Events}, seeds {c.FirstSeed} to {c.FirstSeed + c.Events - 1} (initialisation and batch order)"),
                new("collection cycle",
                    $"the weights at the start and every {c.CollectEvery} epochs: {points.Count(p => p.Event == 1)} points per event"),
                new("reduction",
                    "PCA (SVD of the centred points, float64), fitted once over all events' points; axis signs fixed so each axis's largest entry " +
                    "is positive"),
                new("labels", "each point is labelled with its training accuracy in percent"),
            ],
            Figures =
            [
                new Figure("pca-first-layer", "Weights of the first layer, PCA",
                    $"The first layer's {f:N0} weights of every collected point, projected on the two leading principal axes; one colour per " +
                    $"event, " +
                    $"joined in training order, labelled with the training accuracy (%).",
                    [Scatter("first layer", firstLayer)]),
                new Figure("pca-whole-model", "Weights of the whole model, PCA",
                    $"All {d:N0} weights of every collected point, projected on the two leading principal axes; one colour per event, joined in " +
                    $"training order, labelled with the training accuracy (%).",
                    [Scatter("whole model", whole)]),
            ],
            Comments =
            [
                $"The two leading components explain {firstLayer.ExplainedVarianceRatio[0]:P1} and {firstLayer.ExplainedVarianceRatio[1]:P1} of " +
                $"the first layer's variance across the {points.Count} collected points, and {whole.ExplainedVarianceRatio[0]:P1} and " +
                $"{whole.ExplainedVarianceRatio[1]:P1} of the whole model's.",
                Findings.EventEnds(r.EventsMovingOutward, finals.Select(p => (p.TrainAccuracy, p.TestAccuracy)).ToList(), c.TestExamples,
                    EquallyWellStandardErrors, ends.ClosestEnds, ends.MeanTravel),
                Findings.EarlyMovement(FirstCycleShare(points, whole), c.CollectEvery, c.Events, leads.LossFastestFirst, leads.LongestStepFirst),
            ],
            Headline = [new Metric("whole-model PC1+PC2 explained variance", whole.ExplainedVarianceRatio.Sum()),
                new Metric("mean final test accuracy", finals.Average(p => p.TestAccuracy))],
        };
    }
}
