using HW1.Research.Reporting;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Experiments.Optimization;

/// <summary>HW1-2, observe the gradient norm: the 2-norm of the full gradient and the loss at every iteration of MNIST training.</summary>
[ReplicatesSeeds]
public sealed class GradientNormTests(ITestOutputHelper output) : Experiment<GradientNormTests.Config, GradientNormTests.Result>(output)
{
    public override Question Question { get; } = new("1-2-gradient-norm", Part.Optimization, 2,
        "Optimization: observe the gradient norm during training",
        "Record the 2-norm of the gradient over all parameters and the loss at every iteration; plot both against iterations.");

    /// <summary>Seeds FirstSeed … FirstSeed + Seeds − 1; each seed starts its own training (initialization and batch order).</summary>
    public sealed record Config(int TrainExamples, int[] Hidden, int Epochs, int BatchSize, double LearningRate, long FirstSeed, int Seeds,
        int Threads) : IRunConfig<Config>
    {
        /// <inheritdoc/>
        public Config ForRun(long seedOffset, int? threads) =>
            this with { FirstSeed = checked(FirstSeed + seedOffset), Threads = threads ?? Threads };

        public int StepsPerEpoch => (int)Math.Ceiling(TrainExamples / (double)BatchSize);
    }

    public override Config Quick => new(10_000, [64, 32], Epochs: 3, BatchSize: 64, LearningRate: 1e-3, FirstSeed: 41, Seeds: 3, Threads: 2);

    public override Config Full => Quick with { TrainExamples = 60_000, Epochs = 5, Seeds = 5 };

    /// <summary>One seed's loss and gradient norm at every step, and its final test accuracy.</summary>
    public sealed record Trace(long Seed, double[] Losses, double[] Norms, double FinalTestAccuracy)
    {
        private int Tenth => Math.Max(1, Losses.Length / 10);
        public double FirstTenthLoss => Losses.Take(Tenth).Average();
        public double LastTenthLoss => Losses.Skip(Losses.Length - Tenth).Average();
        public double FirstTenthGradientNorm => Norms.Take(Tenth).Average();
        public double LastTenthGradientNorm => Norms.Skip(Norms.Length - Tenth).Average();
        public double PeakGradientNorm => Norms.Max();
        public int PeakIteration => Array.IndexOf(Norms, Norms.Max()) + 1;
        public double NormRatio => LastTenthGradientNorm / FirstTenthGradientNorm;
        public double LossRatio => LastTenthLoss / FirstTenthLoss;
    }

    /// <summary>Every seed's trace; the first seed's is drawn.</summary>
    public sealed record Result(IReadOnlyList<Trace> Traces)
    {
        public Trace First => Traces[0];
        public double[] Of(Func<Trace, double> f) => Traces.Select(f).ToArray();
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
        var traces = PerSeed(c.FirstSeed, c.Seeds, seed =>
        {
            using var random = Reproducibility.Seed(seed, c.Threads);
            using var model = Mlp.Create(784, c.Hidden, 10);
            var recorder = new Recorder(model);
            var history = ClassifierTrainer.Train(model, data.Train, data.Test,
                new ClassifierTraining(c.Epochs, c.BatchSize, c.LearningRate) { Name = $"{Question.Id}: seed {seed}" }, random, recorder);
            var (losses, norms) = recorder.Read();
            var t = new Trace(seed, losses, norms, history[^1].TestAccuracy);
            Log($"seed {seed}, {losses.Length} iterations; loss {t.FirstTenthLoss:F3} -> {t.LastTenthLoss:F3}; gradient norm " +
                $"{t.FirstTenthGradientNorm:F3} -> {t.LastTenthGradientNorm:F3}, peak {t.PeakGradientNorm:F3} at {t.PeakIteration}");
            return t;
        });
        return new Result(traces);
    }

    /// <summary>The shrink of the mini-batch gradient norm that counts as shrinking toward zero: one order of magnitude.</summary>
    private const double CriticalShrink = 0.1;

    protected override IEnumerable<Claim> Claims(Config c, Result r)
    {
        yield return Claim.Sanity("Training works", "on every seed, mean loss of the last tenth of iterations < a fifth of the first tenth's",
            "Adam on MNIST falls far below ln 10 ≈ 2.3 within an epoch; a stalled or broken loop does not",
            string.Join(", ", r.Traces.Select(t => $"{t.FirstTenthLoss:0.###} → {t.LastTenthLoss:0.####}")),
            r.Traces.All(t => t.LastTenthLoss < 0.2 * t.FirstTenthLoss));
        yield return Claim.Sanity("Every iteration is recorded", $"{c.Epochs} epochs × {c.StepsPerEpoch} steps iterations on every seed",
            "one loss and one norm per optimizer step",
            string.Join(", ", r.Traces.Select(t => $"{t.Losses.Length}").Distinct()),
            r.Traces.All(t => t.Losses.Length == c.Epochs * c.StepsPerEpoch && t.Norms.Length == t.Losses.Length));
        yield return Claim.Sanity("Every gradient norm is measured", "finite and > 0 at every iteration of every seed",
            "a zero or undefined norm means the gradient was not there",
            $"{r.Traces.Sum(t => t.Norms.Count(v => double.IsFinite(v) && v > 0))} of {r.Traces.Sum(t => t.Norms.Length)}",
            r.Traces.All(t => t.Norms.All(v => double.IsFinite(v) && v > 0)));

        const string goodfellow = "Goodfellow et al. 2016, §8.2.1";
        yield return Statistic.GeometricMean("(last tenth's mean mini-batch gradient norm) / (first tenth's)").Above(CriticalShrink).Decide(
            goodfellow, "The mini-batch gradient norm does not shrink toward zero as the loss falls",
            "Goodfellow et al. observe that the gradient norm does not fall while the loss does; a shrink of one order of magnitude is the bar. " +
            "The " +
            "mini-batch norm carries its batch's " +
            "sampling noise, so this claim is about the norm training sees, not about whether the full-batch gradient approaches a critical point",
            r.Of(t => t.NormRatio)) with
        { Label = "Gradient norm does not shrink to zero" };
        yield return KnownFailureInFull(Statistic.GeometricMean("(last tenth's mean gradient norm) / (first tenth's)").Above(1).Decide(
            goodfellow, "The gradient norm grows over training while the loss falls (their Fig. 8.1)",
            "the book's figure shows the norm rising throughout a successful training; growth is the claim, so the rule asks for a ratio above 1",
            r.Of(t => t.NormRatio)),
            $"over {c.Epochs} epochs of Adam on {c.TrainExamples:N0} MNIST images the norm peaks early (the table gives each seed's peak) and then " +
            $"falls below its first tenth's mean, " +
            "though far from zero (the ratio is the measurement); the book's figure is a long SGD training of a convolutional network for object " +
            "detection") with
        { Label = "Gradient norm grows as the loss falls" };
    }

