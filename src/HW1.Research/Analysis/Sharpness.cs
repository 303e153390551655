using HW1.Research.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>The largest Hessian eigenvalue found by power iteration, and how many iterations it took.</summary>
public sealed record TopEigenvalue(double Value, int Iterations, bool Converged);

/// <summary>
/// Keskar et al.'s sharpness in percent, 100 · (max L(θ + δ) − L(θ)) / (1 + L(θ)) over the box |δᵢ| ≤ ε(|θᵢ| + 1), with how its
/// maximizer ended: the iterations (loss evaluations) it used, whether it converged, and the relative gain of its last accepted step.
/// </summary>
public sealed record BoxSharpness(double Epsilon, double Percent, int Iterations, bool Converged, double LastGain);

/// <summary>The direction of each ascent step of <see cref="Sharpness.Box"/>, in the box's own coordinates.</summary>
public enum BoxAscent
{
    /// <summary>The scaled gradient normalized to a largest component of 1: the Euclidean steepest ascent, slow to reach the box's corners.</summary>
    ScaledGradient,

    /// <summary>The sign of the gradient: the steepest ascent in the box's own (L∞) geometry, which reaches a corner in one step.</summary>
    Sign,
}

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
        var (top, vector) = TopHessianEigenpair(parameters, loss, generator, maxIterations, relativeTolerance);
        vector.Dispose();
        return top;
    }

    /// <summary>
    /// <see cref="TopHessianEigenvalue"/> with its eigenvector: the last power iterate, unit length, one entry per parameter element in
    /// the order of <paramref name="parameters"/> (zero when the Hessian-vector product vanished). The caller disposes the vector.
    /// </summary>
    public static (TopEigenvalue Top, Tensor Vector) TopHessianEigenpair(IList<Tensor> parameters, Func<Tensor> loss, Generator generator,
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
            TrainingProgress.Report(() => $"power iteration: {i} of at most {maxIterations}, estimate {next:G6}");
            var norm = hv.norm();
            if (norm.to_type(ScalarType.Float64).item<double>() == 0) return (new TopEigenvalue(0, i, true),
                zeros_like(v).detach().MoveToOuterDisposeScope().MoveToOuterDisposeScope());
            v.Dispose();
            v = (hv / norm).detach().MoveToOuterDisposeScope();
            if (!double.IsNaN(estimate) && Math.Abs(next - estimate) <= relativeTolerance * Math.Abs(next))
                return (new TopEigenvalue(next, i, true), v.MoveToOuterDisposeScope());
            estimate = next;
        }
        return (new TopEigenvalue(estimate, maxIterations, false), v.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Keskar et al. 2017's sharpness over the box |δᵢ| ≤ ε(|θᵢ| + 1), maximized until it converges: projected gradient ascent in the
    /// box's own coordinates (uᵢ = δᵢ / (ε(|θᵢ| + 1)) ∈ [−1, 1]), each step along the scaled gradient normalized to a largest component
    /// of 1, with a step length that doubles after an accepted step (up to the box's width) and halves after a rejected one. It has
    /// converged when an accepted step raises the loss by less than <paramref name="tolerance"/> · (1 + L(θ)), or when no step down
    /// to a length of 1e-6 of the box raises it (a stationary point of the box problem); otherwise it stops after
    /// <paramref name="maxIterations"/> loss evaluations and says so. The weights are restored afterwards.
    /// With <see cref="BoxAscent.Sign"/> each step moves every coordinate by the step length in the direction of its gradient's sign instead.
    /// Keskar et al. ran 10 iterations of L-BFGS-B, bounded by the cost of their loss; this maximizer runs until it converges.
    /// </summary>
    public static BoxSharpness Box(IList<Tensor> parameters, Func<Tensor> loss, double epsilon, int maxIterations = 500, double tolerance = 1e-5,
        BoxAscent ascent = BoxAscent.ScaledGradient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The box needs a positive ε.");
        var origin = ParameterVector.Snapshot(parameters);
        Tensor[] bounds;
        using (var radius = epsilon.ToScalar())
            bounds = origin.Select(o => o.abs().add(TensorValues.One, TensorValues.One).mul(radius)).ToArray();
        var u = origin.Select(o => zeros_like(o)).ToArray();
        try
        {
            double Evaluate()
            {
                using var noGrad = no_grad();
                using var l = loss();
                return l.to_type(ScalarType.Float64).item<double>();
            }
            void MoveTo(Tensor[] at)
            {
                using var noGrad = no_grad();
                for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(origin[i].add(at[i] * bounds[i], TensorValues.One));
            }
            Tensor[] ScaledGradient()
            {
                using var scope = NewDisposeScope();
                var l = loss();
                var grads = autograd.grad([l], parameters);
                if (ascent == BoxAscent.Sign) return grads.Select(g => g.sign().detach().MoveToOuterDisposeScope()).ToArray();
                var scaled = grads.Select((g, i) => (g * bounds[i]).detach()).ToArray();
                var largest = scaled.Select(g => g.abs().max().to_type(ScalarType.Float64).item<double>()).Max();
                using var divisor = largest.ToScalar();
                return scaled.Select(g => (largest > 0 ? g.div(divisor) : g).MoveToOuterDisposeScope()).ToArray();
            }
            double baseLoss = Evaluate();
            double current = baseLoss;
            double step = 1, lastGain = double.NaN;
            int iterations = 1;
            var direction = ScaledGradient();
            using var low = (-1).ToScalar();
            using var high = 1.ToScalar();
            while (iterations < maxIterations)
            {
                Tensor[] candidate;
                using (var stepSize = step.ToScalar())
                    candidate = u.Select((x, i) => x.add(direction[i].mul(stepSize), TensorValues.One).clamp(low, high)).ToArray();
                MoveTo(candidate);
                double value = Evaluate();
                iterations++;
                TrainingProgress.Report(() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"box sharpness at ε = {epsilon:0E0}: {iterations} of at most {maxIterations} loss evaluations, sharpness so far " +
                    $"{100 * (current - baseLoss) / (1 + baseLoss):0.####}%"));
                if (value > current)
                {
                    lastGain = (value - current) / (1 + baseLoss);
                    current = value;
                    foreach (var x in u) x.Dispose();
                    u = candidate;
                    if (lastGain < tolerance) return new(epsilon, 100 * (current - baseLoss) / (1 + baseLoss), iterations, true, lastGain);
                    step = Math.Min(2 * step, 2);
                    foreach (var d in direction) d.Dispose();
                    direction = ScaledGradient();
                }
                else
                {
                    foreach (var x in candidate) x.Dispose();
                    MoveTo(u);
                    step /= 2;
                    if (step < 1e-6) return new(epsilon, 100 * (current - baseLoss) / (1 + baseLoss), iterations, true, 0);
                }
            }
            foreach (var d in direction) d.Dispose();
            return new(epsilon, 100 * (current - baseLoss) / (1 + baseLoss), iterations, false, lastGain);
        }
        finally
        {
            ParameterVector.SetTo(parameters, origin);
            foreach (var t in origin.Concat(bounds).Concat(u)) t.Dispose();
        }
    }
}
