using HW1.Research.Analysis;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public class CurvatureTests
{
    [Fact]
    public void The_hessian_of_a_quadratic_is_its_matrix()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[,] { { 4.0, 1.0, 0.5 }, { 1.0, 3.0, -2.0 }, { 0.5, -2.0, 1.0 } }, dtype: ScalarType.Float64);
        var x = tensor(new[] { 0.3, -1.2, 2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var f = 0.5 * x.dot(a.matmul(x));

        var h = Curvature.Hessian(f, [x]);

        Assert.Equal(a.data<double>().ToArray(), h.data<double>().ToArray());
        Assert.Equal(0, Curvature.RelativeAsymmetry(h));
    }

    [Fact]
    public void The_hessian_spans_several_parameter_tensors()
    {
        // f(x, y) = x²y + y³ at (1, 2): H = [[2y, 2x], [2x, 6y]] = [[4, 2], [2, 12]].
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0 }, dtype: ScalarType.Float64).requires_grad_();
        var y = tensor(new[] { 2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var f = (x.pow(2) * y + y.pow(3)).sum();
        Assert.Equal(new[] { 4.0, 2.0, 2.0, 12.0 }, Curvature.Hessian(f, [x, y]).data<double>().ToArray());
    }

    [Theory]
    [InlineData(1.0, 1.0, 1.0, 2, 0, 0)] // x² + y²: a minimum, both eigenvalues positive
    [InlineData(1.0, -1.0, 0.5, 1, 1, 0)] // x² − y²: a saddle
    [InlineData(1.0, 0.0, 0.5, 1, 0, 1)] // x² (flat in y): the zero eigenvalue is not positive
    public void The_minimal_ratio_at_a_known_critical_point(double cx, double cy, double ratio, int positive, int negative, int zero)
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { 0.0, 0.0 }, dtype: ScalarType.Float64).requires_grad_();
        var f = (cx * p[0].pow(2)) + (cy * p[1].pow(2));
        var eigen = Curvature.Eigenvalues(Curvature.Hessian(f, [p]));
        var result = MinimalRatio.Of(eigen);
        Assert.Equal(ratio, result.Ratio);
        Assert.Equal((positive, negative, zero), (result.Positive, result.Negative, result.Zero));
    }

    [Fact]
    public void The_signed_ratio_leaves_flat_directions_out_of_both_counts()
    {
        // Three positive, one negative, two within the band of zero: positive / all is 3/6, positive / (positive + negative) 3/4.
        var result = MinimalRatio.Of([5.0, 2.0, 1e-12, -1e-13, 0.5, -1.0], 1e-9);
        Assert.Equal(0.5, result.Ratio);
        Assert.Equal(0.75, result.SignedRatio);
        // a zero Hessian has no curved direction (the band is relative to max|λ| = 0), so the signed ratio is undefined rather than 0 or 1
        Assert.True(double.IsNaN(MinimalRatio.Of([0.0, 0.0, 0.0], 1e-3).SignedRatio));
    }

    [Fact]
    public void Eigenvalues_of_a_known_symmetric_matrix()
    {
        using var m = tensor(new[,] { { 2.0, 1.0 }, { 1.0, 2.0 } }, dtype: ScalarType.Float64);
        var eigen = Curvature.Eigenvalues(m);
        Assert.Equal(1.0, eigen[0], 12);
        Assert.Equal(3.0, eigen[1], 12);
    }

    [Fact]
    public void The_gradient_norm_covers_every_parameter()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var b = tensor(new[] { 3.0 }, dtype: ScalarType.Float64).requires_grad_();
        (a.pow(2).sum() + b.pow(2).sum()).backward(); // gradients 2a = (2, 4) and 2b = 6
        Assert.Equal(Math.Sqrt(4 + 16 + 36), Curvature.GradientNorm([a, b]).item<double>(), 12);
    }
}
