using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>A fitted principal component analysis: the mean, the leading axes, the projections and the variance ratios.</summary>
public sealed record PcaResult(double[] Mean, double[][] Components, double[][] Projections, double[] ExplainedVarianceRatio);

/// <summary>Principal component analysis by the singular value decomposition of the centred data (float64).</summary>
public static class Pca
{
    /// <summary>
    /// Fits <paramref name="components"/> principal axes to the rows of <paramref name="rows"/> (n points × d dims)
    /// and projects every row on them. Each axis's sign is fixed so that its largest-magnitude entry is positive,
    /// which makes the result independent of the SVD routine's sign choice.
    /// </summary>
    public static PcaResult Fit(IReadOnlyList<float[]> rows, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count < 2) throw new ArgumentException($"PCA needs at least 2 points, found {rows.Count}.", nameof(rows));
        int d = rows[0].Length;
        if (rows.Any(r => r.Length != d)) throw new ArgumentException("Every point must have the same number of dimensions.", nameof(rows));
        if (components < 1 || components > Math.Min(rows.Count, d))
            throw new ArgumentOutOfRangeException(nameof(components), components, $"Between 1 and min(points, dims) = {Math.Min(rows.Count, d)}.");

        using var scope = NewDisposeScope();
        var data = stack(rows.Select(r => tensor(r)).ToArray()).to_type(ScalarType.Float64);
        var mean = data.mean([0]);
        var centred = data - mean;
        var (u, s, vh) = linalg.svd(centred, fullMatrices: false);
        var variance = s.pow(TensorValues.Two);
        var ratio = (variance / variance.sum())[..components];
        var axes = vh[..components];
        // Deterministic signs: the largest-magnitude entry of each axis positive.
        var pivot = axes.abs().argmax(1);
        var signs = axes.gather(1, pivot.unsqueeze(1)).sign();
        axes = axes * signs;
        var projections = centred.matmul(axes.t());
        return new PcaResult(
            mean.data<double>().ToArray(),
            Rows(axes),
            Rows(projections),
            ratio.data<double>().ToArray());
    }

    private static double[][] Rows(Tensor matrix) =>
        Enumerable.Range(0, (int)matrix.shape[0]).Select(i => matrix[i].data<double>().ToArray()).ToArray();
}
