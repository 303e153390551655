using HW1.Research.Models;

namespace HW1.Research.Tests.Models;

public class ParameterBudgetTests
{
    [Theory]
    [InlineData(1, new[] { 190 }, 571)] // 1·190 + 190 + 190·1 + 1
    [InlineData(2, new[] { 22, 22 }, 573)] // 44 + 506 + 23
    [InlineData(4, new[] { 13, 13, 13, 12 }, 571)] // 26 + 182 + 182 + 168 + 13
    public void Widths_for_the_assignments_budget_land_within_one_percent(int depth, int[] expected, long count)
    {
        var widths = ParameterBudget.Widths(depth, 571);
        Assert.Equal(expected, widths);
        Assert.Equal(count, Mlp.CountParameters(1, widths, 1));
        Assert.InRange(count, 571 * 0.99, 571 * 1.01);
    }

    [Fact]
    public void Counting_without_building_matches_the_built_module()
    {
        using var mlp = Mlp.Create(784, [100, 50], 10);
        Assert.Equal(Mlp.CountParameters(784, [100, 50], 10), ModuleFacts.ParameterCount(mlp));
        Assert.Equal((785 * 100) + (101 * 50) + (51 * 10), ModuleFacts.ParameterCount(mlp));
        using var cnn = Cnn.Create(16, 32, 166);
        Assert.Equal(Cnn.CountParameters(16, 32, 166), ModuleFacts.ParameterCount(cnn));
    }

    [Fact]
    public void Keskar_F1_has_a_scale_and_shift_per_hidden_unit_and_normalizes_in_train_mode_only()
    {
        using var f1 = Mlp.CreateBatchNormalized(784, [512, 512, 512, 512, 512], 10);
        // 785·512 + 4·513·512 + 513·10 weights and biases, and 2·512 per batch-normalized layer
        Assert.Equal((785L * 512) + (4L * 513 * 512) + (513L * 10) + (5L * 2 * 512), ModuleFacts.ParameterCount(f1));
        Assert.Equal(Mlp.CountBatchNormalizedParameters(784, [512, 512, 512, 512, 512], 10), ModuleFacts.ParameterCount(f1));
        using var x = TorchSharp.torch.rand(8, 784);
        f1.train();
        using var first = f1.call(x);
        f1.eval();
        using var second = f1.call(x);
        // train mode normalizes by the batch's statistics, eval mode by the running ones after one update: the outputs must differ
        Assert.False(first.allclose(second));
    }

    [Fact]
    public void Cnn_hidden_width_for_a_budget_is_the_closest()
    {
        var hidden = Cnn.HiddenForBudget(16, 32, 100_000);
        var gap = Math.Abs(Cnn.CountParameters(16, 32, hidden) - 100_000);
        Assert.True(gap <= Math.Abs(Cnn.CountParameters(16, 32, hidden + 1) - 100_000));
        Assert.True(gap <= Math.Abs(Cnn.CountParameters(16, 32, hidden - 1) - 100_000));
    }

    [Fact]
    public void Descriptions_name_widths_activation_and_count()
    {
        Assert.Equal("MLP 784-64-32-10, ReLU; 52,650 parameters", Mlp.Describe(784, [64, 32], 10));
        Assert.Equal("MLP 1-6-6-1, tanh; 61 parameters", Mlp.Describe(1, [6, 6], 1, Activation.Tanh));
    }

    [Fact]
    public void A_budget_below_the_smallest_network_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterBudget.Widths(3, 5));
}
