using HW1.Research.Analysis;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public class CriticalPointTests
{
    // f(a, b) = (a² − 1)² + b²: minima at (±1, 0) (Hessian diag(8, 2)), a saddle at (0, 0) (Hessian diag(−4, 2)).
    private static Tensor F(Tensor p) => (p[0].pow(2) - 1).pow(2) + p[1].pow(2);

    [Theory]
    [InlineData(0.8, 0.3, 1.0, 1.0)] // near a minimum: every eigenvalue positive
    [InlineData(0.05, 0.3, 0.0, 0.5)] // near the saddle: one of two eigenvalues positive
    public void Finds_the_nearest_critical_point_of_any_kind(double a, double b, double expectedA, double expectedRatio)
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { a, b }, dtype: ScalarType.Float64).requires_grad_();

        var search = CriticalPoint.Find([p], () => F(p), tolerance: 1e-10, maxIterations: 100);

        Assert.True(search.Reached, $"gradient norm {search.GradientNorm} after {search.Iterations} iterations");
        Assert.True(search.GradientNorm < search.InitialGradientNorm);
        Assert.Equal(expectedA, p[0].item<double>(), 6);
        Assert.Equal(0.0, p[1].item<double>(), 6);
        var ratio = MinimalRatio.Of(Curvature.Eigenvalues(Curvature.Hessian(F(p), [p])));
        Assert.Equal(expectedRatio, ratio.Ratio);
    }

    [Fact]
    public void A_relative_criterion_runs_the_search_even_where_the_absolute_one_is_already_met()
    {
        // F + 1 (minimum loss 1, as a regression's loss stays above 0): near the minimum (1, 0) ‖∇L‖ ≈ 8e-3 ≤ 1e-2 holds at the start,
        // so the absolute criterion does nothing, while ‖∇L‖·‖θ‖ / L ≤ 1e-10 asks the search to go on to the critical point itself.
        using var scope = NewDisposeScope();
        var p = tensor(new[] { 1.001, 0.001 }, dtype: ScalarType.Float64).requires_grad_();
        var absolute = CriticalPoint.Find([p], () => F(p) + 1, tolerance: 1e-2, maxIterations: 100);
        Assert.Equal(0, absolute.Iterations);
        var relative = CriticalPoint.Find([p], () => F(p) + 1, tolerance: 1e-2, maxIterations: 100, relativeTolerance: 1e-10);
        Assert.True(relative.Reached, $"relative gradient {relative.RelativeGradient} after {relative.Iterations} iterations");
        Assert.True(relative.Iterations > 0);
        Assert.True(relative.RelativeGradient <= 1e-10);
        var norm = Math.Sqrt(Math.Pow(p[0].item<double>(), 2) + Math.Pow(p[1].item<double>(), 2));
        Assert.Equal(relative.GradientNorm * norm / relative.Loss, relative.RelativeGradient, 12);
    }

    [Fact]
    public void Stops_at_the_iteration_budget_without_claiming_success()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { 0.8, 0.3 }, dtype: ScalarType.Float64).requires_grad_();
        var search = CriticalPoint.Find([p], () => F(p), tolerance: 1e-30, maxIterations: 2);
        Assert.False(search.Reached);
        Assert.Equal(2, search.Iterations);
    }
}
