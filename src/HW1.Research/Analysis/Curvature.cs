using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>Gradients, Hessians and their spectra of a scalar loss with respect to a list of parameters.</summary>
public static class Curvature
{
    /// <summary>The 2-norm of the gradient over all parameters that have one (after a backward pass).</summary>
    public static Tensor GradientNorm(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var squares = parameters.Where(p => p.grad is not null).Select(p => p.grad!.pow(TensorValues.Two).sum()).ToArray();
        if (squares.Length == 0) throw new InvalidOperationException("No parameter has a gradient: run backward first.");
        return stack(squares).sum().sqrt();
    }

    /// <summary>
    /// The gradient of <paramref name="loss"/> with respect to <paramref name="parameters"/>, flattened into one
    /// vector and kept in the graph (create_graph) so that it can be differentiated again.
    /// </summary>
    public static Tensor GradientWithGraph(Tensor loss, IList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        // TorchSharp needs retain_graph with create_graph; without it the native engine aborts the process.
        var grads = autograd.grad([loss], parameters, retain_graph: true, create_graph: true);
        return cat(grads.Select(g => g.reshape(-1)).ToArray());
    }

    /// <summary>
    /// The full Hessian of <paramref name="loss"/> (P × P, float64) by double backward: one backward pass of each
    /// gradient entry. For small models only (tens to a few hundred parameters).
    /// </summary>
    public static Tensor Hessian(Tensor loss, IList<Tensor> parameters) =>
        HessianOfGradient(GradientWithGraph(loss, parameters), parameters);

    /// <summary>The Hessian from a gradient already computed by <see cref="GradientWithGraph"/> (so it is not computed twice).</summary>
    public static Tensor HessianOfGradient(Tensor gradient, IList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(parameters);
        long count = gradient.shape[0];
        var rows = new Tensor[count];
        for (long i = 0; i < count; i++)
        {
            var second = autograd.grad([gradient[i]], parameters, retain_graph: true, allow_unused: true);
            rows[i] = cat(second.Select((g, k) => (g is null || g.IsInvalid ? zeros_like(parameters[k]) : g).reshape(-1).to_type(ScalarType.Float64))
                .ToArray());
        }
        return stack(rows);
    }

    /// <summary>The largest absolute asymmetry |H − Hᵀ| relative to the largest |H| entry.</summary>
    public static double RelativeAsymmetry(Tensor hessian)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        using var scope = NewDisposeScope();
        var scale = hessian.abs().max().item<double>();
        return scale == 0 ? 0 : (hessian - hessian.t()).abs().max().item<double>() / scale;
    }

    /// <summary>Eigenvalues of a symmetric matrix, ascending (the symmetric part is used).</summary>
    public static double[] Eigenvalues(Tensor symmetric)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        using var scope = NewDisposeScope();
        var h = symmetric.add(symmetric.t(), TensorValues.One).div(TensorValues.Two);
        return linalg.eigvalsh(h.to_type(ScalarType.Float64)).data<double>().ToArray();
    }
}

/// <summary>How the eigenvalues of a Hessian split into positive, negative and (numerically) zero.</summary>
public sealed record MinimalRatio(double Ratio, int Positive, int Negative, int Zero, double Tolerance)
{
    /// <summary>
    /// Positive / (positive + negative): the share of upward directions among those that curve at all, so that near-zero eigenvalues
    /// (flat directions, which a band counts as zero) do not pull it down; NaN when every eigenvalue is within the band.
    /// </summary>
    public double SignedRatio => Positive + Negative == 0 ? double.NaN : (double)Positive / (Positive + Negative);

    /// <summary>
    /// The tolerance below which |λ| counts as zero: this fraction of the largest |λ|. The minimal-ratio experiment works in
    /// float64 and checks that every Hessian is symmetric to 1e-10 of its norm; by Weyl's inequality an error of that size moves
    /// each eigenvalue by at most about 1e-10 × max|λ|, so 1e-9 (ten times that) is the smallest band arithmetic can vouch for.
    /// Any larger band is a choice of what curvature counts as flat, so the experiment reports every band in <see cref="Bands"/> too.
    /// </summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>Near-zero bands swept to show how much the ratio depends on the choice: 1e-12 to 1e-3 of the largest |λ|.</summary>
    public static readonly IReadOnlyList<double> Bands = [1e-12, 1e-9, 1e-6, 1e-3];

    /// <summary>
    /// The minimal ratio: the proportion of all eigenvalues that are greater than zero, where |λ| at or below
    /// <see cref="RelativeTolerance"/> × max|λ| counts as zero (and so not as positive). 1 at a strict local
    /// minimum; smaller at a saddle or along flat directions.
    /// </summary>
    public static MinimalRatio Of(IReadOnlyList<double> eigenvalues, double relativeTolerance = RelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (eigenvalues.Count == 0) throw new ArgumentException("No eigenvalues.", nameof(eigenvalues));
        var tolerance = relativeTolerance * eigenvalues.Max(Math.Abs);
        int positive = eigenvalues.Count(l => l > tolerance);
        int negative = eigenvalues.Count(l => l < -tolerance);
        int zero = eigenvalues.Count - positive - negative;
        return new MinimalRatio((double)positive / eigenvalues.Count, positive, negative, zero, tolerance);
    }

    /// <summary>
    /// The assignment's sampling alternative: the fraction of <paramref name="samples"/> points θ + r·d/‖d‖ (d standard normal,
    /// drawn from <paramref name="generator"/>, r = <paramref name="relativeRadius"/> × ‖θ‖) where the loss is higher than at θ.
    /// Near a critical point it estimates P(dᵀHd &gt; 0) for a random direction, which weighs each eigenvalue by its size: a
    /// cross-check of the Hessian ratio's direction, not the same number. The weights are restored afterwards.
    /// </summary>
    public static double Sampled(IList<Tensor> parameters, Func<Tensor> loss, int samples, double relativeRadius, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Sample at least one point.");
        var origin = ParameterVector.Snapshot(parameters);
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            double baseLoss = loss().to_type(ScalarType.Float64).item<double>();
            double radius = relativeRadius * Math.Sqrt(origin.Sum(o => o.pow(TensorValues.Two).sum().to_type(ScalarType.Float64).item<double>()));
            int higher = 0;
            for (int s = 0; s < samples; s++)
            {
                using var inner = NewDisposeScope();
                var directions = origin.Select(o => randn(o.shape, dtype: o.dtype, generator: generator)).ToArray();
                double norm = Math.Sqrt(directions.Sum(d => d.pow(TensorValues.Two).sum().to_type(ScalarType.Float64).item<double>()));
                using var scale = (radius / norm).ToScalar();
                for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(origin[i].add(directions[i].mul(scale), TensorValues.One));
                if (loss().to_type(ScalarType.Float64).item<double>() > baseLoss) higher++;
            }
            return (double)higher / samples;
        }
        finally
        {
            ParameterVector.SetTo(parameters, origin);
            foreach (var o in origin) o.Dispose();
        }
    }
}
