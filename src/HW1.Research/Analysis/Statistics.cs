namespace HW1.Research.Analysis;

/// <summary>Summary statistics of measured samples.</summary>
public static class Statistics
{
    /// <summary>The median (the mean of the two middle values for an even count); an empty sample is an error.</summary>
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("The median of an empty sample is undefined.", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Spearman's rank correlation of two equally long samples: the Pearson correlation of their ranks (ties ranked by position,
    /// which measured floats practically never need).
    /// </summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count < 2) throw new ArgumentException($"Spearman needs two samples of the same length, at least 2; found {a.Count} and {b.Count}.");
        static double[] Ranks(IReadOnlyList<double> v) =>
            v.Select((x, i) => (x, i)).OrderBy(t => t.x).Select((t, r) => (t.i, r)).OrderBy(t => t.i).Select(t => (double)t.r).ToArray();
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(r => (r - ma) * (r - ma)) * rb.Sum(r => (r - mb) * (r - mb)));
    }
}
