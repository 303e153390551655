using HW1.Experiments.Infrastructure;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>
/// HW1-2 bonus, visualize the error surface: the training loss of a trained MNIST MLP on a plane spanned by two
/// random filter-normalized directions through its weights (Li et al. 2018), as a heatmap and a 1-D slice.
/// </summary>
public sealed class ErrorSurfaceTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int SurfaceExamples, int[] Hidden, int Epochs, int BatchSize, double LearningRate, int GridPoints, double Span, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, 2_000, [64, 32], Epochs: 5, BatchSize: 128, LearningRate: 1e-3, GridPoints: 21, Span: 1.0, Seed: 51, Threads: 2),
        full: new Config(60_000, 10_000, [64, 32], Epochs: 10, BatchSize: 128, LearningRate: 1e-3, GridPoints: 41, Span: 1.0, Seed: 51, Threads: 2));

    [Fact]
    public void Loss_landscape_around_a_trained_network()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(2_000);
        using var surfaceSet = data.Train.Take(config.SurfaceExamples);
        using var random = Reproducibility.Seed(config.Seed, config.Threads);
        using var model = Mlp.Create(784, config.Hidden, 10);
        var history = ClassifierTrainer.Train(model, train, test, new ClassifierTraining(config.Epochs, config.BatchSize, config.LearningRate) { Name = "1-2-error-surface" }, random);

        var parameters = model.parameters().Cast<Tensor>().ToList();
        var d1 = LossLandscape.FilterNormalizedDirection(parameters, random.Torch);
        var d2 = LossLandscape.FilterNormalizedDirection(parameters, random.Torch);
        var axis = Enumerable.Range(0, config.GridPoints).Select(i => -config.Span + (2 * config.Span * i / (config.GridPoints - 1))).ToArray();
        double Loss() => ClassifierTrainer.Evaluate(model, surfaceSet).Loss;
        var surface = LossLandscape.Surface(parameters, Loss, d1, d2, axis, axis);
        var slice = LossLandscape.Surface(parameters, Loss, d1, d2, axis, [0.0])[0];
        foreach (var t in d1.Concat(d2)) t.Dispose();

        int mid = config.GridPoints / 2;
        double centre = surface[mid][mid];
        double minimum = surface.SelectMany(r => r).Min();
        double[] corners = [surface[0][0], surface[0][^1], surface[^1][0], surface[^1][^1]];
        var summary = new
        {
            FinalTrainLoss = history[^1].TrainLoss,
            CentreLoss = centre,
            GridMinimum = minimum,
            MeanCornerLoss = corners.Average(),
            SliceEnds = new[] { slice[0], slice[^1] },
        };
        run.Log($"centre {centre:F4}, grid minimum {minimum:F4}, corners {string.Join(", ", corners.Select(c => c.ToString("F3")))}");

        var section = new ReportSection
        {
            Id = "1-2-error-surface",
            Part = "1-2",
            Order = 4,
            Bonus = true,
            Title = "Optimization (bonus): visualize the error surface",
            Question = "Visualize the error surface around trained weights and describe the method.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", Mlp.Describe(784, config.Hidden, 10)),
                new("training", $"MNIST, first {config.TrainExamples:N0} images, Adam {config.LearningRate}, batch {config.BatchSize}, {config.Epochs} epochs; final training loss {history[^1].TrainLoss:0.####}"),
                new("method", "loss at θ* + a·d1 + b·d2 for two random Gaussian directions, filter-normalized (each row of every weight matrix scaled to the norm of that row of θ*; biases not moved), Li et al. 2018"),
                new("grid", $"{config.GridPoints} × {config.GridPoints} points, a and b from {-config.Span} to {config.Span}"),
                new("loss", $"mean cross-entropy on the first {config.SurfaceExamples:N0} training images"),
                new("seed", $"{config.Seed} (training, then the two directions)"),
            ],
            Figures =
            [
                new Figure("error-surface", "Loss surface around the trained weights", "Training loss on the plane through the trained weights (centre) spanned by two filter-normalized random directions.",
                    [new Panel("", new Axis("a (direction 1)"), new Axis("b (direction 2)"), []) { Grid = new Grid(axis, axis, surface, "training loss") }]),
                new Figure("error-slice", "Loss along one direction", "Training loss along the first direction alone (b = 0), log scale.",
                    [new Panel("", new Axis("a (direction 1)"), new Axis("training loss (log scale)", Log: true), [new Series("b = 0", axis, slice) { Style = SeriesStyle.LineAndMarkers }])]),
            ],
            Comments =
            [
                minimum >= centre
                    ? $"At the trained weights the loss is {centre:0.####} and no point of the grid is lower: the trained point is the bottom of this plane."
                    : $"At the trained weights the loss is {centre:0.####}; the lowest grid point is {(centre - minimum) / centre:P1} lower ({minimum:0.####}), so along this plane the basin's bottom lies slightly off the trained point.",
                $"Moving one filter-norm away in both directions (the corners) raises the loss to {corners.Min():0.###}–{corners.Max():0.###}, on average {corners.Average() / centre:0.#} times the centre's: a basin whose walls rise steeply once the weights are perturbed by their own scale.",
                $"Along direction 1 alone the loss goes from {slice[0]:0.###} (a = {-config.Span}) through {slice[mid]:0.####} (a = 0) to {slice[^1]:0.###} (a = {config.Span}).",
            ],
            Headline = [new Metric("centre loss", centre), new Metric("mean corner loss", corners.Average())],
        };
        run.Complete(section, summary, () =>
        {
            // The plane passes through the trained weights: its centre is their loss (same data, no change).
            Assert.Equal(ClassifierTrainer.Evaluate(model, surfaceSet).Loss, centre, 6);
            // Trained weights lie in a basin: no grid point is more than 5% below the centre...
            Assert.True(minimum >= 0.95 * centre, $"grid minimum {minimum} is well below the centre {centre}.");
            // ...and a filter-norm step in both directions at least doubles the loss.
            Assert.True(corners.Min() > 2 * centre, $"corners {string.Join(", ", corners)} vs centre {centre}.");
        });
    }
}
