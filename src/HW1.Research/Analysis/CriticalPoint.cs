using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>How a critical-point search ended.</summary>
public sealed record CriticalPointSearch(int Iterations, double InitialGradientNorm, double GradientNorm, bool Reached, double Loss);

/// <summary>
/// Finds weights where the gradient vanishes by minimizing the squared gradient norm ‖∇L(θ)‖² with
/// Levenberg–Marquardt. The gradient's Jacobian is the Hessian H, so each step solves
/// (H² + μI) δ = −H g, accepted when it lowers ‖∇L‖² (then μ shrinks) and retried with a larger μ otherwise.
/// It converges to the nearest critical point of any kind (minimum or saddle), which is what the minimal
/// ratio then classifies. Works in the parameters' dtype; use float64 to reach tolerances below 1e-6.
/// </summary>
public static class CriticalPoint
{
    public static CriticalPointSearch Find(IList<Tensor> parameters, Func<Tensor> loss, double tolerance, int maxIterations)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        double mu = 1e-3;
        var (gradient, hessian, value) = Evaluate(parameters, loss);
        double norm = gradient.norm().item<double>();
        double initial = norm;
        int iteration = 0;
        try
        {
            while (norm > tolerance && iteration < maxIterations)
            {
                iteration++;
                var origin = ParameterVector.Snapshot(parameters);
                bool accepted = false;
                for (int attempt = 0; attempt < 30 && !accepted; attempt++)
                {
                    using (var scope = NewDisposeScope())
                    {
                        var system = hessian.matmul(hessian) + (mu * eye(hessian.shape[0], dtype: hessian.dtype));
                        var step = -linalg.solve(system, hessian.matmul(gradient));
                        ParameterVector.SetTo(parameters, origin, (1.0, ParameterVector.Split(step, parameters)));
                    }
                    var (g, h, v) = Evaluate(parameters, loss);
                    double candidate = g.norm().item<double>();
                    if (double.IsFinite(candidate) && candidate < norm)
                    {
                        Dispose(gradient, hessian);
                        (gradient, hessian, value, norm) = (g, h, v, candidate);
                        mu = Math.Max(mu / 3, 1e-12);
                        accepted = true;
                    }
                    else
                    {
                        Dispose(g, h);
                        mu *= 4;
                    }
                }
                if (!accepted)
                {
                    ParameterVector.SetTo(parameters, origin);
                    foreach (var t in origin) t.Dispose();
                    break; // no step lowers the gradient norm: a numerical floor
                }
                foreach (var t in origin) t.Dispose();
            }
            return new CriticalPointSearch(iteration, initial, norm, norm <= tolerance, value);
        }
        finally
        {
            Dispose(gradient, hessian);
        }
    }

    private static (Tensor Gradient, Tensor Hessian, double Loss) Evaluate(IList<Tensor> parameters, Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var l = loss();
        var withGraph = Curvature.GradientWithGraph(l, parameters);
        var hessian = Curvature.HessianOfGradient(withGraph, parameters);
        var gradient = withGraph.detach().to_type(ScalarType.Float64);
        return (gradient.MoveToOuterDisposeScope(), hessian.MoveToOuterDisposeScope(), l.to_type(ScalarType.Float64).item<double>());
    }

    private static void Dispose(Tensor a, Tensor b)
    {
        a.Dispose();
        b.Dispose();
    }
}
