using HW1.Research.Figures;
using System.Diagnostics;
using System.Text.RegularExpressions;
using HW1.Research.Artifacts;
using SkiaSharp;

namespace HW1.Research.Reporting;

/// <summary>
/// Opens the HTML report in real headless Chromium (Debian's <c>chromium</c>, or the executable <see cref="ChromiumVariable"/>
/// names) and checks what a reader would see: the page after the browser built it has every section's heading and every
/// figure's caption, every figure is an SVG with drawn paths, the browser's console stayed silent, the page reads at a phone's
/// width and a desktop's (<see cref="HtmlReport.CheckedWidths"/>: no sideways scrolling, the text column takes most of a narrow
/// screen, the contents sidebar shows on a wide one), and a screenshot of the first screen is not blank. Chromium runs with no network services and a
/// fresh profile, as this machine kind requires.
/// </summary>
public static partial class HtmlCheck
{
    /// <summary>The setting that names the Chromium executable (default: chromium, chromium-browser or google-chrome on PATH).</summary>
    public const string ChromiumVariable = "HW1_CHROMIUM";

    /// <summary>The Chromium executable, or null when none is installed.</summary>
    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured) return configured;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        return null;
    }

    /// <summary>
    /// The problems a reader would meet in <paramref name="html"/> (empty when none), checked against <paramref name="sections"/>;
    /// with <paramref name="screenshot"/> the first screen is also saved there as PNG.
    /// </summary>
    public static IReadOnlyList<string> Problems(string html, IReadOnlyList<ReportSection> sections, string chromium, string? screenshot = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var problems = new List<string>();
        var url = new Uri(Path.GetFullPath(html)).AbsoluteUri;
        var (code, dom, log) = Run(chromium, ["--dump-dom", url]);
        if (code != 0 || dom.Length == 0)
            return [$"{chromium} could not open {html} (exit {code}): {Tail(log)}"];

        var text = WhiteSpace().Replace(System.Net.WebUtility.HtmlDecode(Tags().Replace(dom, " ")), " ");
        foreach (var s in sections)
        {
            if (!text.Contains(NumberText.Typeset(ReportBuilder.HeadingOf(s)),
                StringComparison.Ordinal)) problems.Add($"section heading missing: {ReportBuilder.HeadingOf(s)}");
            foreach (var f in s.Figures)
                if (!text.Contains(NumberText.Typeset($"{f.Title}. {f.Caption}"),
                    StringComparison.Ordinal)) problems.Add($"figure caption missing: {f.Title}");
        }
        var figures = FigureElements().Matches(dom).Select(m => m.Value).ToList();
        int expected = sections.Sum(s => s.Figures.Count);
        if (figures.Count != expected) problems.Add($"{figures.Count} figures in the page, expected {expected}");
        foreach (var (figure, i) in figures.Select((f, i) => (f, i)))
        {
            if (!figure.Contains("<svg", StringComparison.Ordinal)) problems.Add($"figure {i + 1} has no SVG");
            else if (Paths().Matches(figure).Count < 3) problems.Add($"figure {i + 1} is blank: its SVG draws fewer than 3 paths");
        }
        foreach (var line in log.Split('\n')
            .Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)))
            problems.Add($"browser console: {line.Trim()}");
        foreach (var width in HtmlReport.CheckedWidths) problems.AddRange(LayoutProblems(chromium, html, width));

        if (screenshot != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(screenshot))!);
            var (shotCode, _, shotLog) = Run(chromium,
                ["--hide-scrollbars", "--window-size=1400,1000", $"--screenshot={Path.GetFullPath(screenshot)}", url]);
            if (shotCode != 0 || !File.Exists(screenshot)) problems.Add($"no screenshot was written to {screenshot}: {Tail(shotLog)}");
            // The first screen holds the contents sidebar, the title and the run table: several percent of its pixels are ink.
            // Under 1% means the page drew next to nothing (a white page, or a lone error line).
            else if (InkFraction(screenshot) < 0.01) problems.Add($"the screenshot {screenshot} is blank");
        }
        return problems;
    }

    /// <summary>The least share of a narrow screen the text column gets: the rest is margin (the sidebar moves above the text).</summary>
    public const double NarrowTextShare = 0.85;

    /// <summary>The least width of the text column on a wide screen, beside the sidebar: about 90 characters of body text.</summary>
    public const double WideTextWidth = 700;

    /// <summary>
    /// The page laid out by Chromium <paramref name="width"/> CSS pixels wide, and the problems a reader at that width would meet. The
    /// page is loaded into a frame of that width (headless Chromium will not make its own window narrower than 500 px), from a copy
    /// with a measuring script (the report itself has none) that writes the page's scroll width and the widths of the text column and
    /// the contents into the frame's parent.
    /// </summary>
    public static IReadOnlyList<string> LayoutProblems(string chromium, string html, int width)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(html))!;
        var probe = Path.Combine(folder, $".layout-{width}-{Environment.ProcessId}.html");
        var frame = Path.Combine(folder, $".layout-{width}-{Environment.ProcessId}-frame.html");
        const string script = "<script>(() => { const r = s => document.querySelector(s).getBoundingClientRect().width; " +
            "parent.document.getElementById('hw1-layout').textContent = [document.documentElement.scrollWidth, window.innerWidth, r('main'), " +
            "r('nav')].join(' '); })();</script>";
        try
        {
            File.WriteAllText(probe, File.ReadAllText(html).Replace("</body>", script + "</body>", StringComparison.Ordinal));
            File.WriteAllText(frame, $"<!DOCTYPE html><html><body style=\"margin:0\"><pre id=\"hw1-layout\"></pre>" +
                $"<iframe src=\"{Path.GetFileName(probe)}\" style=\"width:{width}px;height:900px;border:0\"></iframe></body></html>");
            var (code, dom, log) = Run(chromium,
                ["--allow-file-access-from-files", $"--window-size={width + 40},1000", "--dump-dom", new Uri(frame).AbsoluteUri]);
            var measured = Layout().Match(dom);
            if (code != 0 || !measured.Success) return [$"at {width} px: the layout could not be measured (exit {code}): {Tail(log)}"];
            double At(int i) => double.Parse(measured.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
            var (page, viewport, main, nav) = (At(1), At(2), At(3), At(4));
            var problems = new List<string>();
            if (Math.Abs(viewport - width) > 1) problems.Add($"at {width} px: the page was laid out {viewport:0} px wide, not {width}");
            if (page > viewport + 1) problems.Add($"at {width} px: the page is {page:0} px wide, so it scrolls sideways");
            if (width < HtmlReport.NarrowLayout && main < NarrowTextShare * viewport)
                problems.Add($"at {width} px: the text column is {main:0} px wide, less than {NarrowTextShare:P0} of the screen");
            if (width >= HtmlReport.NarrowLayout && (main < WideTextWidth || nav < 100))
                problems.Add($"at {width} px: the text column is {main:0} px and the contents {nav:0} px wide (want at least {WideTextWidth:0} px " +
                    $"of text beside the contents)");
            return problems;
        }
        finally
        {
            File.Delete(probe);
            File.Delete(frame);
        }
    }

    /// <summary>The share of pixels of a PNG that are not (near) white.</summary>
    public static double InkFraction(string png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException($"{png} is not an image.");
        long ink = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 235 || c.Green < 235 || c.Blue < 235) ink++;
            }
        return ink / (double)((bitmap.Height + 1) / 2 * ((bitmap.Width + 1) / 2));
    }

    private static (int Code, string Output, string Log) Run(string chromium, IReadOnlyList<string> arguments)
    {
        var profile = Directory.CreateTempSubdirectory("hw1-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--disable-extensions", "--enable-logging=stderr", "--v=0",
                         $"--user-data-dir={profile}",
                     }.Concat(arguments))
                info.ArgumentList.Add(a);
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"{chromium} could not be started.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{chromium} did not finish within 2 minutes");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A browser process still closing its profile; the temporary folder is left to the system.
            }
        }
    }

    private static string Tail(string log) => string.Join(" ", log.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(3));

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("<figure[^>]*>.*?</figure>", RegexOptions.Singleline)]
    private static partial Regex FigureElements();

    [GeneratedRegex("<path ")]
    private static partial Regex Paths();

    [GeneratedRegex(@"<pre id=""hw1-layout"">([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)</pre>")]
    private static partial Regex Layout();
}
