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

/// <summary>HW1-2, observe the gradient norm: the 2-norm of the full gradient and the loss at every iteration of MNIST training.</summary>
public sealed class GradientNormTests(ITestOutputHelper output)
{
    private sealed record Config(int TrainExamples, int[] Hidden, int Epochs, int BatchSize, double LearningRate, long Seed, int Threads);

    private static Config For(Profile profile) => profile.Pick(
        quick: new Config(10_000, [64, 32], Epochs: 3, BatchSize: 64, LearningRate: 1e-3, Seed: 41, Threads: 2),
        full: new Config(60_000, [64, 32], Epochs: 5, BatchSize: 64, LearningRate: 1e-3, Seed: 41, Threads: 2));

    /// <summary>Keeps the loss and gradient norm of every step on the tensor side; reads them once at the end.</summary>
    private sealed class Recorder(Sequential model) : ITrainingObserver
    {
        private readonly List<Tensor> _losses = [];
        private readonly List<Tensor> _norms = [];

        public void AfterBackward(int step, Tensor loss)
        {
            _losses.Add(loss.detach().clone().MoveToOuterDisposeScope());
            _norms.Add(Curvature.GradientNorm(model.parameters()).detach().MoveToOuterDisposeScope());
        }

        public (double[] Losses, double[] Norms) Read()
        {
            using var losses = stack(_losses);
            using var norms = stack(_norms);
            var result = (losses.to_type(ScalarType.Float64).data<double>().ToArray(), norms.to_type(ScalarType.Float64).data<double>().ToArray());
            foreach (var t in _losses.Concat(_norms)) t.Dispose();
            return result;
        }
    }

    [Fact]
    public void Gradient_norm_and_loss_at_every_iteration()
    {
        var run = new ExperimentRun(output);
        var config = For(run.Profile);
        using var data = Mnist.Load(log: run.Log);
        using var train = data.Train.Take(config.TrainExamples);
        using var test = data.Test.Take(2_000);
        using var random = Reproducibility.Seed(config.Seed, config.Threads);
        using var model = Mlp.Create(784, config.Hidden, 10);
        var recorder = new Recorder(model);
        var history = ClassifierTrainer.Train(model, train, test, new ClassifierTraining(config.Epochs, config.BatchSize, config.LearningRate) { Name = "1-2-gradient-norm" }, random, recorder);
        var (losses, norms) = recorder.Read();

        int tenth = Math.Max(1, losses.Length / 10);
        double MeanOf(double[] v, int from, int count) => v.Skip(from).Take(count).Average();
        var summary = new
        {
            Iterations = losses.Length,
            FirstTenthLoss = MeanOf(losses, 0, tenth),
            LastTenthLoss = MeanOf(losses, losses.Length - tenth, tenth),
            FirstTenthGradientNorm = MeanOf(norms, 0, tenth),
            LastTenthGradientNorm = MeanOf(norms, losses.Length - tenth, tenth),
            PeakGradientNorm = norms.Max(),
            PeakIteration = Array.IndexOf(norms, norms.Max()) + 1,
            FinalTestAccuracy = history[^1].TestAccuracy,
        };
        run.Log($"{losses.Length} iterations; loss {summary.FirstTenthLoss:F3} -> {summary.LastTenthLoss:F3}; gradient norm {summary.FirstTenthGradientNorm:F3} -> {summary.LastTenthGradientNorm:F3}, peak {summary.PeakGradientNorm:F3} at {summary.PeakIteration}");

        var iterations = Enumerable.Range(1, losses.Length).Select(i => (double)i).ToArray();
        var stepsPerEpoch = (int)Math.Ceiling(config.TrainExamples / (double)config.BatchSize);
        var section = new ReportSection
        {
            Id = "1-2-gradient-norm",
            Part = "1-2",
            Order = 2,
            Title = "Optimization: observe the gradient norm during training",
            Question = "Record the 2-norm of the gradient over all parameters and the loss at every iteration; plot both against iterations.",
            Profile = run.Profile.Name,
            Settings =
            [
                new("model", Mlp.Describe(784, config.Hidden, 10)),
                new("task", $"MNIST, first {config.TrainExamples:N0} training images"),
                new("optimizer", $"Adam, learning rate {config.LearningRate}, batch size {config.BatchSize}, {config.Epochs} epochs ({losses.Length} iterations, {stepsPerEpoch} per epoch)"),
                new("gradient norm", "√(Σ over every parameter of its squared gradient) of the mini-batch loss, after backward and before the optimizer step"),
                new("seed", $"{config.Seed}"),
            ],
            Figures =
            [
                new Figure("gradient-norm", "Gradient norm and loss per iteration", "Top: the 2-norm of the mini-batch gradient over all parameters; bottom: the mini-batch cross-entropy (log scale); both at every iteration.",
                [
                    new Panel("gradient norm", new Axis("iteration"), new Axis("gradient 2-norm"), [new Series("gradient norm", iterations, norms).Downsampled(3000)]),
                    new Panel("loss", new Axis("iteration"), new Axis("mini-batch loss (log scale)", Log: true), [new Series("loss", iterations, losses).Downsampled(3000)]),
                ]),
            ],
            Comments =
            [
                $"Over {losses.Length} iterations the mini-batch loss fell from a mean of {summary.FirstTenthLoss:0.###} in the first tenth of training to {summary.LastTenthLoss:0.####} in the last tenth.",
                $"The gradient norm peaked at {summary.PeakGradientNorm:0.###} at iteration {summary.PeakIteration}, and averaged {summary.FirstTenthGradientNorm:0.###} in the first tenth and {summary.LastTenthGradientNorm:0.###} in the last: " +
                (summary.LastTenthGradientNorm > 0.1 * summary.PeakGradientNorm
                    ? "it does not shrink toward zero as the loss falls, because each step sees the noisy gradient of one mini-batch, not the full gradient at a critical point."
                    : "it shrinks as the loss falls and the mini-batch gradients become small."),
            ],
            Headline = [new Metric("last-tenth mean gradient norm", summary.LastTenthGradientNorm), new Metric("last-tenth mean loss", summary.LastTenthLoss)],
        };
        run.Complete(section, summary, () =>
        {
            Assert.Equal(config.Epochs * stepsPerEpoch, losses.Length);
            Assert.All(norms, n => Assert.True(double.IsFinite(n) && n > 0, $"gradient norm {n}"));
            // Training must work: the loss of the last tenth of iterations is below a fifth of the first tenth's.
            Assert.True(summary.LastTenthLoss < 0.2 * summary.FirstTenthLoss, $"loss {summary.FirstTenthLoss} -> {summary.LastTenthLoss}");
        });
    }
}
