using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>HW1-2, observe the gradient norm: the 2-norm of the full gradient and the loss at every iteration of MNIST training.</summary>
public sealed class GradientNormTests(ITestOutputHelper output) : Experiment<GradientNormTests.Config, GradientNormTests.Result>(output)
{
    public override Question Question { get; } = new("1-2-gradient-norm", Part.Optimization, 2,
        "Optimization: observe the gradient norm during training",
        "Record the 2-norm of the gradient over all parameters and the loss at every iteration; plot both against iterations.");

    public sealed record Config(int TrainExamples, int[] Hidden, int Epochs, int BatchSize, double LearningRate, long Seed, int Threads)
    {
        public int StepsPerEpoch => (int)Math.Ceiling(TrainExamples / (double)BatchSize);
    }

    public override Config Quick { get; } = new(10_000, [64, 32], Epochs: 3, BatchSize: 64, LearningRate: 1e-3, Seed: 41, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, Epochs = 5 };

    /// <summary>The loss and gradient norm of every step, and the final test accuracy.</summary>
    public sealed record Result(double[] Losses, double[] Norms, double FinalTestAccuracy)
    {
        private int Tenth => Math.Max(1, Losses.Length / 10);
        public double FirstTenthLoss => Losses.Take(Tenth).Average();
        public double LastTenthLoss => Losses.Skip(Losses.Length - Tenth).Average();
        public double FirstTenthGradientNorm => Norms.Take(Tenth).Average();
        public double LastTenthGradientNorm => Norms.Skip(Norms.Length - Tenth).Average();
        public double PeakGradientNorm => Norms.Max();
        public int PeakIteration => Array.IndexOf(Norms, Norms.Max()) + 1;
    }

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

    protected override Result Run(Config c)
    {
        using var data = Mnist(c.TrainExamples, 2_000);
        using var random = Reproducibility.Seed(c.Seed, c.Threads);
        using var model = Mlp.Create(784, c.Hidden, 10);
        var recorder = new Recorder(model);
        var history = ClassifierTrainer.Train(model, data.Train, data.Test, new ClassifierTraining(c.Epochs, c.BatchSize, c.LearningRate) { Name = Question.Id }, random, recorder);
        var (losses, norms) = recorder.Read();
        var r = new Result(losses, norms, history[^1].TestAccuracy);
        Log($"{losses.Length} iterations; loss {r.FirstTenthLoss:F3} -> {r.LastTenthLoss:F3}; gradient norm {r.FirstTenthGradientNorm:F3} -> {r.LastTenthGradientNorm:F3}, peak {r.PeakGradientNorm:F3} at {r.PeakIteration}");
        return r;
    }

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        yield return Claim.Sanity("Training works", "mean loss of the last tenth of iterations < a fifth of the first tenth's", "Adam on MNIST falls far below ln 10 ≈ 2.3 within an epoch; a stalled or broken loop does not",
            $"{r.FirstTenthLoss:0.###} → {r.LastTenthLoss:0.####}", r.LastTenthLoss < 0.2 * r.FirstTenthLoss);
        yield return Claim.Sanity("Every iteration is recorded", $"{c.Epochs} epochs × {c.StepsPerEpoch} steps iterations", "one loss and one norm per optimizer step",
            $"{r.Losses.Length}", r.Losses.Length == c.Epochs * c.StepsPerEpoch);
        yield return Claim.Sanity("Every gradient norm is measured", "finite and > 0 at every iteration", "a zero or undefined norm means the gradient was not there",
            $"{r.Norms.Count(n => double.IsFinite(n) && n > 0)} of {r.Norms.Length}", r.Norms.All(n => double.IsFinite(n) && n > 0));
    }

    protected override object Snapshot(Result r) => new
    {
        Iterations = r.Losses.Length,
        r.FirstTenthLoss,
        r.LastTenthLoss,
        r.FirstTenthGradientNorm,
        r.LastTenthGradientNorm,
        r.PeakGradientNorm,
        r.PeakIteration,
        r.FinalTestAccuracy,
    };

    protected override SectionContent Describe(Config c, Result r)
    {
        var iterations = Enumerable.Range(1, r.Losses.Length).Select(i => (double)i).ToArray();
        return new SectionContent
        {
            Settings =
            [
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("task", $"MNIST, first {c.TrainExamples:N0} training images"),
                new("optimizer", $"Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}, {c.Epochs} epochs ({r.Losses.Length} iterations, {c.StepsPerEpoch} per epoch)"),
                new("gradient norm", "√(Σ over every parameter of its squared gradient) of the mini-batch loss, after backward and before the optimizer step"),
                new("seed", $"{c.Seed}"),
            ],
            Figures =
            [
                new Figure("gradient-norm", "Gradient norm and loss per iteration", "Top: the 2-norm of the mini-batch gradient over all parameters; bottom: the mini-batch cross-entropy (log scale); both at every iteration.",
                [
                    new Panel("gradient norm", new Axis("iteration"), new Axis("gradient 2-norm"), [new Series("gradient norm", iterations, r.Norms).Downsampled(3000)]),
                    new Panel("loss", new Axis("iteration"), new Axis("mini-batch loss (log scale)", Log: true), [new Series("loss", iterations, r.Losses).Downsampled(3000)]),
                ]),
            ],
            Comments =
            [
                $"Over {r.Losses.Length} iterations the mini-batch loss fell from a mean of {r.FirstTenthLoss:0.###} in the first tenth of training to {r.LastTenthLoss:0.####} in the last tenth.",
                $"The gradient norm peaked at {r.PeakGradientNorm:0.###} at iteration {r.PeakIteration}, and averaged {r.FirstTenthGradientNorm:0.###} in the first tenth and {r.LastTenthGradientNorm:0.###} in the last: " +
                (r.LastTenthGradientNorm > 0.1 * r.PeakGradientNorm
                    ? "it does not shrink toward zero as the loss falls, because each step sees the noisy gradient of one mini-batch, not the full gradient at a critical point."
                    : "it shrinks as the loss falls and the mini-batch gradients become small."),
            ],
            Headline = [new Metric("last-tenth mean gradient norm", r.LastTenthGradientNorm), new Metric("last-tenth mean loss", r.LastTenthLoss)],
        };
    }
}
