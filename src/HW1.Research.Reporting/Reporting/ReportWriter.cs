using HW1.Research.Artifacts;
using SkiaSharp;

namespace HW1.Research.Reporting;

/// <summary>What a render produced.</summary>
public sealed record RenderResult(string Pdf, string Summary, string Manifest, int Pages, int Figures, IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<string> Missing)
{
    public int NotReproduced => Sections.Count(s => s.Status == SectionStatus.NotReproduced);
}

/// <summary>Writes the report's files (PDF, Markdown summary, figure PNGs, manifest), each atomically.</summary>
public static class ReportWriter
{
    public const string PdfName = "HW1-Report.pdf";
    public const string SummaryName = "summary.md";

    /// <summary>The summary for a CI job's summary page, written when the run's URL is known: its links point to the run, not beside it.</summary>
    public const string JobSummaryName = "job-summary.md";
    public const string FiguresFolder = "figures";

    /// <summary>The files one figure is exported to, from its PNG name: the PNG, the @2x PNG, the SVG and the CSV.</summary>
    public static IReadOnlyList<string> ExportFiles(string pngName)
    {
        var stem = Path.ChangeExtension(pngName, null);
        return [pngName, stem + "@2x.png", stem + ".svg", stem + ".csv"];
    }

    /// <summary>The report folder of a profile: <c>artifacts/report</c> for the full profile, <c>artifacts/&lt;profile&gt;/report</c>
    /// otherwise.</summary>
    public static string FolderOf(string profile, string? artifactsRoot = null)
    {
        var root = artifactsRoot ?? RepoPaths.ArtifactsDir;
        return profile == "full" ? Path.Combine(root, "report") : Path.Combine(root, profile, "report");
    }

    /// <summary>
    /// Writes the PDF (first: the report itself), then the figures (PNG, @2x PNG, SVG, CSV), the HTML page, the Markdown summary and
    /// the manifest into <paramref name="folder"/>; with
    /// <paramref name="pagePng"/> also that page of the same document as a PNG (the last page when the number is past the end).
    /// </summary>
    public static RenderResult Write(IReadOnlyList<ReportSection> sections, RunManifest manifest, string folder, Action<string>? log = null,
        (int Page, string File)? pagePng = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        if (pagePng is { Page: < 1 } bad) throw new ArgumentOutOfRangeException(nameof(pagePng), bad.Page, "Pages are numbered from 1.");
        Directory.CreateDirectory(folder);
        var figures = Path.Combine(folder, FiguresFolder);
        Directory.CreateDirectory(figures);

        using var document = ReportBuilder.Build(sections, manifest);
        var missingGlyphs = document.MissingGlyphs;
        if (missingGlyphs.Length > 0) log?.Invoke($"  warning: the report font has no glyph for: {missingGlyphs}");
        var pdf = Path.Combine(folder, PdfName);
        // Start from the defaults: a bare struct would ask for JPEG quality 0 and 0 dpi for rasterized parts.
        var metadata = SKDocumentPdfMetadata.Default;
        metadata.EncodingQuality = 101; // lossless images (heatmaps keep every cell)
        metadata.RasterDpi = 300;
        metadata = metadata with
        {
            Title = ReportBuilder.Title,
            Subject = $"{manifest.Profile} profile, commit {manifest.Source.Commit}",
            Creator = "HW1.Research",
            Producer = "HW1.Research (SkiaSharp PDF)",
            Creation = manifest.CreatedUtc.UtcDateTime,
            Modified = manifest.CreatedUtc.UtcDateTime,
        };
        // SkiaSharp writes through a native callback: it renders into memory, so that a full disk or a lost permission is a
        // managed I/O error in AtomicFile (a clear message, the old file kept) and never an exception thrown through native code.
        using (var rendered = new MemoryStream())
        {
            document.WritePdf(rendered, metadata);
            AtomicFile.WriteAllBytes(pdf, rendered.GetBuffer().AsSpan(0, (int)rendered.Length));
        }
        log?.Invoke($"  PDF: {pdf} ({document.PageCount} pages)");

        // Each figure as PNG (1x for the summary, 2x for high-density screens), SVG, and its data as CSV (panel, series, x, y).
        // Files of earlier renders that this one does not write again must not linger beside the summary.
        var expected = sections.SelectMany(s => s.Figures.SelectMany(f => ExportFiles(MarkdownSummary.FigureFile(s, f))))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var old in Directory.GetFiles(figures)
            .Where(p => !expected.Contains(Path.GetFileName(p)) && !Path.GetFileName(p).StartsWith('.'))) File.Delete(old);
        int count = 0;
        foreach (var section in sections)
        {
            foreach (var figure in section.Figures)
            {
                var png = Path.Combine(figures, MarkdownSummary.FigureFile(section, figure));
                var stem = Path.ChangeExtension(png, null);
                AtomicFile.WriteAllBytes(png, Figures.FigureRenderer.Png(figure));
                AtomicFile.WriteAllBytes(stem + "@2x.png", Figures.FigureRenderer.Png(figure, pixelScale: 2f));
                AtomicFile.WriteAllBytes(stem + ".svg", Figures.FigureRenderer.Svg(figure));
                AtomicFile.WriteAllText(stem + ".csv", Figures.FigureRenderer.Csv(figure));
                count++;
            }
        }
        log?.Invoke($"  {count} figures in {figures}: PNG (1x and @2x), SVG, and their data as CSV");

        var html = Path.Combine(folder, HtmlReport.FileName);
        AtomicFile.WriteAllText(html, HtmlReport.Build(sections, manifest));
        log?.Invoke($"  HTML: {html}");

        var summary = Path.Combine(folder, SummaryName);
        AtomicFile.WriteAllText(summary, MarkdownSummary.Build(sections, manifest, PdfName, FiguresFolder));
        log?.Invoke($"  summary: {summary}");
        var jobSummary = Path.Combine(folder, JobSummaryName);
        if (manifest.RunUrl != null)
        {
            AtomicFile.WriteAllText(jobSummary, MarkdownSummary.Build(sections, manifest, PdfName, FiguresFolder, manifest.RunUrl));
            log?.Invoke($"  job summary (links to {manifest.RunUrl}): {jobSummary}");
        }
        else if (File.Exists(jobSummary)) File.Delete(jobSummary);

        if (pagePng is { } request)
        {
            var page = Math.Min(request.Page, document.PageCount);
            AtomicFile.WriteAllBytes(request.File, document.PagePng(page));
            log?.Invoke($"  page {page} as PNG: {Path.GetFullPath(request.File)}");
        }

        var manifestPath = manifest.Write(Path.Combine(folder, "manifest.json"));
        return new RenderResult(pdf, summary, manifestPath, document.PageCount, count, sections, manifest.Missing);
    }
}
