using HW1.Research.Models;
using HW1.Research.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Training;

public class FlatAdamTests
{
    /// <summary>Trains a fresh model from <paramref name="seed"/> with either optimizer; returns its parameters afterwards.</summary>
    private static Tensor[] Train(bool flat, long seed, Func<Sequential> build, Tensor x, Tensor y, int steps, int batch, double rate,
        Func<Tensor, Tensor, Tensor> loss,
        int? dropRateAtStep = null)
    {
        using var random = Reproducibility.Seed(seed, threads: 2);
        using var model = build();
        if (x.dtype == ScalarType.Float64) model.to(ScalarType.Float64);
        using var reference = flat ? null : optim.Adam(model.parameters(), lr: rate);
        using var fast = flat ? new FlatAdam(model.parameters(), rate) : null;
        long n = x.shape[0];
        for (int step = 0; step < steps; step++)
        {
            if (step == dropRateAtStep)
            {
                if (fast is not null) fast.LearningRate = rate / 10;
                else foreach (var g in reference!.ParamGroups) g.LearningRate = rate / 10;
            }
            using var scope = NewDisposeScope();
            long start = step * (long)batch % n;
            var xb = x.narrow(0, start, Math.Min(batch, n - start));
            var yb = y.narrow(0, start, Math.Min(batch, n - start));
            if (fast is not null) fast.ZeroGrad(); else reference!.zero_grad();
            loss(model.call(xb), yb).backward();
            if (fast is not null) fast.Step(); else reference!.step();
        }
        return model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    private static void AssertBitIdentical(Tensor[] expected, Tensor[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].eq(actual[i]).all().item<bool>(),
                $"parameter {i} ({string.Join("x", expected[i].shape)}) differs: max |difference| " +
                $"{(expected[i] - actual[i]).abs().max().ToDouble()}");
        }
        foreach (var t in expected.Concat(actual)) t.Dispose();
    }

    [Fact]
    public void Matches_optim_Adam_bit_for_bit_on_an_mnist_shaped_mlp()
    {
        using var data = Reproducibility.Seed(5, threads: 2);
        using var x = rand(512, 1, 28, 28, generator: data.Torch);
        using var y = randint(0, 10, [512], generator: data.Torch);
        Sequential Build() => Mlp.Create(784, [256], 10);
        Tensor Loss(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);
        AssertBitIdentical(Train(false, 7, Build, x, y, 40, 64, 1e-3, Loss), Train(true, 7, Build, x, y, 40, 64, 1e-3, Loss));
    }

    [Fact]
    public void Matches_optim_Adam_bit_for_bit_on_a_cnn()
    {
        using var data = Reproducibility.Seed(6, threads: 2);
        using var x = rand(256, 1, 28, 28, generator: data.Torch);
        using var y = randint(0, 10, [256], generator: data.Torch);
        Sequential Build() => Cnn.Create(16, 32, 20);
        Tensor Loss(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);
        AssertBitIdentical(Train(false, 8, Build, x, y, 12, 128, 1e-3, Loss), Train(true, 8, Build, x, y, 12, 128, 1e-3, Loss));
    }

    [Fact]
    public void Matches_optim_Adam_bit_for_bit_on_a_tiny_float64_net_across_a_learning_rate_change()
    {
        using var data = Reproducibility.Seed(9, threads: 1);
        using var x = linspace(-1, 1, 100, dtype: ScalarType.Float64).reshape(100, 1);
        using var y = x.mul(5 * Math.PI).sin();
        Sequential Build() => Mlp.Create(1, [6, 6], 1, Activation.Tanh);
        Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);
        AssertBitIdentical(Train(false, 10, Build, x, y, 300, 100, 1e-2, Loss, dropRateAtStep: 150),
            Train(true, 10, Build, x, y, 300, 100, 1e-2, Loss, dropRateAtStep: 150));
    }

    [Fact]
    public void Gradients_are_views_of_one_buffer_and_zero_grad_clears_them()
    {
        using var random = Reproducibility.Seed(1, threads: 1);
        using var model = Mlp.Create(3, [4], 2);
        using var optimizer = new FlatAdam(model.parameters(), 0.1);
        using var x = ones(5, 3);
        using (NewDisposeScope())
            model.call(x).sum().backward();
        Assert.All(model.parameters(), p => Assert.True(p.grad!.abs().sum().ToDouble() > 0));
        optimizer.Step();
        Assert.Equal(1, optimizer.Steps);
        optimizer.ZeroGrad();
        Assert.All(model.parameters(), p => Assert.Equal(0.0, p.grad!.abs().sum().ToDouble()));
    }
}
