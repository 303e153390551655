using System.Net;
using System.Text;
using HW1.Research.Artifacts;
using HW1.Research.Figures;

namespace HW1.Research.Reporting;

/// <summary>
/// The report as one self-contained HTML page (<c>index.html</c> beside the PDF): the same run table, sections, settings,
/// figures, tables and findings as the PDF, figures as inline SVG, a contents sidebar, no script and nothing fetched from
/// the network, so it opens from the file system in any browser.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "index.html";

    private const string Style = """
        :root { --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --bad-bg: #fde2e1; --bad: #9b1c1c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); }
        nav { position: fixed; top: 0; left: 0; bottom: 0; width: 290px; overflow-y: auto; padding: 16px;
              border-right: 1px solid var(--rule); background: #f6f8fa; font-size: 13px; }
        nav a { color: var(--ink); text-decoration: none; display: block; padding: 2px 0; }
        nav a:hover { text-decoration: underline; }
        nav .part { font-weight: bold; margin-top: 10px; }
        nav .bad { color: var(--bad); }
        main { margin-left: 290px; padding: 24px 40px; max-width: 1100px; }
        h1 { font-size: 26px; } h2 { margin-top: 40px; border-bottom: 1px solid var(--rule); } h3 { margin-top: 28px; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
        th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        caption { caption-side: top; text-align: left; font-style: italic; padding: 4px 0; }
        figure { margin: 16px 0 24px; }
        figure svg { width: 100%; height: auto; max-width: 900px; border: 1px solid var(--rule); }
        figcaption { font-size: 13px; color: var(--muted); max-width: 900px; }
        .question { font-style: italic; }
        .banner { background: var(--bad-bg); color: var(--bad); padding: 8px 12px; white-space: pre-wrap; }
        .muted { color: var(--muted); font-size: 13px; }
        code { font-size: 12px; }
        p, li, figcaption, .banner { overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; max-width: 100%; }
        @media (max-width: 760px) {
            nav { position: static; width: auto; max-height: 45vh; border-right: 0; border-bottom: 1px solid var(--rule); }
            main { margin-left: 0; padding: 12px 14px; }
            h1 { font-size: 22px; }
        }
        """;

    /// <summary>The narrowest and the widest screen the page is checked at (<see cref="HtmlCheck"/>): a phone held upright and a desktop.</summary>
    public static readonly IReadOnlyList<int> CheckedWidths = [400, 1400];

    /// <summary>The layout switches from the contents sidebar to contents on top below this width (the CSS media query's).</summary>
    public const int NarrowLayout = 760;

    public static string Build(IReadOnlyList<ReportSection> sections, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(manifest);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E($"{ReportBuilder.Title} · {manifest.Profile} profile")).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");

        html.Append("<nav aria-label=\"Contents\">\n<a href=\"#run\"><b>Run</b></a>\n<a href=\"#claims\"><b>Claims</b></a>\n");
        foreach (var part in sections.GroupBy(s => s.Part))
        {
            html.Append("<div class=\"part\">").Append(E(ReportBuilder.PartHeading(part.Key, part))).Append("</div>\n");
            foreach (var s in part)
                html.Append("<a href=\"#").Append(E(s.Id)).Append('"').Append(s.Status == SectionStatus.Reproduced ? "" : " class=\"bad\"")
                    .Append('>')
                    .Append(E(ReportBuilder.HeadingOf(s))).Append(s.Status == SectionStatus.Reproduced ? "" : $" ({E(SectionWords.Status(s))})")
                    .Append("</a>\n");
        }
        html.Append("</nav>\n<main>\n");

        html.Append("<h1>").Append(E(ReportBuilder.Title)).Append("</h1>\n<p class=\"muted\">")
            .Append(E($"{manifest.Profile} profile · {manifest.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC · the same content as HW1-Report.pdf"))
            .Append("</p>\n<section id=\"run\">\n<h2>Run</h2>\n");
        Table(html, null, ["item", "value"],
        [
            ["profile", manifest.Profile],
            ["git commit", manifest.Source.ToString()],
            ["machine",
                $"{manifest.Machine.OperatingSystem}; {manifest.Machine.Cpu}; {manifest.Machine.Cores} cores; {manifest.Machine.MemoryGiB} GiB"],
            ["runtime", $"{manifest.Machine.Runtime}; {manifest.Torch}"],
            ["CPU kernels", ReportBuilder.KernelsOf(sections, manifest)],
            ["intra-op threads", ReportBuilder.ThreadsOf(sections)],
            ["content digest", manifest.RunDigest ?? SectionDigest.OfRun(sections)],
            ["sections", SectionWords.Run(sections, manifest.Missing.Count)],
        ]);
        Table(html, null, ["section", "status", "wall time", "peak memory"], sections.Select(s => (IReadOnlyList<string>)
        [
            ReportBuilder.HeadingOf(s), SectionWords.Status(s),
            RunText.Seconds(s.WallSeconds), s.PeakMemoryMiB > 0 ? $"{s.PeakMemoryMiB:0} MiB" : "–",
        ]).ToList());
        foreach (var missing in manifest.Missing) html.Append("<p class=\"banner\">Missing: ").Append(E(missing)).Append("</p>\n");
        html.Append("</section>\n<section id=\"claims\">\n<h2>Claims</h2>\n<p>").Append(E(ClaimsLedger.Explanation)).Append("</p>\n");
        if (ClaimsLedger.ProfileNote(sections) is { } note) html.Append("<p class=\"banner\">").Append(E(note)).Append("</p>\n");
        html.Append("<p class=\"muted\">")
            .Append(E(ClaimsLedger.Tally(sections))).Append("</p>\n");
        Table(html, null, ClaimsLedger.Columns, ClaimsLedger.Rows(sections));
        html.Append("</section>\n");

        int figureNumber = 0, tableNumber = 0;
        foreach (var part in sections.GroupBy(s => s.Part))
        {
            html.Append("<h2>").Append(E(ReportBuilder.PartHeading(part.Key, part))).Append("</h2>\n");
            foreach (var s in part)
            {
                html.Append("<section id=\"").Append(E(s.Id)).Append("\">\n<h3>").Append(E(ReportBuilder.HeadingOf(s))).Append("</h3>\n");
                if (s.Status == SectionStatus.NotReproduced)
                    html.Append("<p class=\"banner\">TEST FAILED (").Append(E(SectionWords.Status(s))).Append("): ")
                        .Append(E(s.Failure ?? "the experiment's assertions failed")).Append("</p>\n");
                html.Append("<p class=\"question\">").Append(E(s.Question)).Append("</p>\n");
                if (s.Settings.Count > 0)
                    Table(html, "Settings used", ["setting", "value"], s.Settings.Select(x => (IReadOnlyList<string>)[x.Name, x.Value]).ToList());
                foreach (var f in s.Figures)
                {
                    html.Append("<figure id=\"").Append(E($"{s.Id}--{f.Id}")).Append("\">\n").Append(InlineSvg(f))
                        .Append("\n<figcaption>").Append(E($"Figure {++figureNumber}. {f.Title}. {f.Caption}")).Append("</figcaption>\n</figure>\n");
                }
                foreach (var t in s.Tables) Table(html, $"Table {++tableNumber}. {t.Caption}", t.Columns, t.Rows);
                if (s.Claims.Count > 0) Table(html, "Claims checked", ClaimsLedger.SectionColumns, ClaimsLedger.SectionRows(s));
                if (s.Comments.Count > 0)
                {
                    html.Append("<h4>Findings (from the measured numbers)</h4>\n<ul>\n");
                    foreach (var c in s.Comments) html.Append("<li>").Append(E(c)).Append("</li>\n");
                    html.Append("</ul>\n");
                }
                html.Append("<p class=\"muted\">").Append(E($"Ran in {RunText.Seconds(s.WallSeconds)} ({s.Profile} profile)"))
                    .Append(s.Digest == null ? "" : $"; content digest <code>{E(SectionDigest.Short(s.Digest))}</code>")
                    .Append(".</p>\n</section>\n");
            }
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The figure's SVG without its XML declaration, labelled for screen readers.</summary>
    private static string InlineSvg(Figure figure)
    {
        var svg = Encoding.UTF8.GetString(FigureRenderer.Svg(figure));
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = start >= 0 ? svg[start..] : svg;
        return svg.Replace("<svg ", $"<svg role=\"img\" aria-label=\"{E(figure.Title)}\" ", StringComparison.Ordinal);
    }

    private static void Table(StringBuilder html, string? caption, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        html.Append("<div class=\"scroll\"><table>\n");
        if (caption != null) html.Append("<caption>").Append(E(caption)).Append("</caption>\n");
        html.Append("<thead><tr>");
        foreach (var c in columns) html.Append("<th>").Append(E(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(E(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(NumberText.Typeset(text));
}
