using System.Globalization;
using System.Text;
using HW1.Research.Artifacts;

namespace HW1.Research.Reporting;

/// <summary>What a review comment links to and how long it may be.</summary>
public sealed record ReviewOptions
{
    /// <summary>The profile both runs ran, named in the comment's headline.</summary>
    public string Profile { get; init; } = "quick";

    /// <summary>How the comment names the base run and the head run (a commit, a folder).</summary>
    public string BaseLabel { get; init; } = "base";

    /// <inheritdoc cref="BaseLabel"/>
    public string HeadLabel { get; init; } = "head";

    /// <summary>An absolute URL where the full diff.md, its figures and the rendered report can be read; null: named, not linked.</summary>
    public string? DetailsUrl { get; init; }

    /// <summary>An absolute URL under which each changed figure's PNG (<see cref="RunDiff.FigureFile"/>) was uploaded; null: named, not
    /// linked.</summary>
    public string? FiguresUrl { get; init; }

    /// <summary>The longest comment, in characters (GitHub takes 65,536; a review comment should be read at a glance).</summary>
    public int MaxChars { get; init; } = ReviewComment.DefaultMaxChars;
}

/// <summary>
/// The one pull-request comment a review leaves, built from a <see cref="RunDiff"/>: a headline that counts what changed; the
/// verdict flips (claims and section statuses, base → head, with what was measured); the moved headline metrics with old, new
/// and change, largest relative change first; the changed figures, linked absolutely; then a link to everything else. It never
/// exceeds <see cref="ReviewOptions.MaxChars"/>: whole rows are left out, figures first, then metrics, then flips, and the
/// comment says how many and where they are. It starts with <see cref="Marker"/>, by which a workflow finds it to update it.
/// </summary>
public static class ReviewComment
{
    /// <summary>The hidden first line by which the review workflow finds its own comment among a pull request's comments.</summary>
    public const string Marker = "<!-- hw1-review -->";

    public const string FileName = "review-comment.md";

    /// <summary>Well under GitHub's 65,536-character limit: a comment longer than a screenful or two is not read.</summary>
    public const int DefaultMaxChars = 10_000;

    /// <summary>The shortest limit accepted: the headline, the links and the notes of what was left out always fit in it.</summary>
    public const int MinMaxChars = 1_000;

    /// <summary>The longest text of one table cell (a claim's statement, a failure): a row must not eat the whole comment.</summary>
    private const int MaxCell = 200;

