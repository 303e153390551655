using HW1.Research.Figures;
using UglyToad.PdfPig;

namespace HW1.Research.Reporting;

/// <summary>
/// Reads a rendered PDF back (PdfPig) and checks what a reader needs: each expected text (headings, captions) is on
/// some page, every page has its "page N of M" footer, and no character lies outside the page's side margins or off
/// the page, and each <see cref="Span"/> (a stretch of the report such as the claims ledger) fits its page budget. Returns the
/// problems found; none means the check passed.
/// </summary>
public static class PdfCheck
{
    /// <summary>
    /// A stretch of the report that must fit in <paramref name="MaxPages"/> pages: from the first page with <paramref name="From"/> to the
    /// page before the next one with <paramref name="To"/> (white space ignored).
    /// </summary>
    public sealed record Span(string Name, string From, string To, int MaxPages);

    public static IReadOnlyList<string> Problems(string pdfPath, IEnumerable<string> expectedTexts, IEnumerable<Span>? spans = null)
    {
        ArgumentNullException.ThrowIfNull(expectedTexts);
        if (!File.Exists(pdfPath)) return [$"{pdfPath}: no such file; render the report first."];
        var problems = new List<string>();
        var pageTexts = new List<string>();
        using (var pdf = PdfDocument.Open(pdfPath))
        {
            int count = pdf.NumberOfPages;
            if (count == 0) problems.Add($"{pdfPath}: the PDF has no pages.");
            foreach (var page in pdf.GetPages())
            {
                var text = Normalize(string.Concat(page.Letters.Select(l => l.Value)));
                pageTexts.Add(text);
                if (!text.Contains(Normalize($"page {page.Number} of {count}"), StringComparison.Ordinal))
                    problems.Add($"page {page.Number}: no 'page {page.Number} of {count}' footer.");
                const float tolerance = 1f;
                foreach (var letter in page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)))
                {
                    var box = letter.BoundingBox;
                    bool inside = box.Left >= A4.Margin - tolerance && box.Right <= page.Width - A4.Margin + tolerance
                        && box.Bottom >= -tolerance && box.Top <= page.Height + tolerance;
                    if (inside) continue;
                    problems.Add($"page {page.Number}: '{letter.Value}' at x {box.Left:0.#}..{box.Right:0.#}, y {box.Bottom:0.#}..{box.Top:0.#} " +
                        $"lies outside the text area (page {page.Width:0} x {page.Height:0}, side margins {A4.Margin}).");
                    break;
                }
            }
        }
        foreach (var expected in expectedTexts)
        {
            var needle = Normalize(expected);
            if (!pageTexts.Any(t => t.Contains(needle, StringComparison.Ordinal)))
                problems.Add($"'{expected}' is not in the PDF.");
        }
        foreach (var span in spans ?? [])
        {
            int from = pageTexts.FindIndex(t => t.Contains(Normalize(span.From), StringComparison.Ordinal));
            int to = from < 0 ? -1 : pageTexts.FindIndex(from + 1, t => t.Contains(Normalize(span.To), StringComparison.Ordinal));
            if (from < 0 || to < 0)
                problems.Add($"{span.Name}: cannot find where it " +
                    $"{(from < 0 ? $"starts ('{span.From}')" : $"ends ('{span.To}' after page {from + 1})")}.");
            else if (to - from > span.MaxPages)
                problems.Add($"{span.Name}: {to - from} pages (pages {from + 1} to {to}), more than its {span.MaxPages}.");
        }
        return problems;
    }

    /// <summary>The text with all white space removed, so that line wrapping does not matter.</summary>
    public static string Normalize(string text) => string.Concat(NumberText.Typeset(text).Where(c => !char.IsWhiteSpace(c)));
}
