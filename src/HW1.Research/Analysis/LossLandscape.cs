using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>
/// Loss surfaces around trained weights along random, filter-normalized directions (Li et al. 2018,
/// "Visualizing the loss landscape of neural nets").
/// </summary>
public static class LossLandscape
{
    /// <summary>
    /// A Gaussian random direction shaped like <paramref name="parameters"/>, filter-normalized: for every weight
    /// of two or more dimensions, each filter (a row: one output unit's incoming weights) is rescaled to the norm
    /// of the same filter of the weights; one-dimensional parameters (biases) get a zero direction, as in Li et al.
    /// </summary>
    public static Tensor[] FilterNormalizedDirection(IList<Tensor> parameters, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = no_grad();
        var result = new Tensor[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i].detach();
            if (p.dim() < 2)
            {
                result[i] = zeros_like(p);
                continue;
            }
            using var scope = NewDisposeScope();
            var d = randn(p.shape, generator: generator, dtype: p.dtype);
            var rows = d.reshape(p.shape[0], -1);
            var pRows = p.reshape(p.shape[0], -1);
            using var tiny = 1e-10.ToScalar();
            var scale = pRows.norm(1, keepdim: true) / rows.norm(1, keepdim: true).add(tiny, TensorValues.One);
            result[i] = (rows * scale).reshape(p.shape).MoveToOuterDisposeScope();
        }
        return result;
    }

    /// <summary>
    /// The loss at <c>θ + a·d1 + b·d2</c> for every <c>a</c> in <paramref name="alphas"/> (columns) and <c>b</c> in
    /// <paramref name="betas"/> (rows); the parameters are restored to θ afterwards.
    /// </summary>
    public static double[][] Surface(IList<Tensor> parameters, Func<double> loss, IList<Tensor> d1, IList<Tensor> d2,
        IReadOnlyList<double> alphas, IReadOnlyList<double> betas)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(alphas);
        ArgumentNullException.ThrowIfNull(betas);
        var origin = ParameterVector.Snapshot(parameters);
        try
        {
            return betas.Select(b => alphas.Select(a =>
            {
                ParameterVector.SetTo(parameters, origin, (a, d1), (b, d2));
                return loss();
            }).ToArray()).ToArray();
        }
        finally
        {
            ParameterVector.SetTo(parameters, origin);
            foreach (var t in origin) t.Dispose();
        }
    }
}
