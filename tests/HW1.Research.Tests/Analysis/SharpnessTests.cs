using HW1.Research.Analysis;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public class SharpnessTests
{
    [Fact]
    public void Power_iteration_recovers_the_top_eigenvalue_of_a_quadratic()
    {
        // A = Q diag(5, 2, 0.5) Qᵀ with a rotation Q: the Hessian of ½θᵀAθ is A, its top eigenvalue 5.
        using var scope = NewDisposeScope();
        double c = Math.Cos(0.7), s = Math.Sin(0.7);
        var q = tensor(new[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1.0 } }, dtype: ScalarType.Float64);
        var a = q.matmul(diag(tensor(new[] { 5.0, 2.0, 0.5 }, dtype: ScalarType.Float64))).matmul(q.t());
        var theta = tensor(new[] { 0.3, -0.2, 0.9 }, dtype: ScalarType.Float64).requires_grad_();
        using var generator = new Generator(3);

        var top = Sharpness.TopHessianEigenvalue([theta], () => 0.5 * theta.dot(a.matmul(theta)), generator, maxIterations: 200,
            relativeTolerance: 1e-10);

        Assert.True(top.Converged);
        Assert.Equal(5.0, top.Value, 6);
    }

    [Fact]
    public void The_box_maximizer_finds_the_corner_of_a_convex_loss_and_says_it_converged()
    {
        // θ² at θ = 1, ε = 0.01: the maximum is at the box's edge θ = 1.02, sharpness 100 · (1.02² − 1) / 2 = 2.02 percent.
        using var scope = NewDisposeScope();
        var theta = tensor(new[] { 1.0 }, dtype: ScalarType.Float64).requires_grad_();
        var box = Sharpness.Box([theta], () => theta.pow(2).sum(), epsilon: 0.01);
        Assert.True(box.Converged);
        Assert.Equal(2.02, box.Percent, 9);
        Assert.Equal(1.0, theta.item<double>());
    }

    /// <summary>
    /// L = −(θ₀ − 1.005)² + θ₁² at θ = (1, 1), ε = 0.01: the box is [0.98, 1.02]²; the maximum is θ₀ = 1.005 (inside) and θ₁ = 1.02.
    /// L(θ) = −0.000025 + 1, max L = 1.0404; sharpness = 100 · (1.0404 − 0.999975) / (1 + 0.999975).
    /// </summary>
    private static BoxSharpness InteriorAndEdge(int maxIterations = 500, BoxAscent ascent = BoxAscent.ScaledGradient)
    {
        using var scope = NewDisposeScope();
        var theta = tensor(new[] { 1.0, 1.0 }, dtype: ScalarType.Float64).requires_grad_();
        var target = tensor(new[] { 1.005, 0.0 }, dtype: ScalarType.Float64);
        var sign = tensor(new[] { -1.0, 1.0 }, dtype: ScalarType.Float64);
        return Sharpness.Box([theta], () => (sign * (theta - target).pow(2)).sum(), epsilon: 0.01, maxIterations, tolerance: 1e-12, ascent);
    }

    [Theory]
    [InlineData(BoxAscent.ScaledGradient)]
    [InlineData(BoxAscent.Sign)]
    public void The_box_maximizer_finds_an_interior_maximum_in_one_coordinate_and_the_edge_in_the_other(BoxAscent ascent)
    {
        var box = InteriorAndEdge(ascent: ascent);
        Assert.True(box.Converged, $"{box.Iterations} iterations, last gain {box.LastGain}");
        Assert.Equal(100 * (1.0404 - 0.999975) / 1.999975, box.Percent, 6);
    }

    [Fact]
    public void Sign_ascent_reaches_the_corner_of_a_convex_loss_in_one_step()
    {
        // θ₀² + θ₁² at (1, −2), ε = 0.01: the maximum is the corner (1.02, −2.03); the first sign step lands on it, the next is rejected
        // and the step halves down to 1e-6 of the box, about 21 evaluations in all, far fewer than the scaled gradient's walk.
        using var scope = NewDisposeScope();
        var theta = tensor(new[] { 1.0, -2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var box = Sharpness.Box([theta], () => theta.pow(2).sum(), epsilon: 0.01, ascent: BoxAscent.Sign);
        Assert.True(box.Converged);
        Assert.Equal(100 * ((1.02 * 1.02) + (2.03 * 2.03) - 5) / 6, box.Percent, 9);
        Assert.True(box.Iterations <= 25,
            $"{box.Iterations} evaluations"); // one accepted step, then at most 21 halvings below 1e-6 and their evaluations
    }

    [Fact]
    public void A_box_maximizer_out_of_iterations_says_it_did_not_converge()
    {
        var box = InteriorAndEdge(maxIterations: 3);
        Assert.False(box.Converged);
        Assert.Equal(3, box.Iterations);
    }
}
