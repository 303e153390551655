using HW1.Research.Figures;
using System.Globalization;
using System.Text;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>
/// The Markdown summary for reviewing in pull requests: per section, its status, a table of headline metrics and
/// its figures as PNG files beside the summary.
/// </summary>
public static class MarkdownSummary
{
    /// <summary>The file name of a figure's PNG inside the figures folder.</summary>
    public static string FigureFile(ReportSection section, Figure figure) => $"{section.Id}--{figure.Id}.png";

    public static string Build(IReadOnlyList<ReportSection> sections, RunManifest manifest, string pdfName, string figuresFolder)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        var md = new StringBuilder();
        md.AppendLine($"# {ReportBuilder.Title}: summary ({manifest.Profile} profile)").AppendLine();
        md.AppendLine($"- Commit: {Escape(manifest.Source.ToString())}");
        md.AppendLine($"- Date: {manifest.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC; machine: {Escape(manifest.Machine.Cpu)}, {manifest.Machine.Cores} cores; {Escape(manifest.Torch)}");
        md.AppendLine($"- CPU kernels: {Escape(ReportBuilder.KernelsOf(sections, manifest))}; intra-op threads: {Escape(ReportBuilder.ThreadsOf(sections))}");
        md.AppendLine($"- Content digest of the run: `{manifest.RunDigest ?? SectionDigest.OfRun(sections)}`");
        md.AppendLine($"- Sections: {SectionWords.Run(sections, manifest.Missing.Count)}");
        if (manifest.Pipeline != null) md.AppendLine($"- Pipeline wall time up to the report: {RunText.Seconds(manifest.Pipeline.Seconds)}");
        md.AppendLine($"- Full report: [{pdfName}]({pdfName})").AppendLine();
        foreach (var missing in manifest.Missing) md.AppendLine($"- **Missing:** {Escape(missing)}");
        if (manifest.Missing.Count > 0) md.AppendLine();

        md.AppendLine("| section | status | wall time |").AppendLine("| --- | --- | ---: |");
        foreach (var s in sections)
            md.AppendLine($"| {Escape(ReportBuilder.HeadingOf(s))} | {Status(s)} | {RunText.Seconds(s.WallSeconds)} |");
        md.AppendLine();

        md.AppendLine("## Claims").AppendLine();
        if (ClaimsLedger.ProfileNote(sections) is { } note) md.AppendLine($"_{Escape(note)}_").AppendLine();
        md.AppendLine(ClaimsLedger.Tally(sections)).AppendLine();
        Table(md, ClaimsLedger.Columns, ClaimsLedger.Rows(sections));

        int figureNumber = 0;
        foreach (var s in sections)
        {
            md.AppendLine($"## {Escape(ReportBuilder.HeadingOf(s))}").AppendLine();
            md.AppendLine($"{Status(s)}. {Escape(s.Question)}").AppendLine();
            if (s.Status == SectionStatus.NotReproduced && s.Failure != null)
                md.AppendLine("```").AppendLine(s.Failure.Trim()).AppendLine("```").AppendLine();
            if (s.Headline.Count > 0)
            {
                md.AppendLine("| metric | value |").AppendLine("| --- | ---: |");
                foreach (var m in s.Headline) md.AppendLine($"| {Escape(m.Name)} | {NumberText.Typeset(Number(m.Value))} |");
                md.AppendLine();
            }
            if (s.Claims.Count > 0) Table(md, ClaimsLedger.SectionColumns, ClaimsLedger.SectionRows(s));
            foreach (var f in s.Figures)
                md.AppendLine($"![Figure {++figureNumber}. {Escape(f.Title)}]({figuresFolder}/{FigureFile(s, f)})").AppendLine();
        }
        return md.ToString();
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        md.AppendLine("| " + string.Join(" | ", columns.Select(Escape)) + " |");
        md.AppendLine("|" + string.Concat(columns.Select(_ => " --- |")));
        foreach (var row in rows) md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        md.AppendLine();
    }

    private static string Status(ReportSection s) => s.Status == SectionStatus.Reproduced ? SectionWords.Status(s) : $"**{SectionWords.Status(s)}: the test failed**";

    /// <summary>A metric with 4 significant digits (one more than the snapshots keep).</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? SignificantDigits.Round(value, 4).ToString("G4", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => NumberText.Typeset(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
