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

    /// <summary>
    /// The interval of a bounded quantity (an accuracy, in [0, 1] or in points in [0, 100]) clipped to its range: a t interval of
    /// few seeds can reach past the bound, which says nothing more, so it stops there (as a correlation's does at ±1).
    /// </summary>
    public Interval Within(double min, double max) => this with { Low = Math.Max(min, Low), High = Math.Min(max, High) };
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
    /// Spearman's rank correlation of two equally long samples: the Pearson correlation of their ranks, tied values sharing the
    /// average of the ranks they span (the textbook definition). When either sample has no spread (every value the same) the
    /// correlation is undefined and the result is NaN (as it is when a value is not finite): a claim must then say it cannot be decided
    /// (<see cref="HasSpread"/>), never print a number.
    /// </summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count ||
            a.Count < 2) throw new ArgumentException($"Spearman needs two samples of the same length, at least 2; found {a.Count} and {b.Count}.");
        // A NaN or an infinity (a diverged model) has no rank a correlation could use.
        if (!a.All(double.IsFinite) || !b.All(double.IsFinite)) return double.NaN;
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? double.NaN : cov / Math.Sqrt(va * vb);
    }

    /// <summary>The ranks of <paramref name="values"/> (1 for the smallest), ties given the average of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]].Equals(values[order[start]])) end++;
            double average = ((start + 1) + (end + 1)) / 2.0;
            for (int k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>True when <paramref name="values"/> holds at least two different values, all finite: what a rank correlation needs to be
    /// defined.</summary>
    public static bool HasSpread(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count > 1 && values.All(double.IsFinite) && values.Any(v => !v.Equals(values[0]));
    }

    /// <summary>
    /// Spearman's correlation within each seed (tied values at average ranks), in the order of the seeds' values: the per-seed
    /// statistics that <see cref="SpearmanOverSeeds"/> averages. <paramref name="seeds"/> names each point's seed. Null when a seed has
    /// fewer than 2 points or no spread in either variable: its correlation is undefined.
    /// </summary>
    public static IReadOnlyList<double>? SpearmanPerSeed(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(seeds);
        if (a.Count != b.Count ||
            a.Count != seeds.Count) throw new ArgumentException($"Each point needs its seed; found {a.Count}, {b.Count} and {seeds.Count} values.");
        var perSeed = new List<double>();
        foreach (var group in Enumerable.Range(0, a.Count).GroupBy(i => seeds[i]).OrderBy(g => g.Key))
        {
            var x = group.Select(i => a[i]).ToArray();
            var y = group.Select(i => b[i]).ToArray();
            if (x.Length < 2 || !HasSpread(x) || !HasSpread(y)) return null;
            perSeed.Add(Spearman(x, y));
        }
        return perSeed;
    }

    /// <summary>
    /// Spearman's correlation within each seed (<see cref="SpearmanPerSeed"/>), then the mean of the per-seed correlations with its
    /// 95% Student-t interval over seeds: for models that share a seed (several batch sizes or widths trained from one seed's
    /// initialization and batch order), which are not independent draws, so pooling them as if they were would narrow the interval
    /// falsely. The interval is clipped to [−1, 1]. Null when a seed's correlation is undefined or there are fewer than 2 seeds: the
    /// claim cannot be decided.
    /// </summary>
    public static Interval? SpearmanOverSeeds(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<long> seeds)
    {
        var perSeed = SpearmanPerSeed(a, b, seeds);
        if (perSeed == null || perSeed.Count < 2) return null;
        // A correlation lies in [−1, 1]; the t interval of a few seeds' mean can reach past it, which says nothing more, so it is clipped there.
        var t = MeanInterval(perSeed);
        return t with { Low = Math.Max(-1, t.Low), High = Math.Min(1, t.High) };
    }

    /// <summary>
    /// A 95% percentile-bootstrap interval of Spearman's rank correlation: <paramref name="resamples"/> resamples of the pairs,
    /// drawn with a generator seeded by <paramref name="seed"/>, so the interval is the same on every run.
    /// </summary>
    public static (double Low, double High) SpearmanInterval(IReadOnlyList<double> a, IReadOnlyList<double> b, int seed, int resamples = 2000)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count ||
            a.Count < 3) throw new ArgumentException($"A Spearman interval needs two samples of the same length, at least 3; found {a.Count} and " +
                $"{b.Count}.");
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
    /// The geometric mean of positive <paramref name="values"/> with its 95% Student-t interval on the log scale, exp(mean ± t·s/√n of
    /// the logarithms): the interval of a quantity that cannot be negative (a loss, a sharpness, an eigenvalue, a number of epochs), whose
    /// ends stay positive however few seeds there are, where a linear interval of two seeds can reach below zero.
    /// </summary>
    public static Interval GeometricMeanInterval(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new ArgumentException($"A geometric mean needs positive, finite values; found {string.Join(", ", values)}.", nameof(values));
        return MeanInterval(values.Select(v => Math.Log(v)).ToArray()).Exp();
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

    /// <summary>The standard error of an accuracy <paramref name="p"/> measured on <paramref name="n"/> independent examples: √(p(1 −
    /// p)/n).</summary>
    public static double AccuracyStandardError(double p, long n) =>
        n > 0 ? Math.Sqrt(p * (1 - p) / n) : throw new ArgumentOutOfRangeException(nameof(n), n, "An accuracy needs at least one example.");
}
