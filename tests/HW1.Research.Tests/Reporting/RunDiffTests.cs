using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

public sealed class RunDiffTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-diff-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The head run of a pull request that changed one experiment's learning rate: its loss curve and headline moved.</summary>
    private static (IReadOnlyList<ReportSection> Base, IReadOnlyList<ReportSection> Head) Runs()
    {
        var baseRun = ReportRenderingTests.Sections();
        var changed = baseRun[0];
        var figure = changed.Figures[0];
        var panel = figure.Panels[0];
        var moved = panel.Series[0] with { Y = panel.Series[0].Y.Select(y => y * 0.9).ToArray() };
        var head = baseRun.Select(s => s.Id != changed.Id ? s : s with
        {
            Headline = [.. s.Headline.Select(m => m with { Value = m.Value * 0.9 })],
            Figures = [figure with { Panels = [panel with { Series = [moved, .. panel.Series.Skip(1)] }, .. figure.Panels.Skip(1)] },
                .. s.Figures.Skip(1)],
        }).ToList();
        return (baseRun, head);
    }

    [Fact]
    public void A_changed_experiment_shows_its_moved_values_and_its_figure_base_under_head_and_the_others_as_unchanged()
    {
        var (baseRun, head) = Runs();
        var changes = RunDiff.Of(baseRun, head);

        var changed = Assert.Single(changes, c => c.Kind == SectionChange.Changed);
        Assert.Equal(baseRun[0].Id, changed.Id);
        Assert.All(changes.Where(c => c.Id != changed.Id), c => Assert.Equal(SectionChange.Unchanged, c.Kind));
        Assert.Contains(changed.Differences, d => d.Location.StartsWith("headline", StringComparison.Ordinal));

        var overlay = Assert.Single(changed.Overlays);
        var series = overlay.Panels[0].Series;
        Assert.Contains(series, s => s.Name.StartsWith("base: ", StringComparison.Ordinal) && s.Style == SeriesStyle.DashedLine);
        Assert.Contains(series, s => s.Name.StartsWith("head: ", StringComparison.Ordinal));
        Assert.Equal(2 * baseRun[0].Figures[0].Panels[0].Series.Count, series.Count);

        var summary = RunDiff.Write(changes, "base-run", "head-run", _folder);
        var md = File.ReadAllText(summary);
        Assert.Contains($"1 of {changes.Count} sections changed", md, StringComparison.Ordinal);
        Assert.Contains("| unchanged |", md, StringComparison.Ordinal);
        Assert.Contains(" → ", md, StringComparison.Ordinal);
        var png = Path.Combine(_folder, RunDiff.FigureFile(changed, overlay));
        Assert.Contains($"]({Path.GetFileName(png)})", md, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4).ToArray());
    }

    [Fact]
    public void Sections_in_one_run_only_are_named_as_such()
    {
        var (baseRun, _) = Runs();
        var changes = RunDiff.Of(baseRun.Skip(1).ToList(), baseRun.Take(2).ToList());
        Assert.Equal(SectionChange.Added, changes.Single(c => c.Id == baseRun[0].Id).Kind);
        Assert.Equal(SectionChange.Unchanged, changes.Single(c => c.Id == baseRun[1].Id).Kind);
        Assert.Equal(SectionChange.Removed, changes.Single(c => c.Id == baseRun[2].Id).Kind);
    }

    [Fact]
    public void A_section_whose_status_or_findings_changed_is_not_called_unchanged()
    {
        var (baseRun, _) = Runs();
        var head = baseRun.Select((s, i) => i switch
        {
            0 => s with { Status = SectionStatus.NotReproduced, Failure = "Assert.True() Failure" },
            1 => s with { Comments = [.. s.Comments, "a new finding"] },
            _ => s,
        }).ToList();

        var changes = RunDiff.Of(baseRun, head);

        var first = changes.Single(c => c.Id == baseRun[0].Id);
        Assert.Equal(SectionChange.Changed, first.Kind);
        Assert.Contains(first.Differences, d => d.Location == "status" && d.First == "Reproduced" && d.Second == "NotReproduced");
        var second = changes.Single(c => c.Id == baseRun[1].Id);
        Assert.Equal(SectionChange.Changed, second.Kind);
        Assert.Contains(second.Differences, d => d.Location.StartsWith("finding[", StringComparison.Ordinal) && d.Second == "a new finding");
        Assert.Empty(second.Overlays);
    }
    [Fact]
    public void A_claim_whose_verdict_flipped_with_no_number_moving_makes_its_section_changed_and_is_listed()
    {
        // A pull request that tightened a rule: the same measurement no longer satisfies it.
        var (baseRun, _) = Runs();
        var first = baseRun[0];
        var head = baseRun.Select(s => s.Id != first.Id ? s : s with
        {
            Claims = [s.Claims[0] with { Holds = false, Rule = "final loss < a hundredth of the first" }, .. s.Claims.Skip(1)],
        }).ToList();

        var changes = RunDiff.Of(baseRun, head);

        var changed = Assert.Single(changes, c => c.Kind == SectionChange.Changed);
        Assert.Equal(first.Id, changed.Id);
        var claim = Assert.Single(changed.Claims);
        Assert.True(claim.Flipped);
        Assert.Equal(("reproduced", "not reproduced"), (claim.BeforeVerdict, claim.AfterVerdict));
        // Nothing measured moved: no metric, no figure.
        Assert.Empty(changed.Metrics);
        Assert.Empty(changed.Overlays);
        Assert.Contains($"| claim '{first.Claims[0].Statement}' | reproduced; measured 1 → 0.0074 → not reproduced; measured 1 → 0.0074 |",
            RunDiff.Markdown(changes, "base", "head"), StringComparison.Ordinal);
    }
}
