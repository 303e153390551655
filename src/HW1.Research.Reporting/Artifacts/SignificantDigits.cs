using System.Globalization;

namespace HW1.Research.Artifacts;

/// <summary>Rounds metrics to a number of significant digits, so stored summaries are stable yet sensitive.</summary>
public static class SignificantDigits
{
    /// <summary>
    /// The digits kept in snapshots: three. Runs on this machine are bit-identical, so rounding only has to
    /// absorb the last-bit differences of other CPUs or thread counts (relative 1e-6 and below), while a real
    /// change of a metric (a relative 1e-3 or more) still shows in the diff.
    /// </summary>
    public const int Snapshot = 3;

    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="digits"/> significant digits (the stored double's exact value, correctly rounded,
    /// an exact tie to even); zero, NaN and infinities come back unchanged.
    /// </summary>
    public static double Round(double value, int digits = Snapshot)
    {
        if (digits is < 1 or > 17)
            throw new ArgumentOutOfRangeException(nameof(digits), digits, "Significant digits must be between 1 and 17.");
        if (value == 0 || !double.IsFinite(value)) return value;
        var text = value.ToString("E" + (digits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
