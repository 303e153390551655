using System.Globalization;

namespace HW1.Research.Artifacts;

/// <summary>How a rule's interval is estimated from what was measured.</summary>
public enum Estimator
{
    /// <summary>The 95% Student-t interval of the mean of per-seed values.</summary>
    Mean,

    /// <summary>The 95% interval of the geometric mean of per-seed positive ratios (a Student-t interval of their logarithms).</summary>
    GeometricMean,

    /// <summary>An interval computed by the experiment itself (a bootstrap over points, say), named by <see cref="Statistic.Interval"/>.</summary>
    Given,
}

/// <summary>Which side of its threshold a rule's interval must lie on for the claim to hold.</summary>
public enum Side
{
    /// <summary>The whole interval lies above the threshold.</summary>
    Above,

    /// <summary>The whole interval lies below the threshold.</summary>
    Below,

    /// <summary>The whole interval lies within ±threshold (an equivalence margin: the effect is absent).</summary>
    Within,
}

/// <summary>
/// How a statistic's numbers are written: a .NET number format, a unit after the number, and the factor from the stored value to the
/// written one (an accuracy difference stored as a fraction is written in points, ×100).
/// </summary>
public sealed record Unit(string Format = "0.####", string Name = "", double Scale = 1)
{
    /// <summary>A fraction written in percentage points.</summary>
    public static Unit Points(string format = "0.##") => new(format, " points", 100);

    /// <summary>A plain number.</summary>
    public static Unit Number(string format = "0.####") => new(format);

    /// <summary>A threshold as a rule states it: the true minus sign, the unit after the number.</summary>
    public string Threshold(double value)
    {
        var text = (value * Scale).ToString(Format, CultureInfo.InvariantCulture);
        return (text.StartsWith('-') ? "−" + text[1..] : text) + Name;
    }

    /// <summary>A measured interval: "2.61 points [2.15, 3.07]".</summary>
    public string Measured(Interval interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        string Of(double v) => (v * Scale).ToString(Format, CultureInfo.InvariantCulture);
        return $"{Of(interval.Estimate)}{Name} [{Of(interval.Low)}, {Of(interval.High)}]";
    }
}

/// <summary>
/// What a claim's rule takes the 95% interval of: the words for the quantity (<see cref="Of"/>), how the interval is estimated,
/// how its numbers are written, and what it is taken over (seeds, or the points of one training). A rule is a statistic with a side
/// and a threshold (<see cref="Above"/>, <see cref="Below"/>, <see cref="Within"/>), and writes its own sentence from them.
/// </summary>
public sealed record Statistic(string Of, Estimator Estimator, Unit Unit, string Interval = "95% interval over seeds")
{
    /// <summary>The mean of per-seed values (a difference paired by seed, say), with a Student-t interval.</summary>
    public static Statistic Mean(string of, Unit? unit = null) => new(of, Estimator.Mean, unit ?? Unit.Number());

    /// <summary>The geometric mean of per-seed ratios, with the Student-t interval of their logarithms; written "1.12 [1.02, 1.24]×".</summary>
    public static Statistic GeometricMean(string of, string format = "0.##") => new(of, Estimator.GeometricMean, Unit.Number(format));

    /// <summary>A statistic whose interval the experiment computes itself; <paramref name="interval"/> names it ("95% bootstrap interval").</summary>
    public static Statistic Given(string of, string interval, Unit? unit = null) => new(of, Estimator.Given, unit ?? Unit.Number(), interval);

    /// <summary>The claim holds when the whole interval lies above <paramref name="threshold"/>.</summary>
    public Rule Above(double threshold) => new(this, Side.Above, threshold);

    /// <summary>The claim holds when the whole interval lies below <paramref name="threshold"/>.</summary>
    public Rule Below(double threshold) => new(this, Side.Below, threshold);

    /// <summary>The claim (an absent effect) holds when the whole interval lies within ±<paramref name="margin"/>.</summary>
    public Rule Within(double margin)
    {
        if (!(margin > 0 && double.IsFinite(margin)))
            throw new ArgumentException($"An equivalence margin must be positive; found {margin} for \"{Of}\".");
        // A ratio's interval is decided on the log scale, where ±margin would not be the margin the sentence states.
        if (Estimator == Estimator.GeometricMean)
            throw new ArgumentException($"\"{Of}\": an absence is decided on a difference (Mean), not on a geometric mean of ratios.");
        return new(this, Side.Within, margin);
    }

    /// <summary>Whether the interval is taken over replicated seeds (then the quick profile's statement says how many).</summary>
    public bool OverSeeds => Interval.EndsWith("over seeds", StringComparison.Ordinal);
}

