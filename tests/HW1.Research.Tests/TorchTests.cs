using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Tests;

public class TorchTests
{
    [Fact]
    public void Torch_loads_and_reports_its_versions()
    {
        var versions = TorchRuntime.EnsureLoaded();
        Assert.Matches(@"^TorchSharp \d+\.\d+\.\d+, LibTorch \d+\.\d+", versions);
    }

    [Fact]
    public void Backward_gives_the_analytic_gradient_of_a_tiny_linear_model()
    {
        // L = (w·x + b - t)^2 ; dL/dw = 2(w·x + b - t)x, dL/db = 2(w·x + b - t).
        using var scope = NewDisposeScope();
        var w = tensor(new[] { 0.5, -1.0, 2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var b = tensor(0.25, dtype: ScalarType.Float64).requires_grad_();
        var x = tensor(new[] { 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64);
        const double t = 1.0;
        var loss = (w.dot(x) + b - t).pow(2);
        loss.backward();

        double residual = (0.5 * 1) + (-1.0 * 2) + (2.0 * 3) + 0.25 - t; // 3.75
        Assert.Equal(residual * residual, loss.item<double>(), 12);
        Assert.Equal(new[] { 2 * residual * 1, 2 * residual * 2, 2 * residual * 3 }, w.grad!.data<double>().ToArray());
        Assert.Equal(2 * residual, b.grad!.item<double>(), 12);
    }

    [Fact]
    public void Gradient_of_the_gradient_norm_is_right_on_a_quadratic()
    {
        // f(x) = ½ xᵀAx with symmetric A: ∇f = Ax, and ∇‖∇f‖² = 2A²x.
        using var scope = NewDisposeScope();
        var a = tensor(new[,] { { 2.0, 1.0 }, { 1.0, 3.0 } }, dtype: ScalarType.Float64);
        var x = tensor(new[] { 1.0, -2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var f = 0.5 * x.dot(a.matmul(x));
        // create_graph needs retain_graph in TorchSharp (PLATFORM.md): without it the native engine aborts.
        var grad = torch.autograd.grad([f], [x], create_graph: true, retain_graph: true)[0];
        Assert.Equal(new[] { 0.0, -5.0 }, grad.detach().data<double>().ToArray());

        var normSquared = grad.dot(grad);
        var second = torch.autograd.grad([normSquared], [x])[0];

        var expected = 2 * a.matmul(a).matmul(x.detach()); // 2A²x = [-10, -30]
        Assert.Equal(expected.data<double>().ToArray(), second.data<double>().ToArray());
        Assert.Equal(new[] { -10.0, -30.0 }, second.data<double>().ToArray());
    }
}
