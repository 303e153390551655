using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>
/// How a critical-point search ended: its iterations, the gradient norm before and after, whether it met its criterion, the loss, and
/// the gradient relative to the loss and the weights' scale, ‖∇L‖·‖θ‖ / L, where it stopped.
/// </summary>
public sealed record CriticalPointSearch(int Iterations, double InitialGradientNorm, double GradientNorm, bool Reached, double Loss)
{
    public double RelativeGradient { get; init; } = double.NaN;
}

/// <summary>
/// Finds weights where the gradient vanishes by minimizing the squared gradient norm ‖∇L(θ)‖² with
/// Levenberg–Marquardt. The gradient's Jacobian is the Hessian H, so each step solves
/// (H² + μI) δ = −H g, accepted when it lowers ‖∇L‖² (then μ shrinks) and retried with a larger μ otherwise.
/// It converges to the nearest critical point of any kind (minimum or saddle), which is what the minimal
/// ratio then classifies. Works in the parameters' dtype; use float64 to reach tolerances below 1e-6.
/// </summary>
public static class CriticalPoint
{
    /// <summary>
    /// Searches until ‖∇L‖ ≤ <paramref name="tolerance"/>, or, when <paramref name="relativeTolerance"/> is positive, until
    /// ‖∇L‖·‖θ‖ / L ≤ <paramref name="relativeTolerance"/> (a criterion that means the same at every loss: to first order, moving every
    /// weight by a fraction f of ‖θ‖ changes the loss by at most f · <paramref name="relativeTolerance"/> of itself); at most
    /// <paramref name="maxIterations"/> Levenberg–Marquardt steps, fewer when no step lowers the gradient norm (a numerical floor).
    /// </summary>
    public static CriticalPointSearch Find(IList<Tensor> parameters, Func<Tensor> loss, double tolerance, int maxIterations,
        double relativeTolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        double mu = 1e-3;
        var (gradient, hessian, value) = Evaluate(parameters, loss);
        double norm = gradient.norm().item<double>();
        double initial = norm;
        int iteration = 0;
        double Relative() => norm * Norm(parameters) / value;
        bool Done() => relativeTolerance > 0 ? norm == 0 || Relative() <= relativeTolerance : norm <= tolerance;
        try
        {
            while (!Done() && iteration < maxIterations)
            {
                iteration++;
                var origin = ParameterVector.Snapshot(parameters);
                bool accepted = false;
                for (int attempt = 0; attempt < 30 && !accepted; attempt++)
                {
                    using (var scope = NewDisposeScope())
                    {
                        using var damping = mu.ToScalar();
                        var system = hessian.matmul(hessian).add(eye(hessian.shape[0], dtype: hessian.dtype).mul(damping), TensorValues.One);
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
            return new CriticalPointSearch(iteration, initial, norm, Done(), value) { RelativeGradient = Relative() };
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

    private static double Norm(IList<Tensor> parameters)
    {
        using var noGrad = no_grad();
        return Math.Sqrt(parameters.Sum(p => p.pow(TensorValues.Two).sum().to_type(ScalarType.Float64).item<double>()));
    }

    private static void Dispose(Tensor a, Tensor b)
    {
        a.Dispose();
        b.Dispose();
    }
}
