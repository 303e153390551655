using HW1.Experiments.Infrastructure;
using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Reporting;
using HW1.Research.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace HW1.Experiments.Generalization;

/// <summary>
/// HW1-3, flatness vs generalization part 1: two models trained differently (batch 64, learning rate 1e-3 and
/// batch 1024, learning rate 1e-2), and the loss and accuracy along the line θ(α) = (1 − α)θ1 + αθ2.
/// </summary>
public sealed class FlatnessInterpolationTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int TestExamples, int[] Hidden, int Epochs, int AlphaPoints, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, 2_000, [64, 32], Epochs: 5, AlphaPoints: 31, Seed: 71, Threads: 2),
        full: new Config(60_000, 10_000, [64, 32], Epochs: 20, AlphaPoints: 61, Seed: 71, Threads: 2));

    /// <summary>The assignment's two approaches.</summary>
    private static readonly (string Name, int Batch, double Rate)[] Approaches = [("m1", 64, 1e-3), ("m2", 1024, 1e-2)];

    private sealed record AlphaPoint(double Alpha, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

    [Fact]
    public void Loss_and_accuracy_along_the_line_between_two_minima()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(config.TestExamples);

        var endpoints = new List<Tensor[]>();
        var direct = new List<(Evaluation Train, Evaluation Test)>();
        foreach (var (name, batch, rate) in Approaches)
        {
            using var random = Reproducibility.Seed(config.Seed, config.Threads);
            using var trained = Mlp.Create(784, config.Hidden, 10);
            ClassifierTrainer.Train(trained, train, test, new ClassifierTraining(config.Epochs, batch, rate) { Name = $"1-3-flatness-interpolation: {name} (batch {batch})" }, random);
            endpoints.Add(ParameterVector.Snapshot(trained.parameters()));
            direct.Add((ClassifierTrainer.Evaluate(trained, train), ClassifierTrainer.Evaluate(trained, test)));
            run.Log($"{name}: batch {batch}, learning rate {rate}: training loss {direct[^1].Train.Loss:F4}, test accuracy {direct[^1].Test.Accuracy:P2}");
        }

        // The model has no batch normalization, so interpolating the parameters interpolates the whole state;
        // a model with running statistics would need its buffers interpolated the same way.
        using var model = Mlp.Create(784, config.Hidden, 10);
        var parameters = model.parameters().Cast<Tensor>().ToList();
        using var differenceScope = NewDisposeScope();
        var difference = endpoints[1].Zip(endpoints[0], (b, a) => b - a).ToArray();
        var alphas = Enumerable.Range(0, config.AlphaPoints).Select(i => -1.0 + (3.0 * i / (config.AlphaPoints - 1))).ToArray();
        var line = alphas.Select(alpha =>
        {
            ParameterVector.SetTo(parameters, endpoints[0], (alpha, difference));
            var onTrain = ClassifierTrainer.Evaluate(model, train);
            var onTest = ClassifierTrainer.Evaluate(model, test);
            return new AlphaPoint(alpha, onTrain.Loss, onTrain.Accuracy, onTest.Loss, onTest.Accuracy);
        }).ToList();
        foreach (var t in endpoints.SelectMany(e => e)) t.Dispose();

        var at0 = line.MinBy(p => Math.Abs(p.Alpha))!;
        var at1 = line.MinBy(p => Math.Abs(p.Alpha - 1))!;
        var ends = new[] { line[0], line[^1] };
        var worstEndpoint = Math.Max(at0.TrainLoss, at1.TrainLoss);
        var peakBetween = line.Where(p => p.Alpha > 0 && p.Alpha < 1).MaxBy(p => p.TrainLoss)!;
        var summary = new
        {
            M1 = new { TrainLoss = direct[0].Train.Loss, TestAccuracy = direct[0].Test.Accuracy },
            M2 = new { TrainLoss = direct[1].Train.Loss, TestAccuracy = direct[1].Test.Accuracy },
            PeakBetween = new { peakBetween.Alpha, peakBetween.TrainLoss },
            AtMinusOne = new { line[0].TrainLoss, line[0].TrainAccuracy },
            AtTwo = new { line[^1].TrainLoss, line[^1].TrainAccuracy },
        };

        Series S(string name, Func<AlphaPoint, double> f, SeriesStyle style = SeriesStyle.Line) =>
            new(name, alphas, line.Select(f).ToArray()) { Style = style };
        var section = new ReportSection
        {
            Id = "1-3-flatness-interpolation",
            Part = "1-3",
            Order = 3,
            Title = "Generalization: flatness vs generalization, part 1 (interpolation)",
            Question = "Train two models with different approaches; evaluate loss and accuracy of the linear interpolation θ(α) = (1 − α)θ1 + αθ2 between them.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", $"{Mlp.Describe(784, config.Hidden, 10)}; no batch normalization, so the parameters are the whole state"),
                new("m1", $"Adam, batch size {Approaches[0].Batch}, learning rate {Approaches[0].Rate}"),
                new("m2", $"Adam, batch size {Approaches[1].Batch}, learning rate {Approaches[1].Rate}"),
                new("training", $"MNIST, first {config.TrainExamples:N0} images, {config.Epochs} epochs each, the same initialisation (seed {config.Seed})"),
                new("interpolation", $"θ(α) = (1 − α)θ1 + αθ2 at {config.AlphaPoints} values of α from −1 to 2; cross-entropy and accuracy on the training set and the first {config.TestExamples:N0} test images"),
            ],
            Figures =
            [
                new Figure("interpolation", "Loss and accuracy along θ(α)", "Cross-entropy (log scale, left) and accuracy (right) of θ(α) on the training and test sets; α = 0 is m1 (batch 64), α = 1 is m2 (batch 1024).",
                [
                    new Panel("cross-entropy", new Axis("α"), new Axis("cross-entropy (log scale)", Log: true), [S("training", p => p.TrainLoss), S("test", p => p.TestLoss, SeriesStyle.DashedLine)]),
                    new Panel("accuracy", new Axis("α"), new Axis("accuracy"), [S("training", p => p.TrainAccuracy), S("test", p => p.TestAccuracy, SeriesStyle.DashedLine)]),
                ]),
            ],
            Comments =
            [
                $"m1 (batch 64) reached training loss {direct[0].Train.Loss:0.####} and test accuracy {direct[0].Test.Accuracy:P2}; m2 (batch 1024, ten times the learning rate) {direct[1].Train.Loss:0.####} and {direct[1].Test.Accuracy:P2}.",
                peakBetween.TrainLoss > 1.5 * worstEndpoint
                    ? $"Between them the training loss rises to {peakBetween.TrainLoss:0.###} at α = {peakBetween.Alpha:0.##}: the two minima lie in different basins, separated by a barrier."
                    : $"Between them the training loss stays at most {peakBetween.TrainLoss:0.###} (α = {peakBetween.Alpha:0.##}): no barrier separates the two solutions along this line.",
                $"Beyond the endpoints the loss grows fast: {line[0].TrainLoss:0.##} at α = −1 and {line[^1].TrainLoss:0.##} at α = 2, with training accuracy down to {line[0].TrainAccuracy:P1} and {line[^1].TrainAccuracy:P1}. " +
                Findings.SteeperSide(line[0].TrainLoss, line[^1].TrainLoss, Approaches[0].Batch, Approaches[1].Batch),
            ],
            Headline = [new Metric("m1 test accuracy", direct[0].Test.Accuracy), new Metric("m2 test accuracy", direct[1].Test.Accuracy), new Metric("peak training loss between", peakBetween.TrainLoss)],
        };
        run.Complete(section, summary, () =>
        {
            // α = 0 and α = 1 are m1 and m2 themselves: setting the weights through the interpolation must give
            // their metrics to float rounding (the same parameters, the same data).
            Assert.Equal(direct[0].Train.Loss, at0.TrainLoss, 5);
            Assert.Equal(direct[0].Test.Accuracy, at0.TestAccuracy, 6);
            Assert.Equal(direct[1].Train.Loss, at1.TrainLoss, 5);
            Assert.Equal(direct[1].Test.Accuracy, at1.TestAccuracy, 6);
            // Extrapolating a full step past either minimum leaves the basin: the loss there is at least twice the
            // worse endpoint's (the assignment's figure shows a rise of orders of magnitude).
            Assert.All(ends, p => Assert.True(p.TrainLoss > 2 * worstEndpoint, $"loss {p.TrainLoss} at α = {p.Alpha}, endpoints {worstEndpoint}"));
        });
    }
}
