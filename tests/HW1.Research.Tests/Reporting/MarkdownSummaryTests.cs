using System.Text.RegularExpressions;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

public sealed class MarkdownSummaryTests
{
    private static RunManifest Manifest(string? runUrl = null) =>
        new("quick", new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), new SourceInfo("0123abc", Dirty: false), MachineInfo.Current(),
        "TorchSharp test")
        { RunUrl = runUrl };

    [Fact]
    public void The_summary_opens_with_one_screen_of_headline_and_collapses_the_details()
    {
        var sections = ReportRenderingTests.Sections();
        var md = MarkdownSummary.Build(sections, Manifest(), ReportWriter.PdfName, ReportWriter.FiguresFolder);
        var headline = md[..md.IndexOf("<details>", StringComparison.Ordinal)];
        // One screen: the run's counts, the claims' tally and each failure, in a few lines; a section's own tables come later.
        Assert.True(headline.Split('\n').Length <= 20, headline);
        Assert.Contains(SectionWords.Run(sections, 0), headline, StringComparison.OrdinalIgnoreCase); // capitalized as a sentence
        Assert.Contains(ClaimsLedger.Tally(sections), headline, StringComparison.Ordinal);
        var failed = sections.Where(s => s.Status != SectionStatus.Reproduced).ToList();
        Assert.NotEmpty(failed);
        foreach (var s in failed) Assert.Contains($"- {ReportBuilder.HeadingOf(s)}: ", headline, StringComparison.Ordinal);
        // Every section is a collapsed block, with the run and the ledger: as many opened as closed.
        Assert.Equal(sections.Count + 2, Regex.Matches(md, "<details><summary>").Count);
        Assert.Equal(sections.Count + 2, Regex.Matches(md, "</details>").Count);
        // Beside the report's files, figures are shown from the figures folder.
        Assert.Contains($"]({ReportWriter.FiguresFolder}/", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_job_summary_links_to_the_run_and_to_no_file_beside_it()
    {
        const string run = "https://github.com/owner/repo/actions/runs/42";
        var md = MarkdownSummary.Build(ReportRenderingTests.Sections(), Manifest(run), ReportWriter.PdfName, ReportWriter.FiguresFolder, run);
        var targets = Regex.Matches(md, @"\]\(([^)]*)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.StartsWith(run, t, StringComparison.Ordinal));
        Assert.DoesNotContain("![", md, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() =>
            MarkdownSummary.Build(ReportRenderingTests.Sections(), Manifest(), ReportWriter.PdfName, ReportWriter.FiguresFolder, "artifacts/run"));
    }
}
