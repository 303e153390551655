using HW1.Research.Figures;
using SkiaSharp;

namespace HW1.Research.Reporting;

/// <summary>The report's fonts (embedded by the PDF backend) and text measurement.</summary>
public sealed class Typesetting : IDisposable
{
    private readonly SKTypeface _regular, _bold, _italic;
    private readonly List<SKFont> _fonts = [];

    public Typesetting()
    {
        _regular = Load(ChartStyle.FontFamily, SKFontStyle.Normal);
        _bold = Load(ChartStyle.FontFamily, SKFontStyle.Bold);
        _italic = Load(ChartStyle.FontFamily, SKFontStyle.Italic);
    }

    /// <summary>Loads a system font; a missing family is an error that says which package provides it.</summary>
    private static SKTypeface Load(string family, SKFontStyle style)
    {
        var typeface = SKFontManager.Default.MatchFamily(family, style);
        if (typeface == null || !typeface.FamilyName.StartsWith(family, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"The report needs the font '{family}', which is not installed (found '{typeface?.FamilyName ?? "none"}'). " +
                "On Debian or Ubuntu install it with: apt-get install fonts-dejavu-core");
        return typeface;
    }

    public SKFont Regular(float size) => Make(_regular, size);
    public SKFont Bold(float size) => Make(_bold, size);
    public SKFont Italic(float size) => Make(_italic, size);

    private SKFont Make(SKTypeface typeface, float size)
    {
        var font = new SKFont(typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };
        _fonts.Add(font);
        return font;
    }

    /// <summary>The characters of <paramref name="text"/> that <paramref name="font"/> has no glyph for.</summary>
    public static string MissingGlyphs(SKFont font, string text)
    {
        ArgumentNullException.ThrowIfNull(font);
        var missing = new HashSet<char>();
        foreach (var c in text.Where(c => !char.IsWhiteSpace(c) && !char.IsSurrogate(c)))
            if (!font.Typeface.ContainsGlyph(c)) missing.Add(c);
        return string.Concat(missing);
    }

    /// <summary>
    /// Points kept free at the end of every wrapped line: the PDF places glyphs by its own widths table (whole thousandths of an
    /// em) while SkiaSharp measures with subpixel advances, so a line measured exactly full was drawn up to 1.6 points wider.
    /// </summary>
    public const float WrapSafety = 2f;

    /// <summary>
    /// Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/> less <see cref="WrapSafety"/>: at spaces, or
    /// inside a word longer than a line.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, SKFont font, float width)
    {
        ArgumentNullException.ThrowIfNull(font);
        width -= WrapSafety;
        var lines = new List<string>();
        foreach (var paragraph in NumberText.Typeset(text).Replace("\r\n", "\n").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (font.MeasureText(candidate) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0) lines.Add(line);
                line = word;
                while (font.MeasureText(line) > width)
                {
                    int fit = Math.Max(1, (int)font.BreakText(line, width));
                    lines.Add(line[..fit]);
                    line = line[fit..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    public void Dispose()
    {
        foreach (var font in _fonts) font.Dispose();
        _regular.Dispose();
        _bold.Dispose();
        _italic.Dispose();
    }
}
