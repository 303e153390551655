using HW1.Research.Data;

namespace HW1.Research.Tests.Data;

public class TargetFunctionTests
{
    [Fact]
    public void The_classic_functions_have_their_defining_values()
    {
        Assert.Equal(1.0, TargetFunction.Sinc.Evaluate(0));
        Assert.Equal(0.0, TargetFunction.Sinc.Evaluate(0.2), 12); // sin(π) / π
        Assert.Equal(1.0, TargetFunction.SignOfSine.Evaluate(0.1));
        Assert.Equal(-1.0, TargetFunction.SignOfSine.Evaluate(0.3));
    }

    [Fact]
    public void Samples_span_the_domain_with_inputs_rescaled_to_minus_one_one()
    {
        var f = TargetFunction.SinPlusLinear;
        var grid = f.Grid(5);
        Assert.Equal(f.Low, grid[0]);
        Assert.Equal(f.High, grid[^1]);
        var (x, y) = f.Sample(5);
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f }, x.data<float>().ToArray());
        Assert.Equal(grid.Select(g => (float)f.Evaluate(g)), y.data<float>().ToArray());
        x.Dispose();
        y.Dispose();
    }

    [Fact]
    public void Variance_is_that_of_the_sampled_values() =>
        // sgn(sin(5πx)) on an even grid: ±1 nearly everywhere, so its variance is close to 1.
        Assert.InRange(TargetFunction.SignOfSine.Variance(1000), 0.95, 1.0);
}
