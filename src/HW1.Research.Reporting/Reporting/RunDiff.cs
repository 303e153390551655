using System.Text;
using HW1.Research.Artifacts;
using HW1.Research.Figures;

namespace HW1.Research.Reporting;

/// <summary>How one section differs between a base run and a head run.</summary>
public sealed record SectionChange(string Id, string Heading, string Kind, IReadOnlyList<SectionDifference> Differences,
    IReadOnlyList<Figure> Overlays)
{
    public const string Changed = "changed";
    public const string Unchanged = "unchanged";
    public const string Added = "only in head";
    public const string Removed = "only in base";

    /// <summary>The section's status in each run (null where the section is absent from that run).</summary>
    public SectionStatus? BaseStatus { get; init; }

    /// <inheritdoc cref="BaseStatus"/>
    public SectionStatus? HeadStatus { get; init; }

    /// <summary>Of a section stored by both runs: every claim whose verdict or measurement differs (<see cref="RunDiff.ClaimChanges"/>).</summary>
    public IReadOnlyList<ClaimChange> Claims { get; init; } = [];

    /// <summary>Of a section stored by both runs: every headline metric that moved (<see cref="RunDiff.MetricChanges"/>).</summary>
    public IReadOnlyList<MetricChange> Metrics { get; init; } = [];
}

/// <summary>
/// A claim of one section whose verdict or measurement differs between the runs, matched by its kind and statement (the n-th
/// claim of a statement with the n-th); null on the side whose run does not check it.
/// </summary>
public sealed record ClaimChange(string SectionId, string Statement, Claim? Before, Claim? After)
{
    public const string Absent = "absent";

    public string BeforeVerdict => Before?.Verdict ?? Absent;

    public string AfterVerdict => After?.Verdict ?? Absent;

    /// <summary>The verdict differs (a claim checked by one run only counts, its other verdict being "absent").</summary>
    public bool Flipped => !string.Equals(BeforeVerdict, AfterVerdict, StringComparison.Ordinal);
}

/// <summary>A headline metric of one section that moved, matched by name (the n-th of a name with the n-th); null where a run lacks it.</summary>
public sealed record MetricChange(string SectionId, string Name, double? Before, double? After)
{
    /// <summary>Head minus base; null when a run lacks the metric.</summary>
    public double? Change => Before is { } b && After is { } a ? a - b : null;

    /// <summary>The change relative to the base value's size; null when a run lacks the metric or the base value is 0.</summary>
    public double? Relative => Before is { } b && After is { } a && b != 0 ? (a - b) / Math.Abs(b) : null;
}

/// <summary>
/// The difference between two runs as a reviewer reads it: per section, unchanged or changed; for a changed one, every
/// headline metric and table cell that moved (old → new) and every figure whose data moved, drawn with the base run's series
/// dashed under the head run's; written as PNGs and a Markdown summary fit for a pull-request comment.
/// </summary>
public static class RunDiff
{
    public const string SummaryName = "diff.md";

    /// <summary>The difference between the runs stored under two artifacts folders, each read as <see cref="RunSections"/> reads it.</summary>
    public static IReadOnlyList<SectionChange> Of(string profile, string baseRoot, string headRoot) =>
        Of(RunSections(profile, baseRoot, "base"), RunSections(profile, headRoot, "head"));

    /// <summary>
    /// The sections a run stored under the artifacts folder <paramref name="root"/>: with a pipeline log, only those of its latest
    /// run (stale ones of other builds are left out); none at all is an error naming the folder.
    /// </summary>
    public static IReadOnlyList<ReportSection> RunSections(string profile, string root, string which)
    {
        var sections = ReportBuilder.Select(SectionStore.ReadAll(profile, root), PipelineLog.Read(profile, root)).Sections;
        if (sections.Count == 0) throw new InvalidDataException($"No {profile} sections in the {which} run {SectionStore.Folder(profile, root)}.");
        return sections;
    }

