using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace HW1.Research.Figures;

/// <summary>
/// Logarithmic axes. ScottPlot draws linear axes only, so values on a log axis are plotted as log10(value)
/// and the ticks are labelled with the values themselves (decades, with minor ticks at 2..9 when the range spans one).
/// </summary>
public static class LogScale
{
    /// <summary>log10 of <paramref name="value"/>, or NaN when it cannot be drawn on a log axis (zero, negative or not finite).</summary>
    public static double ToAxis(double value) => value > 0 && double.IsFinite(value) ? Math.Log10(value) : double.NaN;

    /// <summary>Sets a tick generator on <paramref name="axis"/> that labels log10 positions with their values.</summary>
    public static void Apply(IAxis axis, double minLog, double maxLog)
    {
        ArgumentNullException.ThrowIfNull(axis);
        var spansDecade = maxLog - minLog >= 1;
        axis.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = spansDecade,
            MinorTickGenerator = spansDecade ? new LogMinorTickGenerator() : new EvenlySpacedMinorTickGenerator(2),
            LabelFormatter = Label,
        };
    }

    /// <summary>The label of log10 position <paramref name="log"/>: plain numbers from 0.001 to 1000, powers of ten beyond.</summary>
    public static string Label(double log)
    {
        var rounded = Math.Round(log);
        if (Math.Abs(log - rounded) < 1e-9 && Math.Abs(rounded) > 3) return "10" + Superscript((int)rounded);
        var value = Math.Pow(10, log);
        if (value is < 1e-3 or >= 1e4) return value.ToString("0.##e0", CultureInfo.InvariantCulture);
        return value >= 1 ? value.ToString("#,0.##", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static string Superscript(int exponent)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        var chars = text.Select(c => digits[c - '0']);
        return (exponent < 0 ? "⁻" : "") + string.Concat(chars);
    }
}
