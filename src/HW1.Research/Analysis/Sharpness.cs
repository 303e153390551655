using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>The largest Hessian eigenvalue found by power iteration, and how many iterations it took.</summary>
public sealed record TopEigenvalue(double Value, int Iterations, bool Converged);

/// <summary>Sharpness of a loss at given weights: the top Hessian eigenvalue and Keskar et al.'s ε-sharpness.</summary>
public static class Sharpness
{
    /// <summary>
    /// The eigenvalue of largest magnitude of the Hessian of <paramref name="loss"/>, by power iteration on
    /// Hessian-vector products (double backward; the Hessian itself is never formed). Stops when the estimate
    /// changes by less than <paramref name="relativeTolerance"/> or after <paramref name="maxIterations"/>.
    /// </summary>
    public static TopEigenvalue TopHessianEigenvalue(IList<Tensor> parameters, Func<Tensor> loss, Generator generator,
        int maxIterations = 100, double relativeTolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        using var outer = NewDisposeScope();
        var l = loss();
        var gradient = Curvature.GradientWithGraph(l, parameters);
        var v = randn(gradient.shape, generator: generator, dtype: gradient.dtype);
        v = v / v.norm();
        double estimate = double.NaN;
        for (int i = 1; i <= maxIterations; i++)
        {
            using var scope = NewDisposeScope();
            var hv = cat(autograd.grad([gradient.dot(v)], parameters, retain_graph: true).Select(g => g.reshape(-1)).ToArray());
            double next = hv.dot(v).to_type(ScalarType.Float64).item<double>(); // Rayleigh quotient vᵀHv
            var norm = hv.norm();
            if (norm.to_type(ScalarType.Float64).item<double>() == 0) return new TopEigenvalue(0, i, true);
            v.Dispose();
            v = (hv / norm).detach().MoveToOuterDisposeScope();
            if (!double.IsNaN(estimate) && Math.Abs(next - estimate) <= relativeTolerance * Math.Abs(next))
                return new TopEigenvalue(next, i, true);
            estimate = next;
        }
        return new TopEigenvalue(estimate, maxIterations, false);
    }

    /// <summary>
    /// Keskar et al. 2017's ε-sharpness in percent: 100 · (max L(θ + δ) − L(θ)) / (1 + L(θ)) over the box
    /// |δᵢ| ≤ ε(|θᵢ| + 1), the maximum approximated by <paramref name="steps"/> steps of projected sign-gradient
    /// ascent (each step moves every coordinate by a fraction of its box and clips to the box). The weights are
    /// restored afterwards.
    /// </summary>
    public static double EpsilonSharpness(IList<Tensor> parameters, Func<Tensor> loss, double epsilon = 1e-4, int steps = 10)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        var origin = ParameterVector.Snapshot(parameters);
        try
        {
            double baseLoss;
            using (no_grad()) baseLoss = loss().to_type(ScalarType.Float64).item<double>();
            var bounds = origin.Select(o => (o.abs() + 1) * epsilon).ToArray();
            double best = baseLoss;
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                var l = loss();
                var grads = autograd.grad([l], parameters);
                using (no_grad())
                {
                    for (int i = 0; i < parameters.Count; i++)
                    {
                        var moved = parameters[i] + (grads[i].sign() * bounds[i] * (2.0 / steps));
                        var delta = (moved - origin[i]).clamp(-bounds[i], bounds[i]);
                        parameters[i].copy_(origin[i] + delta);
                    }
                    best = Math.Max(best, loss().to_type(ScalarType.Float64).item<double>());
                }
            }
            foreach (var b in bounds) b.Dispose();
            return 100 * (best - baseLoss) / (1 + baseLoss);
        }
        finally
        {
            ParameterVector.SetTo(parameters, origin);
            foreach (var o in origin) o.Dispose();
        }
    }
}