    public static IReadOnlyList<SectionChange> Of(IReadOnlyList<ReportSection> baseRun, IReadOnlyList<ReportSection> head)
    {
        ArgumentNullException.ThrowIfNull(baseRun);
        ArgumentNullException.ThrowIfNull(head);
        var before = baseRun.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var changes = new List<SectionChange>();
        foreach (var h in head)
        {
            if (!before.TryGetValue(h.Id, out var b))
            {
                changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Added, [], []) { HeadStatus = h.Status });
                continue;
            }
            var differences = SectionComparison.Compare(b, h).Concat(TextDifferences(b, h)).ToList();
            if (differences.Count == 0)
            {
                changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Unchanged, [], [])
                {
                    BaseStatus = b.Status,
                    HeadStatus = h.Status
                });
                continue;
            }
            var overlays = h.Figures
                .Select(f => (Head: f, Base: b.Figures.FirstOrDefault(g => g.Id == f.Id)))
                .Where(p => p.Base != null && differences.Any(d => d.Location.StartsWith($"figure '{p.Head.Id}'", StringComparison.Ordinal)))
                .Select(p => Overlay(p.Base!, p.Head))
                .ToList();
            changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Changed, differences, overlays)
            {
                BaseStatus = b.Status,
                HeadStatus = h.Status,
                Claims = ClaimChanges(b, h),
                Metrics = MetricChanges(b, h),
            });
        }
        foreach (var b in baseRun.Where(b => head.All(h => h.Id != b.Id)))
            changes.Add(new SectionChange(b.Id, ReportBuilder.HeadingOf(b), SectionChange.Removed, [], []) { BaseStatus = b.Status });
        return changes;
    }

    /// <summary>
    /// Every claim of a section whose verdict or measurement differs between the runs, in the head's order, then those only the
    /// base checks. A claim is matched by its kind and statement; the n-th claim of one statement is matched with the n-th.
    /// </summary>
    public static IReadOnlyList<ClaimChange> ClaimChanges(ReportSection baseSection, ReportSection head)
    {
        ArgumentNullException.ThrowIfNull(baseSection);
        ArgumentNullException.ThrowIfNull(head);
        var before = Keyed(baseSection.Claims, c => $"{c.Kind}: {c.Statement}");
        var after = Keyed(head.Claims, c => $"{c.Kind}: {c.Statement}");
        var changes = new List<ClaimChange>();
        foreach (var (key, now) in after)
        {
            var was = before.FirstOrDefault(x => x.Key == key).Item;
            if (was == null || !string.Equals(was.Verdict, now.Verdict, StringComparison.Ordinal) ||
                !string.Equals(was.Measured, now.Measured, StringComparison.Ordinal))
                changes.Add(new ClaimChange(head.Id, now.Statement, was, now));
        }
        foreach (var (_, was) in before.Where(x => after.All(y => y.Key != x.Key)))
            changes.Add(new ClaimChange(head.Id, was.Statement, was, null));
        return changes;
    }

    /// <summary>Every headline metric of a section whose value differs between the runs (NaN equals NaN), matched by name, in the head's order, then
    /// those only the base has.</summary>
    public static IReadOnlyList<MetricChange> MetricChanges(ReportSection baseSection, ReportSection head)
    {
        ArgumentNullException.ThrowIfNull(baseSection);
        ArgumentNullException.ThrowIfNull(head);
        var before = Keyed(baseSection.Headline, m => m.Name);
        var after = Keyed(head.Headline, m => m.Name);
        var changes = new List<MetricChange>();
        foreach (var (key, now) in after)
        {
            var was = before.FirstOrDefault(x => x.Key == key).Item;
            if (was == null || !was.Value.Equals(now.Value)) changes.Add(new MetricChange(head.Id, now.Name, was?.Value, now.Value));
        }
        foreach (var (_, was) in before.Where(x => after.All(y => y.Key != x.Key)))
            changes.Add(new MetricChange(head.Id, was.Name, was.Value, null));
        return changes;
    }

    /// <summary>Each item with a key that is its name, and for a repeated name its occurrence ("name #2"), so repeats pair in order.</summary>
    private static List<(string Key, T Item)> Keyed<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return items.Select(item =>
        {
            var n = name(item);
            var count = seen[n] = seen.GetValueOrDefault(n) + 1;
            return (count == 1 ? n : $"{n} #{count}", item);
        }).ToList();
    }

    /// <summary>
    /// What SectionComparison leaves out because it compares numbers: the status, the failure, the settings, the findings'
    /// sentences and the claims' verdicts and measurements (a verdict can flip with no number moving, when a rule changes).
    /// </summary>
    public static IEnumerable<SectionDifference> TextDifferences(ReportSection baseSection, ReportSection head)
    {
        ArgumentNullException.ThrowIfNull(baseSection);
        ArgumentNullException.ThrowIfNull(head);
        if (baseSection.Status != head.Status)
            yield return new SectionDifference(head.Id, "status", baseSection.Status.ToString(), head.Status.ToString());
        if (!string.Equals(baseSection.Failure, head.Failure, StringComparison.Ordinal))
            yield return new SectionDifference(head.Id, "failure", baseSection.Failure ?? "(none)", head.Failure ?? "(none)");
        var settings = baseSection.Settings.Select(x => x.Name).Concat(head.Settings.Select(x => x.Name)).Distinct(StringComparer.Ordinal);
        foreach (var name in settings)
        {
            var was = baseSection.Settings.FirstOrDefault(x => x.Name == name)?.Value ?? "(absent)";
            var now = head.Settings.FirstOrDefault(x => x.Name == name)?.Value ?? "(absent)";
            if (!string.Equals(was, now, StringComparison.Ordinal)) yield return new SectionDifference(head.Id, $"setting '{name}'", was, now);
        }
        for (int i = 0; i < Math.Max(baseSection.Comments.Count, head.Comments.Count); i++)
        {
            var was = i < baseSection.Comments.Count ? baseSection.Comments[i] : "(absent)";
            var now = i < head.Comments.Count ? head.Comments[i] : "(absent)";
            if (!string.Equals(was, now, StringComparison.Ordinal)) yield return new SectionDifference(head.Id, $"finding[{i}]", was, now);
        }
        foreach (var c in ClaimChanges(baseSection, head))
            yield return new SectionDifference(head.Id, $"claim '{c.Statement}'", ClaimText(c.Before), ClaimText(c.After));
    }

    private static string ClaimText(Claim? claim) => claim == null ? "(absent)" : $"{claim.Verdict}; measured {claim.Measured}";

    /// <summary>
    /// One figure with both runs: each panel's base series dashed (named "base: …") under its head series ("head: …"); a panel
    /// with a grid (a heatmap cannot be overlaid) is shown twice, base then head.
    /// </summary>
    public static Figure Overlay(Figure baseFigure, Figure headFigure)
    {
        ArgumentNullException.ThrowIfNull(baseFigure);
        ArgumentNullException.ThrowIfNull(headFigure);
        var panels = new List<Panel>();
        for (int i = 0; i < headFigure.Panels.Count; i++)
        {
            var head = headFigure.Panels[i];
            var old = i < baseFigure.Panels.Count ? baseFigure.Panels[i] : null;
            if (head.Grid != null || old?.Grid != null)
            {
                if (old != null) panels.Add(old with { Title = $"base: {old.Title}" });
                panels.Add(head with { Title = $"head: {head.Title}" });
                continue;
            }
            var series = (old?.Series ?? []).Select(s => s with { Name = $"base: {s.Name}", Style = SeriesStyle.DashedLine, PointLabels = null })
                .Concat(head.Series.Select(s => s with { Name = $"head: {s.Name}" }))
                .ToList();
            panels.Add(head with { Series = series });
        }
        return headFigure with
        {
            Title = $"{headFigure.Title} (base dashed, head solid)",
            Caption = "Base run's series dashed and named 'base: …', head run's solid and named 'head: …'. " + headFigure.Caption,
            Panels = panels,
        };
    }

    /// <summary>Writes each overlay as PNG into <paramref name="folder"/> and the Markdown summary; returns the summary's path.</summary>
    public static string Write(IReadOnlyList<SectionChange> changes, string baseLabel, string headLabel, string folder)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "*.png")) File.Delete(old);
        foreach (var change in changes)
            foreach (var figure in change.Overlays)
                AtomicFile.WriteAllBytes(Path.Combine(folder, FigureFile(change, figure)), FigureRenderer.Png(figure));
        var path = Path.Combine(folder, SummaryName);
        AtomicFile.WriteAllText(path, Markdown(changes, baseLabel, headLabel));
        return path;
    }

    public static string FigureFile(SectionChange change, Figure figure) => $"{change.Id}--{figure.Id}.png";

    /// <summary>
    /// The summary: one line per section, then per changed section its moved values (old → new) and its overlaid figures. Every
    /// change of status, headline metric and claim is listed (the review comment sends its reader here for those it leaves out);
    /// of the other values (table cells, figure points, settings, sentences) the first <paramref name="maxPerSection"/>.
    /// </summary>
    public static string Markdown(IReadOnlyList<SectionChange> changes, string baseLabel, string headLabel, int maxPerSection = 30)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var md = new StringBuilder();
        int changed = changes.Count(c => c.Kind == SectionChange.Changed);
        md.AppendLine($"## Results: {changed} of {changes.Count} sections changed").AppendLine();
        md.AppendLine($"Base: `{baseLabel}`; head: `{headLabel}`.").AppendLine();
        md.AppendLine("| section | result |").AppendLine("| --- | --- |");
        foreach (var c in changes)
            md.AppendLine($"| {Cell(c.Heading)} | {(c.Kind == SectionChange.Changed ? $"**changed** ({c.Differences.Count} values)" : c.Kind)} |");
        md.AppendLine();
        foreach (var c in changes.Where(c => c.Kind == SectionChange.Changed))
        {
            md.AppendLine($"### {c.Heading}").AppendLine();
            md.AppendLine("| where | base → head |").AppendLine("| --- | --- |");
            var rest = c.Differences.Where(d => !Verdict(d.Location)).OrderBy(d => d.Location.StartsWith("figure", StringComparison.Ordinal) ? 1 : 0)
                .ToList();
            foreach (var d in c.Differences.Where(d => Verdict(d.Location)).Concat(rest.Take(maxPerSection)))
                md.AppendLine($"| {Cell(d.Location)} | {Cell(d.First)} → {Cell(d.Second)} |");
            if (rest.Count > maxPerSection) md.AppendLine($"| … | {rest.Count - maxPerSection} more |");
            md.AppendLine();
            foreach (var f in c.Overlays) md.AppendLine($"![{Cell(f.Title)}]({FigureFile(c, f)})").AppendLine();
        }
        return md.ToString();
    }

    /// <summary>A difference in what the section concludes or headlines: its status and failure, a headline metric, a claim.</summary>
    private static bool Verdict(string location) =>
        location is "status" or "failure" || location.StartsWith("headline", StringComparison.Ordinal) ||
        location.StartsWith("claim '", StringComparison.Ordinal);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
