using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>
/// How the search for the flattest point of a rescaling orbit ended: the top Hessian eigenvalue where it started and where it
/// stopped, the accepted steps and the eigenvalue evaluations it used, whether it converged, and the range of the unit factors aᵢ.
/// </summary>
public sealed record OrbitSearch(double StartTopEigenvalue, double TopEigenvalue, int Steps, int Evaluations, bool Converged, double SmallestFactor,
    double LargestFactor)
{
    /// <summary>The flattest point's top eigenvalue over the start's.</summary>
    public double Ratio => TopEigenvalue / StartTopEigenvalue;
}

/// <summary>
/// Dinh et al. 2017's per-unit rescaling of a ReLU layer: hidden unit i's incoming weights and bias multiplied by aᵢ &gt; 0 and its
/// outgoing weights divided by aᵢ compute the same function (relu(a·z) = a·relu(z)), so every aᵢ gives another minimum with the same
/// loss everywhere. This searches that orbit for its flattest point by the top Hessian eigenvalue.
/// </summary>
public static class RescalingOrbit
{
    /// <summary>
    /// Descends the top Hessian eigenvalue λ over sᵢ = ln aᵢ. Rescaling multiplies the parameters by a diagonal D and turns the Hessian
    /// into D⁻¹HD⁻¹, so with v the unit top eigenvector ∂λ/∂sᵢ = −2λ(‖v_in,i‖² − ‖v_out,i‖²): the eigenvector's weight on unit i's incoming
    /// weights and bias against its outgoing weights. Each step moves s against that gradient, normalized to a largest component of
    /// <c>step</c> (which starts at 0.5, doubles after an accepted step up to 2, halves after a rejected one), and is accepted only where
    /// the new λ is lower by more than <paramref name="tolerance"/> of it. It has converged when no step down to a length of 1e-3 is
    /// accepted; otherwise it stops after <paramref name="maxEvaluations"/> eigenvalue evaluations and says so. The weights are left at
    /// the flattest point found; the caller restores them if it needs the start.
    /// </summary>
    public static OrbitSearch Flattest(IList<Tensor> parameters, Func<Tensor> loss, Tensor inWeight, Tensor inBias, Tensor outWeight,
        Generator generator,
        int maxEvaluations = 40, double tolerance = 2e-3, int powerIterations = 100, double powerTolerance = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inWeight);
        ArgumentNullException.ThrowIfNull(inBias);
        ArgumentNullException.ThrowIfNull(outWeight);
        var units = inWeight.shape[0];
        if (inWeight.dim() != 2 || inBias.shape.Length != 1 || inBias.shape[0] != units || outWeight.dim() != 2 || outWeight.shape[1] != units)
            throw new ArgumentException($"A rescaled layer needs incoming weights [h, in], bias [h] and outgoing weights [out, h]; found " +
                $"[{string.Join(", ", inWeight.shape)}], [{string.Join(", ", inBias.shape)}], [{string.Join(", ", outWeight.shape)}].");
        if (maxEvaluations < 1) throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations,
            "The search needs at least one evaluation.");
        int Offset(Tensor t)
        {
            long offset = 0;
            foreach (var p in parameters)
            {
                if (p.Handle == t.Handle) return checked((int)offset);
                offset += p.numel();
            }
            throw new ArgumentException("The rescaled tensors must be among the parameters whose Hessian is measured.", nameof(parameters));
        }
        var (wAt, bAt, oAt) = (Offset(inWeight), Offset(inBias), Offset(outWeight));

        using var originalIn = inWeight.detach().clone();
        using var originalBias = inBias.detach().clone();
        using var originalOut = outWeight.detach().clone();
        var s = new double[units];
        void Apply(double[] logs)
        {
            using var scope = NewDisposeScope();
            var a = tensor(logs, dtype: ScalarType.Float64).exp().to_type(inWeight.dtype);
            using (no_grad())
            {
                inWeight.copy_(originalIn * a.unsqueeze(1));
                inBias.copy_(originalBias * a);
                outWeight.copy_(originalOut / a.unsqueeze(0));
            }
        }
        (double Value, double[] Gradient) Evaluate()
        {
            var (top, vector) = Sharpness.TopHessianEigenpair(parameters, loss, generator, powerIterations, powerTolerance);
            using (vector)
            using (NewDisposeScope())
            {
                using var factor = (-2 * top.Value).ToScalar();
                var v = vector.to_type(ScalarType.Float64);
                var incoming = v.narrow(0, wAt, inWeight.numel()).reshape(units, -1).pow(TensorValues.Two).sum(1)
                    .add(v.narrow(0, bAt, units).pow(TensorValues.Two), TensorValues.One);
                var outgoing = v.narrow(0, oAt, outWeight.numel()).reshape(outWeight.shape[0], units).t().pow(TensorValues.Two)
                    .sum(1); // sum(0) would bind to sum(ScalarType) and add in bytes
                var gradient = (incoming - outgoing).mul(factor).data<double>().ToArray();
                return (top.Value, gradient);
            }
        }

        var (lambda, g) = Evaluate();
        double start = lambda, step = 0.5;
        int evaluations = 1, steps = 0;
        bool converged = false;
        while (evaluations < maxEvaluations)
        {
            var largest = g.Max(Math.Abs);
            if (largest == 0) { converged = true; break; }
            var trial = s.Select((x, i) => x - (step * g[i] / largest)).ToArray();
            Apply(trial);
            var (next, nextGradient) = Evaluate();
            evaluations++;
            if (next < lambda * (1 - tolerance))
            {
                (s, lambda, g) = (trial, next, nextGradient);
                steps++;
                step = Math.Min(2 * step, 2);
            }
            else
            {
                step /= 2;
                if (step < 1e-3) { converged = true; break; }
            }
        }
        Apply(s);
        return new OrbitSearch(start, lambda, steps, evaluations, converged, Math.Exp(s.Min()), Math.Exp(s.Max()));
    }
}
