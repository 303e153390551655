using HW1.Research.Figures;
using System.Globalization;
using System.Text;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>
/// The Markdown summary, for a pull request or a CI job's summary page: one screen of headline (the run, how many sections' bits
/// match, how many claims hold, and every failure), then the details in collapsed blocks: the run, the sections, the claims ledger,
/// and each section with its metrics, claims and figures. Links are relative to the report folder (summary.md beside the PDF and
/// the figures), or, given the run's URL (<c>job-summary --run-url</c>), point there, since a job summary has no files beside it.
/// </summary>
public static class MarkdownSummary
{
    /// <summary>The file name of a figure's PNG inside the figures folder.</summary>
    public static string FigureFile(ReportSection section, Figure figure) => $"{section.Id}--{figure.Id}.png";

    public static string Build(IReadOnlyList<ReportSection> sections, RunManifest manifest, string pdfName, string figuresFolder,
        string? runUrl = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        if (runUrl != null && !Uri.TryCreate(runUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"The run's URL must be absolute (https://...); found '{runUrl}'.", nameof(runUrl));
        var md = new StringBuilder();
        var report = runUrl == null ? $"[{pdfName}]({pdfName})" : $"[{pdfName} and the figures, in the run's artifacts]({runUrl})";
        md.AppendLine($"## {ReportBuilder.Title}: {manifest.Profile} profile").AppendLine();
        var run = SectionWords.Run(sections, manifest.Missing.Count);
        md.AppendLine($"**{Escape(char.ToUpperInvariant(run[0]) + run[1..])}.** {Escape(ClaimsLedger.Tally(sections))}").AppendLine();
        md.AppendLine($"Commit {Escape(manifest.Source.ToString())}, {manifest.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC" +
            (manifest.Pipeline != null ? $"; pipeline {RunText.Seconds(manifest.Pipeline.Seconds)}" : "") + $". Full report: {report}.").AppendLine();
        if (ClaimsLedger.ProfileNote(sections) is { } note) md.AppendLine($"_{Escape(note)}_").AppendLine();
        var failures = Failures(sections, manifest).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine("**Failures**").AppendLine();
            foreach (var failure in failures) md.AppendLine($"- {Escape(failure)}");
            md.AppendLine();
        }

        Details(md, "The run", () =>
        {
            md.AppendLine($"- Machine: {Escape(manifest.Machine.Cpu)}, {manifest.Machine.Cores} cores; {Escape(manifest.Torch)}");
            md.AppendLine($"- CPU kernels: {Escape(ReportBuilder.KernelsOf(sections, manifest))}; intra-op threads: " +
                $"{Escape(ReportBuilder.ThreadsOf(sections))}");
            md.AppendLine($"- Content digest of the run: `{manifest.RunDigest ?? SectionDigest.OfRun(sections)}`").AppendLine();
            md.AppendLine("| section | status | wall time |").AppendLine("| --- | --- | ---: |");
            foreach (var s in sections)
                md.AppendLine($"| {Escape(ReportBuilder.HeadingOf(s))} | {Status(s)} | {RunText.Seconds(s.WallSeconds)} |");
        });
        Details(md, $"Claims ledger ({sections.Sum(s => s.Claims.Count(c => c.Kind == ClaimKind.Finding))} findings)",
            () => Table(md, ClaimsLedger.Columns, ClaimsLedger.Rows(sections)));

        int figureNumber = 0;
        foreach (var s in sections)
        {
            Details(md, $"{ReportBuilder.HeadingOf(s)}: {SectionWords.Status(s)}", () =>
            {
                md.AppendLine($"{Escape(s.Question)}").AppendLine();
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
                {
                    var caption = $"Figure {++figureNumber}. {Escape(f.Title)}";
                    md.AppendLine(runUrl == null ? $"![{caption}]({figuresFolder}/{FigureFile(s, f)})"
                        : $"- {caption} ({figuresFolder}/{FigureFile(s, f)} in the [run's artifacts]({runUrl}))").AppendLine();
                }
            });
        }
        return md.ToString();
    }

    /// <summary>What failed, one line each: a section whose test failed, a missing section, a claim that fails without a known reason.</summary>
    private static IEnumerable<string> Failures(IReadOnlyList<ReportSection> sections, RunManifest manifest)
    {
        foreach (var s in sections.Where(s => s.Status != SectionStatus.Reproduced))
            yield return $"{ReportBuilder.HeadingOf(s)}: {SectionWords.Status(s)}";
        foreach (var missing in manifest.Missing) yield return $"missing: {missing}";
        foreach (var s in sections)
            foreach (var c in s.Claims.Where(c => !c.Holds && c.KnownFailure == null))
                yield return $"{s.Part}.{s.Order}: {c.Label ?? c.Statement} ({c.Verdict}; {ClaimsLedger.Shown(s, c)})";
    }

    /// <summary>A collapsed block (GitHub renders the Markdown inside it once a blank line follows the summary).</summary>
    private static void Details(StringBuilder md, string summary, Action body)
    {
        md.AppendLine($"<details><summary>{System.Net.WebUtility.HtmlEncode(NumberText.Typeset(summary))}</summary>").AppendLine();
        body();
        md.AppendLine().AppendLine("</details>").AppendLine();
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        md.AppendLine("| " + string.Join(" | ", columns.Select(Escape)) + " |");
        md.AppendLine("|" + string.Concat(columns.Select(_ => " --- |")));
        foreach (var row in rows) md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        md.AppendLine();
    }

    private static string Status(ReportSection s) =>
        s.Status == SectionStatus.Reproduced ? SectionWords.Status(s) : $"**{SectionWords.Status(s)}: the test failed**";

    /// <summary>A metric with 4 significant digits (one more than the snapshots keep).</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? SignificantDigits.Round(value, 4).ToString("G4", CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        NumberText.Typeset(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
