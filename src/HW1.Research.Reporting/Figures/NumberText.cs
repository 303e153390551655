using System.Text;
using System.Text.RegularExpressions;

namespace HW1.Research.Figures;

/// <summary>
/// The one way the report writes a number in scientific notation, in the PDF, the HTML page and summary.md alike: "9.357×10⁻⁵",
/// "10⁻³", never "9.357E-05" or "1E-3". Experiments format their numbers with .NET's E notation (terse and exact in the stored
/// sections and snapshots); every writer passes its text through <see cref="Typeset"/>, and the checks compare through it too.
/// </summary>
public static partial class NumberText
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary><paramref name="text"/> with every number in E notation written as a power of ten; everything else unchanged.</summary>
    public static string Typeset(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('E', StringComparison.Ordinal)
            ? ENotation().Replace(text, m => Power(m.Groups["mantissa"].Value, m.Groups["sign"].Value, m.Groups["exponent"].Value)) : text;
    }

    private static string Power(string mantissa, string sign, string exponent)
    {
        var digits = exponent.TrimStart('0');
        if (digits.Length == 0) return mantissa;
        var power = new StringBuilder("10");
        if (sign == "-") power.Append('⁻');
        foreach (var d in digits) power.Append(Superscripts[d - '0']);
        return mantissa is "1" or "1.0" ? power.ToString() : mantissa == "-1" ? "-" + power : $"{mantissa}×{power}";
    }

    // A number in E notation standing alone: not part of a word, an identifier or a hexadecimal digest.
    [GeneratedRegex(@"(?<![\w.])(?<mantissa>-?\d+(?:\.\d+)?)E(?<sign>[+-]?)(?<exponent>\d+)(?![\w.])")]
    private static partial Regex ENotation();
}
