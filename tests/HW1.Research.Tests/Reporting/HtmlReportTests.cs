using System.Text.RegularExpressions;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

public sealed class HtmlReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-html-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RunManifest Manifest() =>
        new("quick", new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), new SourceInfo("0123abc", Dirty: false), MachineInfo.Current(),
        "TorchSharp test");

    [Fact]
    public void The_page_has_the_pdfs_content_with_figures_as_inline_svg_and_nothing_from_the_network()
    {
        var sections = ReportRenderingTests.Sections();
        var html = HtmlReport.Build(sections, Manifest());

        foreach (var s in sections)
        {
            Assert.Contains(System.Net.WebUtility.HtmlEncode(ReportBuilder.HeadingOf(s)), html, StringComparison.Ordinal);
            Assert.Contains($"href=\"#{s.Id}\"", html, StringComparison.Ordinal);
            foreach (var setting in s.Settings) Assert.Contains(System.Net.WebUtility.HtmlEncode(setting.Value), html, StringComparison.Ordinal);
            foreach (var comment in s.Comments) Assert.Contains(System.Net.WebUtility.HtmlEncode(comment), html, StringComparison.Ordinal);
        }
        Assert.Equal(sections.Sum(s => s.Figures.Count), Regex.Matches(html, "<figure ").Count);
        Assert.Equal(sections.Sum(s => s.Figures.Count), Regex.Matches(html, "<svg ").Count);
        Assert.Contains("TEST FAILED (bits not recorded; 0 of 0 claims hold): Assert.True() Failure", html, StringComparison.Ordinal);
        // Self-contained: no script, and every link or source points inside the page or is embedded data (rasters inside an SVG).
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value),
            v => !v.StartsWith('#') && !v.StartsWith("data:", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void The_page_renders_in_headless_chromium_with_every_section_and_figure_and_a_silent_console()
    {
        var chromium = HtmlCheck.FindChromium();
        if (chromium == null && Environment.GetEnvironmentVariable("CI") is "true" or "1")
            Assert.Fail($"CI must check the HTML report in a real browser: install Debian's chromium (.ci/run does) or set " +
                $"{HtmlCheck.ChromiumVariable}.");
        Skip.If(chromium == null, "Chromium is not installed (apt-get install chromium); CI installs it and runs this test.");

        var sections = ReportRenderingTests.Sections();
        ReportWriter.Write(sections, Manifest(), _folder);
        var screenshot = Path.Combine(_folder, "screen.png");

        var problems = HtmlCheck.Problems(Path.Combine(_folder, HtmlReport.FileName), sections, chromium!, screenshot);

        Assert.Empty(problems); // includes the screenshot's own check: at least 1% of its pixels inked
    }

    [SkippableFact]
    public void A_page_without_its_figures_is_caught_by_the_browser_check()
    {
        var chromium = HtmlCheck.FindChromium();
        Skip.If(chromium == null, "Chromium is not installed (apt-get install chromium).");
        var sections = ReportRenderingTests.Sections();
        var page = Path.Combine(_folder, HtmlReport.FileName);
        var html = HtmlReport.Build(sections, Manifest());
        File.WriteAllText(page, Regex.Replace(html, "<figure .*?</figure>", "", RegexOptions.Singleline));

        var problems = HtmlCheck.Problems(page, sections, chromium!);

        Assert.Contains(problems, p => p.StartsWith("0 figures in the page, expected", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("figure caption missing", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_page_with_a_fixed_sidebar_fails_the_phone_width_and_the_report_passes_it()
    {
        var chromium = HtmlCheck.FindChromium();
        Skip.If(chromium == null, "Chromium is not installed (apt-get install chromium).");
        var sections = ReportRenderingTests.Sections();
        var page = Path.Combine(_folder, HtmlReport.FileName);
        File.WriteAllText(page, HtmlReport.Build(sections, Manifest()));
        Assert.Empty(HtmlCheck.LayoutProblems(chromium!, page, 400));
        Assert.Empty(HtmlCheck.LayoutProblems(chromium!, page, 1400));

        // The page as it was before it had a narrow layout: a 290-px sidebar beside the text at every width, and a table wider than a phone.
        var fixedSidebar = Path.Combine(_folder, "fixed.html");
        File.WriteAllText(fixedSidebar,
            "<!DOCTYPE html><html><head><meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"margin:0\">" +
            "<nav style=\"position:fixed;left:0;top:0;width:290px\">contents</nav><main style=\"margin-left:290px\"><table><tr><td " +
            "style=\"min-width:600px\">wide</td></tr></table></main></body></html>");
        var problems = HtmlCheck.LayoutProblems(chromium!, fixedSidebar, 400);
        Assert.Contains(problems,
            p => p.StartsWith("at 400 px: the page is ", StringComparison.Ordinal) && p.EndsWith("so it scrolls sideways", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("at 400 px: the text column is ", StringComparison.Ordinal));
    }
}