    protected override object Snapshot(Result r) => r.Traces.Select(t => new
    {
        t.Seed,
        Iterations = t.Losses.Length,
        t.FirstTenthLoss,
        t.LastTenthLoss,
        t.FirstTenthGradientNorm,
        t.LastTenthGradientNorm,
        t.PeakGradientNorm,
        t.PeakIteration,
        t.FinalTestAccuracy,
    }).ToList();

    protected override SectionContent Describe(Config c, Result r)
    {
        var f = r.First;
        var iterations = Enumerable.Range(1, f.Losses.Length).Select(i => (double)i).ToArray();
        Interval Ratio(Func<Trace, double> value) => Statistics.MeanInterval(r.Of(t => Math.Log(value(t)))).Exp();
        return new SectionContent
        {
            Settings =
            [
                new("model", Mlp.Describe(784, c.Hidden, 10)),
                new("task", $"MNIST, first {c.TrainExamples:N0} training images"),
                new("optimizer",
                    $"Adam, learning rate {c.LearningRate}, batch size {c.BatchSize}, {c.Epochs} epochs ({f.Losses.Length} iterations, " +
                    $"{c.StepsPerEpoch} per epoch)"),
                new("gradient norm",
                    "√(Σ over every parameter of its squared gradient) of the mini-batch loss, after backward and before the optimizer step"),
                new("seeds",
                    $"{r.Traces.Count} ({r.Traces[0].Seed} to {r.Traces[^1].Seed}); the figure shows seed {f.Seed}, the table every seed; ratios " +
                    $"are geometric means with 95% Student-t intervals over seeds"),
            ],
            Tables =
            [
                Table.Of("Every seed: means over the first and the last tenth of the iterations", r.Traces, ("seed", t => $"{t.Seed}"),
                    ("loss, first → last tenth", t => $"{t.FirstTenthLoss:0.###} → {t.LastTenthLoss:0.####}"),
                    ("gradient norm, first → last tenth", t => $"{t.FirstTenthGradientNorm:0.###} → {t.LastTenthGradientNorm:0.###}"),
                    ("peak gradient norm (iteration)", t => $"{t.PeakGradientNorm:0.###} ({t.PeakIteration})"),
                    ("final test accuracy", t => $"{t.FinalTestAccuracy:P2}")),
            ],
            Figures =
            [
                new Figure("gradient-norm", "Gradient norm and loss per iteration",
                    $"Top: the 2-norm of the mini-batch gradient over all parameters; bottom: the mini-batch cross-entropy (log scale); both at " +
                    $"every iteration, seed {f.Seed}.",
                [
                    new Panel("gradient norm", new Axis("iteration"), new Axis("gradient 2-norm"),
                        [new Series("gradient norm", iterations, f.Norms).Downsampled(3000)]),
                    new Panel("loss", new Axis("iteration"), new Axis("mini-batch loss (log scale)", Log: true),
                        [new Series("loss", iterations, f.Losses).Downsampled(3000)]),
                ]),
            ],
            Comments =
            [
                $"On seed {f.Seed}, over {f.Losses.Length} iterations the mini-batch loss fell from a mean of {f.FirstTenthLoss:0.###} in the " +
                $"first " +
                $"tenth of training to {f.LastTenthLoss:0.####} in the last tenth; " +
                $"the gradient norm peaked at {f.PeakGradientNorm:0.###} at iteration {f.PeakIteration}, and averaged " +
                $"{f.FirstTenthGradientNorm:0.###} in the first tenth and {f.LastTenthGradientNorm:0.###} in the last.",
                Findings.GradientNormTrend(Ratio(t => t.NormRatio), Ratio(t => t.LossRatio), CriticalShrink) + $" ({r.Traces.Count} seeds.)",
            ],
            Headline = [new Metric("last-tenth mean gradient norm (seed " + f.Seed + ")", f.LastTenthGradientNorm),
                new Metric("last-tenth mean loss (seed " + f.Seed + ")", f.LastTenthLoss)],
        };
    }
}
