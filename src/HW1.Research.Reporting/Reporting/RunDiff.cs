using System.Text;
using HW1.Research.Artifacts;
using HW1.Research.Figures;

namespace HW1.Research.Reporting;

/// <summary>How one section differs between a base run and a head run.</summary>
public sealed record SectionChange(string Id, string Heading, string Kind, IReadOnlyList<SectionDifference> Differences, IReadOnlyList<Figure> Overlays)
{
    public const string Changed = "changed";
    public const string Unchanged = "unchanged";
    public const string Added = "only in head";
    public const string Removed = "only in base";
}

/// <summary>
/// The difference between two runs as a reviewer reads it: per section, unchanged or changed; for a changed one, every
/// headline metric and table cell that moved (old → new) and every figure whose data moved, drawn with the base run's series
/// dashed under the head run's; written as PNGs and a Markdown summary fit for a pull-request comment.
/// </summary>
public static class RunDiff
{
    public const string SummaryName = "diff.md";

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
                changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Added, [], []));
                continue;
            }
            var differences = SectionComparison.Compare(b, h).Concat(TextDifferences(b, h)).ToList();
            if (differences.Count == 0)
            {
                changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Unchanged, [], []));
                continue;
            }
            var overlays = h.Figures
                .Select(f => (Head: f, Base: b.Figures.FirstOrDefault(g => g.Id == f.Id)))
                .Where(p => p.Base != null && differences.Any(d => d.Location.StartsWith($"figure '{p.Head.Id}'", StringComparison.Ordinal)))
                .Select(p => Overlay(p.Base!, p.Head))
                .ToList();
            changes.Add(new SectionChange(h.Id, ReportBuilder.HeadingOf(h), SectionChange.Changed, differences, overlays));
        }
        foreach (var b in baseRun.Where(b => head.All(h => h.Id != b.Id)))
            changes.Add(new SectionChange(b.Id, ReportBuilder.HeadingOf(b), SectionChange.Removed, [], []));
        return changes;
    }

    /// <summary>What SectionComparison leaves out because it compares numbers: the status, the failure, the settings and the findings' sentences.</summary>
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
    }

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

    /// <summary>The summary: one line per section, then per changed section its moved values (old → new) and its overlaid figures.</summary>
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
            foreach (var d in c.Differences.OrderBy(d => d.Location.StartsWith("figure", StringComparison.Ordinal) ? 1 : 0).Take(maxPerSection))
                md.AppendLine($"| {Cell(d.Location)} | {Cell(d.First)} → {Cell(d.Second)} |");
            if (c.Differences.Count > maxPerSection) md.AppendLine($"| … | {c.Differences.Count - maxPerSection} more |");
            md.AppendLine();
            foreach (var f in c.Overlays) md.AppendLine($"![{Cell(f.Title)}]({FigureFile(c, f)})").AppendLine();
        }
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
