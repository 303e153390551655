using System.Globalization;
using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Training;

public class DivergenceGuardTests
{
    /// <summary>Records the loss of every step the trainer hands on (the guard runs before the observer).</summary>
    private sealed class LossRecorder : ITrainingObserver
    {
        public List<double> Losses { get; } = [];

        public void AfterBackward(int step, Tensor loss) => Losses.Add(loss.ToDouble());
    }

    /// <summary>√x: finite at 0, but its derivative there is infinite, so a gradient through it is not finite.</summary>
    private sealed class SquareRoot() : nn.Module<Tensor, Tensor>("sqrt")
    {
        public override Tensor forward(Tensor input) => input.sqrt();
    }

    private static bool AllFinite(nn.Module model) =>
        model.parameters().All(p => isfinite(p).all().item<bool>());

    private static void AssertNamesEveryItem(TrainingDivergedException e, string run)
    {
        var c = CultureInfo.InvariantCulture;
        Assert.Contains($"Training '{run}' diverged", e.Message, StringComparison.Ordinal);
        Assert.Contains($"epoch {e.Epoch}, step {e.Step}, learning rate {e.LearningRate.ToString(c)}", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.LastFiniteLoss);
        Assert.Contains($"the last finite loss was {e.LastFiniteLoss!.Value.ToString("G6", c)}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_learning_rate_of_1e6_stops_the_classifier_trainer_at_the_first_non_finite_step()
    {
        using var random = Reproducibility.Seed(5, threads: 1);
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 256, 1, 28, 28 }, generator: random.Torch);
        var y = randint(0, 10, new long[] { 256 }, generator: random.Torch);
        using var data = new LabeledImages(x, y, 10);
        // Adam moves every weight by about the learning rate per step, so after one step the weights are near ±1e6;
        // through five layers the logits pass float32's 3.4e38. (A two-layer net at this rate only reaches a loss of
        // about 1e14, absurd but finite, which is not what this guard looks for.)
        using var model = Mlp.Create(784, [128, 128, 128, 128], 10);
        var recorder = new LossRecorder();
        var settings = new ClassifierTraining(Epochs: 50, BatchSize: 32, LearningRate: 1e6) { Name = "1e6 classifier" };

        var e = Assert.Throws<TrainingDivergedException>(() => ClassifierTrainer.Train(model, data, data, settings, random, recorder));

        AssertNamesEveryItem(e, "1e6 classifier");
        Assert.Equal(1e6, e.LearningRate);
        // Every earlier step was finite and reached the observer; the failing one did not: it stopped at the first.
        Assert.Equal(recorder.Losses.Count + 1, e.Step);
        Assert.All(recorder.Losses, l => Assert.True(double.IsFinite(l)));
        Assert.Equal(recorder.Losses[^1], e.LastFiniteLoss);
        Assert.Equal(((e.Step - 1) / (256 / 32)) + 1, e.Epoch); // 8 steps per epoch
        Assert.True(e.NonFiniteGradient || !double.IsFinite(e.Loss), $"loss {e.Loss}");
        // The optimizer never used the failing step, so no weight became NaN or infinite.
        Assert.True(AllFinite(model));
    }

    [Fact]
    public void A_learning_rate_of_1e6_stops_the_regression_trainer_at_the_first_non_finite_epoch()
    {
        var (x, y) = TargetFunction.Sinc.Sample(100);
        RegressionHistory Train(int epochs)
        {
            using var random = Reproducibility.Seed(5, threads: 1);
            using var model = Mlp.Create(1, [16, 16, 16], 1);
            return RegressionTrainer.Train(model, x, y,
                new RegressionTraining(epochs, 1e6, new ConvergenceCriterion(100, 0.01)) { Name = "1e6 regression" });
        }

        var e = Assert.Throws<TrainingDivergedException>(() => Train(1000));

        AssertNamesEveryItem(e, "1e6 regression");
        Assert.Equal(e.Epoch, e.Step); // full batch: one step per epoch
        Assert.True(e.Step > 1, "the first epoch starts from a finite initialisation and must pass");
        // The same run stopped one epoch earlier trains without error and ends at the reported last finite loss.
        var before = Train(e.Epoch - 1);
        Assert.Equal(e.Epoch - 1, before.Epochs);
        Assert.Equal(before.FinalLoss, e.LastFiniteLoss);
        Assert.All(before.Losses, l => Assert.True(double.IsFinite(l)));
        x.Dispose();
        y.Dispose();
    }

    [Fact]
    public void A_non_finite_gradient_with_a_finite_loss_is_caught_too()
    {
        // Zero images: the layer's output is 0, √0 = 0 gives finite logits and loss ln 3, but d√z/dz is infinite at 0
        // and the weight gradient is ∞ · 0 = NaN.
        using var random = Reproducibility.Seed(5, threads: 1);
        using var data = new LabeledImages(zeros(8, 1, 2, 2), zeros(8, dtype: ScalarType.Int64), 3);
        using var model = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(4, 3, hasBias: false)), ("sqrt", new SquareRoot()));
        var settings = new ClassifierTraining(Epochs: 1, BatchSize: 8, LearningRate: 1e-3);

        var e = Assert.Throws<TrainingDivergedException>(() => ClassifierTrainer.Train(model, data, data, settings, random));

        Assert.True(e.NonFiniteGradient);
        Assert.Equal(1, e.Step);
        Assert.Equal(Math.Log(3), e.Loss, 6);
        Assert.Equal(e.Loss, e.LastFiniteLoss);
        Assert.Contains("but a gradient was not", e.Message, StringComparison.Ordinal);
        Assert.Contains("Training 'unnamed run (set Name in its training settings)'", e.Message, StringComparison.Ordinal);
        Assert.True(AllFinite(model));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    public void The_finiteness_scan_finds_any_nan_or_infinity_at_any_position(ScalarType dtype)
    {
        // 37 entries: more than one vector of every width, with a remainder scanned one by one.
        double[] extremes = [float.MaxValue, -float.MaxValue, float.Epsilon, -0.0, 1e-45, 65504];
        var values = Enumerable.Range(0, 37).Select(i => i < extremes.Length && dtype != ScalarType.Float16 ? extremes[i] : i - 18.5).ToArray();
        using (var all = tensor(values).to_type(dtype))
            Assert.True(DivergenceGuard.AllFinite(all));
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int i = 0; i < values.Length; i++)
            {
                var copy = values.ToArray();
                copy[i] = bad;
                using var t = tensor(copy).to_type(dtype);
                Assert.False(DivergenceGuard.AllFinite(t), $"{bad} at {i}");
            }
        }
    }

    [Fact]
    public void The_finiteness_scan_reads_a_non_contiguous_tensor_in_its_own_order()
    {
        using var scope = NewDisposeScope();
        var matrix = zeros(5, 7);
        matrix[4, 6] = tensor(float.NaN);
        var transposed = matrix.t();
        Assert.False(transposed.is_contiguous());
        Assert.False(DivergenceGuard.AllFinite(transposed));
        Assert.True(DivergenceGuard.AllFinite(zeros(5, 7).t()));
    }
}
