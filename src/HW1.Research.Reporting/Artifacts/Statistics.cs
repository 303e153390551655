using MathNet.Numerics.Distributions;

namespace HW1.Research.Artifacts;

/// <summary>A mean (or a difference of means) with its two-sided 95% interval, from <see cref="Count"/> values.</summary>
public sealed record Interval(double Estimate, double Low, double High, int Count)
{
    /// <summary>"0.123 [0.101, 0.145]" with the given format.</summary>
    public string Format(string format = "0.###")
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return $"{Estimate.ToString(format, c)} [{Low.ToString(format, c)}, {High.ToString(format, c)}]";
    }

    /// <summary>exp of each bound: an interval of log values read as a ratio.</summary>
    public Interval Exp() => new(Math.Exp(Estimate), Math.Exp(Low), Math.Exp(High), Count);
}

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

    /// <summary>
    /// A 95% percentile-bootstrap interval of Spearman's rank correlation: <paramref name="resamples"/> resamples of the pairs,
    /// drawn with a generator seeded by <paramref name="seed"/>, so the interval is the same on every run.
    /// </summary>
    public static (double Low, double High) SpearmanInterval(IReadOnlyList<double> a, IReadOnlyList<double> b, int seed, int resamples = 2000)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count < 3) throw new ArgumentException($"A Spearman interval needs two samples of the same length, at least 3; found {a.Count} and {b.Count}.");
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var x = new double[a.Count];
        var y = new double[a.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < a.Count; i++)
            {
                int k = random.Next(a.Count);
                (x[i], y[i]) = (a[k], b[k]);
            }
            var rho = Spearman(x, y);
            if (double.IsFinite(rho)) values.Add(rho);
        }
        values.Sort();
        return (Quantile(values, 0.025), Quantile(values, 0.975));
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, linearly interpolated.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("The quantile of an empty sample is undefined.", nameof(sorted));
        var position = p * (sorted.Count - 1);
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    /// <summary>
    /// The mean of <paramref name="values"/> with its 95% Student-t interval, mean ± t(0.975, n − 1)·s/√n: the interval over replicated
    /// seeds, each value one independent training. Needs at least 2 values.
    /// </summary>
    public static Interval MeanInterval(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) throw new ArgumentException($"A mean's interval needs at least 2 values; found {values.Count}.", nameof(values));
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * sd / Math.Sqrt(values.Count);
        return new Interval(mean, mean - half, mean + half, values.Count);
    }

    /// <summary>
    /// The mean of paired differences <paramref name="a"/>[i] − <paramref name="b"/>[i] (the same seed on both sides) with its 95%
    /// Student-t interval.
    /// </summary>
    public static Interval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples need the same length; found {a.Count} and {b.Count}.");
        return MeanInterval(a.Zip(b, (x, y) => x - y).ToArray());
    }

    /// <summary>The standard error of an accuracy <paramref name="p"/> measured on <paramref name="n"/> independent examples: √(p(1 − p)/n).</summary>
    public static double AccuracyStandardError(double p, long n) =>
        n > 0 ? Math.Sqrt(p * (1 - p) / n) : throw new ArgumentOutOfRangeException(nameof(n), n, "An accuracy needs at least one example.");
}
