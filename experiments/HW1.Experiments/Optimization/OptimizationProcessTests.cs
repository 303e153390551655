using HW1.Experiments.Infrastructure;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>
/// HW1-2, visualize the optimization process: an MNIST MLP trained 8 times from different seeds, its weights
/// collected every 3 epochs, and the collected points reduced to 2-D by one PCA fitted over all events, once for
/// the first layer and once for the whole model.
/// </summary>
public sealed class OptimizationProcessTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int Events, int Epochs, int CollectEvery, int BatchSize, double LearningRate, long FirstSeed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(5_000, 2_000, [64, 32], Events: 8, Epochs: 9, CollectEvery: 3, BatchSize: 128, LearningRate: 1e-3, FirstSeed: 31, Threads: 2),
        full: new Config(60_000, 10_000, [64, 32], Events: 8, Epochs: 30, CollectEvery: 3, BatchSize: 128, LearningRate: 1e-3, FirstSeed: 31, Threads: 2));

    /// <summary>One collected point: after how many epochs, the metrics there, and the weights.</summary>
    private sealed record Point(int Event, int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy,
        [property: Newtonsoft.Json.JsonIgnore] float[] FirstLayer, [property: Newtonsoft.Json.JsonIgnore] float[] Whole);

    private sealed class Collector(int @event, Sequential model, List<Point> points) : ITrainingObserver
    {
        public void AfterEvaluation(EpochMetrics m) => points.Add(Collect(@event, m.Epoch, m, model));
    }

    private static Point Collect(int @event, int epoch, EpochMetrics m, Sequential model) =>
        new(@event, epoch, m.TrainLoss, m.TrainAccuracy, m.TestAccuracy,
            ParameterVector.Flatten(model.named_parameters().Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal)).Select(p => (Tensor)p.parameter)),
            ParameterVector.Flatten(model.parameters()));

    [Fact]
    public void Weight_trajectories_of_eight_training_events_in_two_dimensions()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);
        var settings = new ClassifierTraining(config.Epochs, config.BatchSize, config.LearningRate) { EvaluateEvery = config.CollectEvery };

        var points = new List<Point>();
        for (int e = 0; e < config.Events; e++)
        {
            using var random = Reproducibility.Seed(config.FirstSeed + e, config.Threads);
            using var model = Mlp.Create(784, config.Hidden, 10);
            var start = (ClassifierTrainer.Evaluate(model, train), ClassifierTrainer.Evaluate(model, test));
            points.Add(Collect(e + 1, 0, new EpochMetrics(0, start.Item1.Loss, start.Item1.Accuracy, start.Item2.Loss, start.Item2.Accuracy), model));
            ClassifierTrainer.Train(model, train, test, settings with { Name = $"1-2-optimization-process: event {e + 1}" }, random, new Collector(e + 1, model, points));
            run.Log($"event {e + 1}: training accuracy {points[^1].TrainAccuracy:P2} after {config.Epochs} epochs");
        }

        var firstLayer = Pca.Fit(points.Select(p => p.FirstLayer).ToList());
        var whole = Pca.Fit(points.Select(p => p.Whole).ToList());
        var events = points.GroupBy(p => p.Event).ToList();

        // Each event's path moves away from its start: the distance (whole-model PCA plane) to the starting point.
        double Distance(double[] a, double[] b) => Math.Sqrt(Math.Pow(a[0] - b[0], 2) + Math.Pow(a[1] - b[1], 2));
        var outward = events.Count(g =>
        {
            var idx = g.Select(p => points.IndexOf(p)).ToList();
            var d = idx.Select(i => Distance(whole.Projections[i], whole.Projections[idx[0]])).ToList();
            return d.Zip(d.Skip(1)).All(pair => pair.Second > pair.First);
        });
        var finals = events.Select(g => g.Last()).ToList();
        var summary = new
        {
            ExplainedVarianceFirstLayer = firstLayer.ExplainedVarianceRatio,
            ExplainedVarianceWholeModel = whole.ExplainedVarianceRatio,
            EventsMovingOutward = outward,
            Events = finals.Select(p => new { p.Event, p.TrainLoss, p.TrainAccuracy, p.TestAccuracy }).ToList(),
        };

        var section = Section(run, config, points, firstLayer, whole, outward);
        run.Complete(section, summary, () =>
        {
            foreach (var f in finals)
            {
                // Every event must really train: above 90% training accuracy (chance is 10%) whatever the profile.
                Assert.True(f.TrainAccuracy >= 0.90, $"event {f.Event}: training accuracy {f.TrainAccuracy:P2} below 90%.");
                var first = points.First(p => p.Event == f.Event);
                // And its loss must fall along the path: the end below a fifth of the start (ln 10 ≈ 2.3 at init).
                Assert.True(f.TrainLoss < 0.2 * first.TrainLoss, $"event {f.Event}: loss {first.TrainLoss:F3} -> {f.TrainLoss:F3}.");
            }
            // Optimization moves steadily away from the initialisation: most events' projected distance from their
            // start grows at every collected point (a path that wanders back would fail this).
            Assert.True(outward >= config.Events - 1, $"only {outward} of {config.Events} events move steadily away from their start.");
        });
    }

    /// <summary>The mean, over events, of the first segment's share of the path length in the PCA plane.</summary>
    private static double FirstCycleShare(List<Point> points, PcaResult pca)
    {
        double Step(int i) => Math.Sqrt(Math.Pow(pca.Projections[i][0] - pca.Projections[i - 1][0], 2) + Math.Pow(pca.Projections[i][1] - pca.Projections[i - 1][1], 2));
        return points.Select((p, i) => (p, i)).GroupBy(t => t.p.Event).Average(g =>
        {
            var steps = g.Skip(1).Select(t => Step(t.i)).ToList();
            return steps[0] / steps.Sum();
        });
    }

    private static ReportSection Section(ExperimentRun run, Config config, List<Point> points, PcaResult firstLayer, PcaResult whole, int outward)
    {
        Panel Scatter(string title, PcaResult pca) => new(title,
            new Axis($"PC1 ({pca.ExplainedVarianceRatio[0]:P1} of variance)"), new Axis($"PC2 ({pca.ExplainedVarianceRatio[1]:P1} of variance)"),
            points.Select((p, i) => (p, i)).GroupBy(t => t.p.Event).Select(g => new Series($"event {g.Key}",
                g.Select(t => pca.Projections[t.i][0]).ToArray(), g.Select(t => pca.Projections[t.i][1]).ToArray())
            {
                Style = SeriesStyle.LineAndMarkers,
                PointLabels = g.Select(t => $"{t.p.TrainAccuracy * 100:0.#}").ToArray(),
            }).ToList());

        var finals = points.GroupBy(p => p.Event).Select(g => g.Last()).ToList();
        var d = points.First().Whole.Length;
        var f = points.First().FirstLayer.Length;
        return new ReportSection
        {
            Id = "1-2-optimization-process",
            Part = "1-2",
            Order = 1,
            Title = "Optimization: visualize the optimization process",
            Question = "Collect the weights of an MNIST network every few epochs over 8 training events, reduce them to 2-D with PCA " +
                       "(one layer and the whole model) and plot the paths with their accuracy.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", $"{Mlp.Describe(784, config.Hidden, 10)}, first layer {f:N0}"),
                new("data", $"MNIST, first {config.TrainExamples:N0} training and {config.TestExamples:N0} test images"),
                new("optimizer", $"Adam, learning rate {config.LearningRate}, batch size {config.BatchSize}, {config.Epochs} epochs"),
                new("training events", $"{config.Events}, seeds {config.FirstSeed} to {config.FirstSeed + config.Events - 1} (initialisation and batch order)"),
                new("collection cycle", $"the weights at the start and every {config.CollectEvery} epochs: {points.Count(p => p.Event == 1)} points per event"),
                new("reduction", "PCA (SVD of the centred points, float64), fitted once over all events' points; axis signs fixed so each axis's largest entry is positive"),
                new("labels", "each point is labelled with its training accuracy in percent"),
            ],
            Figures =
            [
                new Figure("pca-first-layer", "Weights of the first layer, PCA", $"The first layer's {f:N0} weights of every collected point, projected on the two leading principal axes; one colour per event, joined in training order, labelled with the training accuracy (%).",
                    [Scatter("first layer", firstLayer)]),
                new Figure("pca-whole-model", "Weights of the whole model, PCA", $"All {d:N0} weights of every collected point, projected on the two leading principal axes; one colour per event, joined in training order, labelled with the training accuracy (%).",
                    [Scatter("whole model", whole)]),
            ],
            Comments =
            [
                $"The two leading components explain {firstLayer.ExplainedVarianceRatio[0]:P1} and {firstLayer.ExplainedVarianceRatio[1]:P1} of the first layer's variance across the {points.Count} collected points, and {whole.ExplainedVarianceRatio[0]:P1} and {whole.ExplainedVarianceRatio[1]:P1} of the whole model's.",
                $"Every event starts from its own random initialisation and travels its own path; {outward} of {config.Events} move steadily away from their start, and they end at different points of weight space with nearly the same training accuracy ({finals.Min(p => p.TrainAccuracy):P2} to {finals.Max(p => p.TrainAccuracy):P2}) and test accuracy ({finals.Min(p => p.TestAccuracy):P2} to {finals.Max(p => p.TestAccuracy):P2}): many different weights solve the task equally well.",
                $"On average {FirstCycleShare(points, whole):P0} of each path's length (whole-model plane) is covered in the first {config.CollectEvery} epochs, while the loss falls fastest.",
            ],
            Headline = [new Metric("whole-model PC1+PC2 explained variance", whole.ExplainedVarianceRatio.Sum()), new Metric("mean final test accuracy", finals.Average(p => p.TestAccuracy))],
        };
    }
}