/// <summary>
/// The rule that decides a claim: a statistic, a side and a threshold. Its sentence (<see cref="Text"/>) is written from them, so the
/// words can never disagree with the number the verdict is computed against;
/// <see cref="Decide(string, string, string, IReadOnlyList{double}, Func{Interval, string}?)"/>
/// computes the interval and the verdict, and <see cref="Rule.Undecidable"/> records why the data cannot decide it.
/// </summary>
public sealed record Rule(Statistic Statistic, Side Side, double Threshold)
{
    /// <summary>The rule as the report states it, e.g. "the 95% interval over seeds of the mean of X lies above 0 points".</summary>
    public string Text
    {
        get
        {
            var of = Statistic.Estimator switch
            {
                Estimator.Mean => $"the mean of {Statistic.Of}",
                Estimator.GeometricMean => $"the geometric mean of {Statistic.Of}",
                _ => Statistic.Of,
            };
            var unit = Statistic.Estimator == Estimator.GeometricMean ? Unit.Number(Statistic.Unit.Format) : Statistic.Unit;
            var where = Side switch
            {
                Side.Above => $"lies above {unit.Threshold(Threshold)}",
                Side.Below => $"lies below {unit.Threshold(Threshold)}",
                _ => $"lies within ±{unit.Threshold(Threshold)}",
            };
            // A statistic described with a clause of its own ("…, paired by seed") is closed by a comma before the verb.
            return $"the {Statistic.Interval} of {of}{(HasOwnClause(Statistic.Of) ? "," : "")} {where}";
        }
    }

    /// <summary>A comma outside parentheses: the statistic's words carry a clause of their own ("x − y, paired by seed"), not "ρ(x, y)".</summary>
    private static bool HasOwnClause(string words)
    {
        int depth = 0;
        foreach (var c in words)
        {
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == ',' && depth == 0) return true;
        }
        return false;
    }

    /// <summary>
    /// The claim decided from per-seed <paramref name="values"/> (for a geometric mean, positive ratios): the interval, the verdict, the
    /// numbers a reviewer needs to recompute it, and the measurement written in the statistic's unit (or by <paramref name="measured"/>).
    /// </summary>
    public Claim Decide(string source, string statement, string reason, IReadOnlyList<double> values, Func<Interval, string>? measured = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        switch (Statistic.Estimator)
        {
            case Estimator.Mean:
                {
                    if (!values.All(double.IsFinite))
                        throw new ArgumentException($"The values of \"{statement}\" must be finite; found {string.Join(", ", values)}.");
                    var interval = Statistics.MeanInterval(values);
                    return Decided(source, statement, reason, interval, measured?.Invoke(interval) ?? Statistic.Unit.Measured(interval),
                        values.Count) with
                    { Values = [.. values] };
                }
            case Estimator.GeometricMean:
                {
                    if (Threshold <= 0) throw new ArgumentException($"A geometric mean's threshold must be positive; found {Threshold} for " +
                        $"\"{statement}\".");
                    if (values.Any(r => !(r > 0) || !double.IsFinite(r)))
                        throw new ArgumentException($"The ratios of \"{statement}\" must be positive and finite; found {string.Join(", ", values)}.");
                    var log = Statistics.MeanInterval(values.Select(r => Math.Log(r)).ToArray());
                    var ratio = log.Exp();
                    var onLogs = this with { Threshold = Math.Log(Threshold) };
                    return onLogs.Decided(source, statement, reason, log, measured?.Invoke(ratio) ?? $"{ratio.Format(Statistic.Unit.Format)}×",
                        values.Count) with
                    {
                        Rule = Text,
                        Low = ratio.Low,
                        High = ratio.High,
                        Threshold = Threshold,
                        Values = [.. values],
                    };
                }
            default:
                throw new InvalidOperationException($"\"{statement}\": a {Statistic.Interval} is computed by the experiment; give it to " +
                    $"Decide(source, statement, reason, interval, measured).");
        }
    }

    /// <summary>The claim decided from an interval the experiment computed (<see cref="Estimator.Given"/>), over <see cref="Interval.Count"/>
    /// points.</summary>
    public Claim Decide(string source, string statement, string reason, Interval interval, string measured)
    {
        ArgumentNullException.ThrowIfNull(interval);
        if (Statistic.Estimator != Estimator.Given)
            throw new InvalidOperationException($"\"{statement}\": the rule estimates its own interval from values; give them to Decide(source, " +
                $"statement, reason, values).");
        return Decided(source, statement, reason, interval, measured, interval.Count);
    }

    /// <summary>
    /// A claim this rule cannot decide whatever the data say (a variable with no spread makes a rank correlation undefined): it does not
    /// hold, counts as inconclusive, reads "undecidable" with <paramref name="why"/>, and prints no number for the statistic.
    /// </summary>
    public Claim Undecidable(string source, string statement, string reason, string why, int? count = null) =>
        new(ClaimKind.Finding, source, statement, Text, reason, $"undefined: {why}", false)
        {
            Inconclusive = true,
            Undecided = why,
            Seeds = count,
            OverSeeds = Statistic.OverSeeds,
        };

    private Claim Decided(string source, string statement, string reason, Interval interval, string measured, int count)
    {
        if (!(interval.Low <= interval.High)) throw new ArgumentException($"An interval needs low ≤ high; found [{interval.Low}, {interval.High}] " +
            $"for \"{statement}\".");
        var (low, high) = (interval.Low, interval.High);
        var (holds, against) = Side switch
        {
            Side.Above => (low > Threshold, high <= Threshold),
            Side.Below => (high < Threshold, low >= Threshold),
            _ => (low > -Threshold && high < Threshold, low >= Threshold || high <= -Threshold),
        };
        return new(ClaimKind.Finding, source, statement, Text, reason, measured, holds)
        {
            Inconclusive = !holds && !against,
            Seeds = count,
            Low = low,
            High = high,
            Threshold = Threshold,
            OverSeeds = Statistic.OverSeeds,
        };
    }
}