    /// <summary>The longest link accepted (see <see cref="CheckAbsolute"/>).</summary>
    private const int MaxUrl = 200;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The comment for <paramref name="changes"/> (from <see cref="RunDiff.Of"/>).</summary>
    public static string Build(IReadOnlyList<SectionChange> changes, ReviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxChars < MinMaxChars)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxChars, $"A review comment needs at least {MinMaxChars} characters.");
        CheckAbsolute(options.DetailsUrl, "details URL");
        CheckAbsolute(options.FiguresUrl, "figures URL");

        var flips = FlipRows(changes);
        var metrics = changes.SelectMany(c => c.Metrics.Select(m => (Change: c, Metric: m)))
            .OrderByDescending(x => Importance(x.Metric))
            .Select(x => MetricRow(x.Change, x.Metric))
            .ToList();
        var figures = changes.Where(c => c.Kind == SectionChange.Changed)
            .SelectMany(c => c.Overlays.Select(f => FigureRow(c, f, options.FiguresUrl)))
            .ToList();

        string Render(int shownFlips, int shownMetrics, int shownFigures) =>
            Text(changes, options, flips, shownFlips, metrics, shownMetrics, figures, shownFigures);

        int f = flips.Count, m = metrics.Count, g = figures.Count;
        // The least important rows go first: figures (a reviewer opens them from diff.md anyway), then metrics, then flips.
        if (Render(f, m, g).Length > options.MaxChars) g = Largest(n => Render(f, m, n), g, options.MaxChars);
        if (Render(f, m, g).Length > options.MaxChars) m = Largest(n => Render(f, n, g), m, options.MaxChars);
        if (Render(f, m, g).Length > options.MaxChars) f = Largest(n => Render(n, m, g), f, options.MaxChars);
        var text = Render(f, m, g);
        return text.Length <= options.MaxChars ? text : Cut(text, options);
    }

    /// <summary>The largest count of rows, at most <paramref name="count"/>, whose rendering fits <paramref name="max"/>; 0 when none does.</summary>
    private static int Largest(Func<int, string> render, int count, int max)
    {
        if (render(count).Length <= max) return count;
        // Below count the "N more" note is always there, so each further row only lengthens the text: a binary search finds the edge.
        int low = 0, high = count - 1;
        if (render(low).Length > max) return 0;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (render(mid).Length <= max) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    private static string Text(IReadOnlyList<SectionChange> changes, ReviewOptions options,
        List<string> flips, int shownFlips, List<string> metrics, int shownMetrics, List<string> figures, int shownFigures)
    {
        var md = new StringBuilder();
        md.AppendLine(Marker);
        var changed = changes.Count(c => c.Kind == SectionChange.Changed);
        var added = changes.Where(c => c.Kind == SectionChange.Added).ToList();
        var removed = changes.Where(c => c.Kind == SectionChange.Removed).ToList();
        var where = options.DetailsUrl == null ? "`diff.md` in this run's review artifacts" : $"[diff.md]({options.DetailsUrl})";
        if (changed == 0 && added.Count == 0 && removed.Count == 0)
        {
            md.AppendLine($"## {Capitalized(options.Profile)} run: nothing changed").AppendLine();
            md.AppendLine($"All {Count(changes.Count, "section")} of `{Cell(options.HeadLabel)}` match `{Cell(options.BaseLabel)}`: " +
                "no verdict, headline metric, table cell, figure point or sentence moved.").AppendLine();
            md.AppendLine(options.DetailsUrl == null ? "The diff and the report are in this run's review artifacts."
                : $"The diff and the report: [review artifacts]({options.DetailsUrl}).");
            return md.ToString();
        }

        md.AppendLine($"## {Capitalized(options.Profile)} run: {Count(flips.Count, "verdict flip")}, {Count(metrics.Count, "moved metric")}, " +
            $"{Count(figures.Count, "changed figure")}").AppendLine();
        md.Append($"Base `{Cell(options.BaseLabel)}`, head `{Cell(options.HeadLabel)}`: {changed} of {Count(changes.Count, "section")} changed");
        if (added.Count > 0) md.Append($"; only in head: {Names(added)}");
        if (removed.Count > 0) md.Append($"; only in base: {Names(removed)}");
        md.AppendLine(".").AppendLine();

        if (flips.Count > 0)
        {
            md.AppendLine("### Verdict flips").AppendLine();
            Rows(md, "| section | claim | verdict, base → head | measured, base → head |\n| --- | --- | --- | --- |", flips, shownFlips,
                "verdict flip", where);
        }
        if (metrics.Count > 0)
        {
            md.AppendLine("### Moved headline metrics").AppendLine();
            Rows(md, "| section | metric | base | head | change | relative |\n| --- | --- | ---: | ---: | ---: | ---: |", metrics, shownMetrics,
                "moved metric", where);
        }
        if (figures.Count > 0)
        {
            md.AppendLine("### Changed figures").AppendLine();
            Rows(md, null, figures, shownFigures, "changed figure", where);
        }
        var other = changes.Where(c => c.Kind == SectionChange.Changed)
            .Select(c => c.Differences.Count(d => !IsShown(d.Location)))
            .Where(n => n > 0)
            .ToList();
        if (other.Count > 0)
            md.AppendLine($"Other values that moved (table cells, settings, findings' sentences): {other.Sum()} in " +
                $"{Count(other.Count, "section")}, " +
                $"listed in {where}.").AppendLine();
        md.AppendLine(options.DetailsUrl == null
            ? "Everything else (every moved value, the figures, the rendered report) is in this run's review artifacts."
            : $"Everything else (every moved value, the figures, the rendered report): [diff.md and the report]({options.DetailsUrl}).");
        return md.ToString();
    }

    /// <summary>A table (or list) of the first <paramref name="shown"/> rows, then a note of how many were left out and where they are.</summary>
    private static void Rows(StringBuilder md, string? header, List<string> rows, int shown, string what, string where)
    {
        if (shown > 0)
        {
            if (header != null) md.AppendLine(header.Replace("\n", Environment.NewLine, StringComparison.Ordinal));
            foreach (var row in rows.Take(shown)) md.AppendLine(row);
            md.AppendLine();
        }
        if (shown < rows.Count)
            md.AppendLine($"_{(rows.Count - shown).ToString(C)} more {Plural(rows.Count - shown, what)} not shown here, to keep this comment " +
                $"short: " +
                $"see {where}._").AppendLine();
    }

    /// <summary>Section status changes first (a section whose tests now fail, or pass again), then every claim whose verdict flipped.</summary>
    private static List<string> FlipRows(IReadOnlyList<SectionChange> changes)
    {
        var rows = new List<string>();
        foreach (var c in changes.Where(c => c.BaseStatus is { } b && c.HeadStatus is { } h && b != h))
        {
            rows.Add($"| {Cell(c.Heading)} | the section's tests | {Status(c.BaseStatus!.Value)} → **{Status(c.HeadStatus!.Value)}** | " +
                $"{(c.Differences.FirstOrDefault(d => d.Location == "failure") is { } f ? $"{Cell(f.First)} → {Cell(f.Second)}" : "—")} |");
        }
        foreach (var c in changes)
        {
            foreach (var claim in c.Claims.Where(x => x.Flipped))
            {
                rows.Add($"| {Cell(c.Heading)} | " +
                    $"{Cell(claim.Statement)}{(claim.After?.Kind ?? claim.Before?.Kind) switch { ClaimKind.Sanity => " (sanity check)", _ => "" }} " +
                    $"| {claim.BeforeVerdict} → **{claim.AfterVerdict}** | {Cell(claim.Before?.Measured ?? "—")} → " +
                    $"{Cell(claim.After?.Measured ?? "—")} |");
            }
        }
        return rows;
    }

    private static string Status(SectionStatus status) => status == SectionStatus.Reproduced ? "reproduced" : "not reproduced";

    private static string MetricRow(SectionChange change, MetricChange metric)
    {
        var (was, now) = Numbers(metric.Before, metric.After);
        var difference = metric.Change is { } d ? Signed(d) : "—";
        var relative = metric.Relative is { } r ? Signed(100 * r) + "%" : "—";
        return $"| {Cell(change.Heading)} | {Cell(metric.Name)} | {was} | {now} | {difference} | {relative} |";
    }

    /// <summary>How much a metric's move matters: its relative change; one that appeared, vanished, or moved off 0 comes first.</summary>
    private static double Importance(MetricChange metric) =>
        metric.Relative is { } r && !double.IsNaN(r) ? Math.Abs(r) : double.PositiveInfinity;

    private static string FigureRow(SectionChange change, Figure figure, string? figuresUrl)
    {
        var file = RunDiff.FigureFile(change, figure);
        return figuresUrl == null
            ? $"- {Cell(change.Heading)}: {Cell(figure.Title)} (`{file}`)"
            : $"- {Cell(change.Heading)}: [{Cell(figure.Title)}]({figuresUrl.TrimEnd('/')}/{Uri.EscapeDataString(file)})";
    }

    /// <summary>Whether a difference of diff.md is one the comment shows in its own rows (headline metrics, claims, figures, the status).</summary>
    private static bool IsShown(string location) =>
        location.StartsWith("headline", StringComparison.Ordinal) || location.StartsWith("claim '", StringComparison.Ordinal)
        || location.StartsWith("figure '", StringComparison.Ordinal) || location is "status" or "failure";

    /// <summary>The two values with as many significant digits as it takes to tell them apart (6 at least, 17 at most).</summary>
    private static (string Was, string Now) Numbers(double? was, double? now)
    {
        for (int digits = 6; ; digits++)
        {
            var a = was?.ToString($"G{digits}", C) ?? "—";
            var b = now?.ToString($"G{digits}", C) ?? "—";
            if (a != b || digits == 17) return (a, b);
        }
    }

    private static string Signed(double value) => (value > 0 ? "+" : "") + value.ToString("G3", C);

    private static string Names(List<SectionChange> sections) =>
        string.Join(", ", sections.Take(10).Select(s => Cell(s.Heading))) + (sections.Count > 10 ? $" and {sections.Count - 10} more" : "");

    private static string Count(int n, string what) => $"{n.ToString(C)} {Plural(n, what)}";

    private static string Plural(int n, string what) => n == 1 ? what : what + "s";

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Text safe in a Markdown table cell: no pipe, no line break, no HTML, at most <see cref="MaxCell"/> characters.</summary>
    private static string Cell(string text)
    {
        var flat = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
        if (flat.Length > MaxCell) flat = flat[..(MaxCell - 1)] + "…";
        return flat.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
    }

    /// <summary>The last resort when even the headline and notes overflow (very long labels): whole lines up to the limit, then a note.</summary>
    private static string Cut(string text, ReviewOptions options)
    {
        var note = $"{Environment.NewLine}_Cut at {options.MaxChars.ToString(C)} characters: see " +
            (options.DetailsUrl == null ? "`diff.md` in this run's review artifacts" : $"[diff.md]({options.DetailsUrl})") + "._" +
            Environment.NewLine;
        var end = text.LastIndexOf('\n', Math.Max(0, options.MaxChars - note.Length - 1));
        return text[..Math.Max(end, 0)] + note;
    }

    /// <summary>A link the comment may carry: absolute (a comment is read on another page than the run's) and short enough to leave room for
    /// rows.</summary>
    private static void CheckAbsolute(string? url, string what)
    {
        if (url == null) return;
        if (!(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            throw new ArgumentException($"The {what} must be an absolute http(s) URL; found '{url}'.");
        // Each note of rows left out repeats the details URL: three of them must fit in the shortest comment accepted.
        if (url.Length > MaxUrl) throw new ArgumentException($"The {what} is {url.Length} characters long; at most {MaxUrl} fit a review comment.");
    }
}
