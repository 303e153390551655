using System.Text.RegularExpressions;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

/// <summary>The pull-request comment, built from two artifacts folders written here the way a pipeline run stores its sections.</summary>
public sealed class ReviewCommentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hw1-review-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string DetailsUrl = "https://github.com/hw1/research/actions/runs/42/artifacts/7";

    private const string FiguresUrl = "https://github.com/hw1/research/raw/review-figures/pr-5/abc";

    private static ReportSection Depth(double accuracy = 0.912, double lossScale = 1, bool deeperFits = true) => new()
    {
        Id = "1-1-depth",
        Part = "1-1",
        Order = 1,
        Title = "Depth",
        Question = "Does depth help?",
        Profile = "quick",
        Headline = [new("test accuracy", accuracy), new("parameters", 25_000)],
        Figures =
        [
            new Figure("loss", "Loss per epoch", "Training loss.",
                [new Panel("loss", new Axis("epoch"), new Axis("loss"),
                    [new Series("deep", [1, 2, 3], [lossScale, 0.5 * lossScale, 0.25 * lossScale])])]),
        ],
        Claims =
        [
            Claim.Finding("Someone et al. 2020", "The deeper net fits better", "deep loss < shallow loss", "the nets have equal parameters",
                "0.25 vs 0.31", deeperFits),
            Claim.Sanity("Every loss is finite", "finite at every epoch", "a non-finite loss means divergence", "3 of 3", holds: true),
        ],
    };

    private static ReportSection Width(double accuracy = 0.95) => new()
    {
        Id = "1-2-width",
        Part = "1-2",
        Order = 1,
        Title = "Width",
        Question = "Does width help?",
        Profile = "quick",
        Headline = [new("wide accuracy", accuracy)],
    };

    /// <summary>Writes each run's sections into its own artifacts folder; returns the two folders.</summary>
    private (string Base, string Head) Runs(IEnumerable<ReportSection> baseRun, IEnumerable<ReportSection> head)
    {
        var (b, h) = (Path.Combine(_folder, "base"), Path.Combine(_folder, "head"));
        foreach (var s in baseRun) SectionStore.Write(s, b);
        foreach (var s in head) SectionStore.Write(s, h);
        return (b, h);
    }

    private static string Comment(string baseRoot, string headRoot, ReviewOptions? options = null) =>
        ReviewComment.Build(RunDiff.Of("quick", baseRoot, headRoot),
        options ?? new ReviewOptions { DetailsUrl = DetailsUrl, FiguresUrl = FiguresUrl });

    [Fact]
    public void A_verdict_that_flipped_with_no_number_moving_heads_the_comment_with_both_verdicts_and_measurements()
    {
        // A pull request that only changed a rule: the claim no longer holds on the same measurement.
        var (b, h) = Runs([Depth(), Width()], [Depth(deeperFits: false), Width()]);

        var comment = Comment(b, h);

        Assert.StartsWith(ReviewComment.Marker, comment, StringComparison.Ordinal);
        Assert.Contains("## Quick run: 1 verdict flip, 0 moved metrics, 0 changed figures", comment, StringComparison.Ordinal);
        Assert.Contains("1 of 2 sections changed", comment, StringComparison.Ordinal);
        Assert.Contains("| 1-1.1 Depth | The deeper net fits better | reproduced → **not reproduced** | 0.25 vs 0.31 → 0.25 vs 0.31 |", comment,
            StringComparison.Ordinal);
        // The unchanged sanity check is no flip.
        Assert.DoesNotContain("Every loss is finite", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("### Moved headline metrics", comment, StringComparison.Ordinal);
        Assert.Contains($"[diff.md and the report]({DetailsUrl})", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_whose_tests_now_fail_is_a_flip_before_the_claims()
    {
        var (b, h) = Runs([Depth(), Width()],
            [Depth(deeperFits: false), Width() with { Status = SectionStatus.NotReproduced, Failure = "Assert.True() Failure\nwidth lost" }]);

        var comment = Comment(b, h);

        Assert.Contains("## Quick run: 2 verdict flips", comment, StringComparison.Ordinal);
        var status = comment.IndexOf("| 1-2.1 Width | the section's tests | reproduced → **not reproduced** | (none) → Assert.True() Failure width " +
            "lost |", StringComparison.Ordinal);
        var claim = comment.IndexOf("| The deeper net fits better |", StringComparison.Ordinal);
        Assert.True(status >= 0 && claim > status, $"the status row at {status} should come before the claim's at {claim}:\n{comment}");
    }

    [Fact]
    public void Moved_metrics_show_old_new_and_change_largest_relative_move_first_and_changed_figures_link_absolutely()
    {
        var (b, h) = Runs([Depth(), Width()], [Depth(accuracy: 0.9, lossScale: 0.8), Width(accuracy: 0.97)]);

        var comment = Comment(b, h);

        Assert.Contains("## Quick run: 0 verdict flips, 2 moved metrics, 1 changed figure", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("### Verdict flips", comment, StringComparison.Ordinal);
        // 0.95 → 0.97 is +2.11% of 0.95 and 0.912 → 0.9 is -1.32% of 0.912: width's row comes first, though its section comes second.
        var width = comment.IndexOf("| 1-2.1 Width | wide accuracy | 0.95 | 0.97 | +0.02 | +2.11% |", StringComparison.Ordinal);
        var depth = comment.IndexOf("| 1-1.1 Depth | test accuracy | 0.912 | 0.9 | -0.012 | -1.32% |", StringComparison.Ordinal);
        Assert.True(width >= 0 && depth > width, $"width's row at {width} should come before depth's at {depth}:\n{comment}");
        // The parameter count did not move.
        Assert.DoesNotContain("parameters", comment, StringComparison.Ordinal);
        Assert.Contains($"- 1-1.1 Depth: [Loss per epoch (base dashed, head solid)]({FiguresUrl}/1-1-depth--loss.png)", comment,
            StringComparison.Ordinal);
        Assert.True(comment.IndexOf("### Moved headline metrics", StringComparison.Ordinal) < comment.IndexOf("### Changed figures",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_figures_url_a_changed_figure_is_named_by_its_file_not_linked()
    {
        var (b, h) = Runs([Depth()], [Depth(lossScale: 0.8)]);

        var comment = Comment(b, h, new ReviewOptions());

        Assert.Contains("- 1-1.1 Depth: Loss per epoch (base dashed, head solid) (`1-1-depth--loss.png`)", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("](", comment, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Comment(b, h, new ReviewOptions { FiguresUrl = "figures/pr-5" }));
    }

    [Fact]
    public void Two_equal_runs_say_nothing_changed_and_nothing_else()
    {
        var (b, h) = Runs([Depth(), Width()], [Depth(), Width()]);

        var comment = Comment(b, h);

        Assert.StartsWith(ReviewComment.Marker, comment, StringComparison.Ordinal);
        Assert.Contains("## Quick run: nothing changed", comment, StringComparison.Ordinal);
        Assert.Contains("All 2 sections", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("###", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("→", comment, StringComparison.Ordinal);
        Assert.Contains(DetailsUrl, comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_diff_is_cut_to_size_figures_first_then_metrics_by_whole_rows_and_says_how_many_rows_are_left_out()
    {
        // 30 sections of 40 headline metrics and 2 figures each: 1,200 moved metrics (metric k by k/1000, k = 1..1,200) and 60 changed figures.
        const int Sections = 30, Metrics = 40, Figures = 2;
        ReportSection Section(int i, bool head) => new()
        {
            Id = $"1-1-s{i:00}",
            Part = "1-1",
            Order = i + 1,
            Title = $"Section {i}",
            Question = "?",
            Profile = "quick",
            Headline = [.. Enumerable.Range(0, Metrics).Select(j => new Metric($"metric {j}", head ? 1 + (i * Metrics + j + 1) / 1000.0 : 1))],
            Figures = [.. Enumerable.Range(0, Figures).Select(f => new Figure($"f{f}", $"Figure {f}", "A figure.",
                [new Panel("p", new Axis("x"), new Axis("y"), [new Series("s", [1, 2], [1, head ? 3 : 2])])]))],
            // Three sections flip a claim.
            Claims = [Claim.Finding("Someone 2020", $"Claim {i}", "rule", "reason", "measured", holds: !(head && i < 3))],
        };
        var (b, h) = Runs(Enumerable.Range(0, Sections).Select(i => Section(i, false)), Enumerable.Range(0, Sections).Select(i => Section(i, true)));

        var comment = Comment(b, h);

        Assert.True(comment.Length <= ReviewComment.DefaultMaxChars, $"{comment.Length} characters");
        // The cut stops within one row of the limit: a metric row here is under 100 characters, the notes are there either way.
        Assert.True(comment.Length > ReviewComment.DefaultMaxChars - 100, $"only {comment.Length} characters: rows were left out that fit");
        Assert.Contains("## Quick run: 3 verdict flips, 1200 moved metrics, 60 changed figures", comment, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(comment, @"\| reproduced → \*\*not reproduced\*\* \|"));
        // Figures go first: none is listed, and the note counts all 60.
        Assert.DoesNotContain("- 1-1.", comment, StringComparison.Ordinal);
        Assert.Contains($"_60 more changed figures not shown here, to keep this comment short: see [diff.md]({DetailsUrl})._", comment,
            StringComparison.Ordinal);
        // Then metrics: the rows shown and the rows counted as left out make all 1,200.
        var shown = Regex.Count(comment, @"^\| 1-1\.\d+ Section \d+ \| metric \d+ \|", RegexOptions.Multiline);
        var more = Regex.Match(comment, @"_(\d+) more moved metrics? not shown here");
        Assert.True(more.Success, comment);
        Assert.True(shown > 0, "no metric row fits");
        Assert.Equal(Sections * Metrics, shown + int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        // Where the note sends the reader, every moved metric is listed.
        Assert.Equal(Sections * Metrics,
            Regex.Count(RunDiff.Markdown(RunDiff.Of("quick", b, h), "base", "head"), @"^\| headline 'metric \d+' \|", RegexOptions.Multiline));
        // The rows kept are the largest moves: the first is metric 39 of section 29 (k = 1,200, +120%).
        Assert.Matches(@"### Moved headline metrics\s+\|[^\n]+\n\|[^\n]+\n\| 1-1\.30 Section 29 \| metric 39 \| 1 \| 2\.2 \| \+1\.2 \| \+120% \|",
            comment);
    }

    [Fact]
    public void The_report_tool_writes_the_comment_from_two_artifacts_folders_within_max_chars_and_refuses_a_relative_link()
    {
        var (b, h) = Runs([Depth(), Width()], [Depth(accuracy: 0.9, deeperFits: false), Width()]);
        var output = Path.Combine(_folder, "comment.md");
        var environment = new Dictionary<string, string?> { ["HW1_PROFILE"] = null };

        // 1,000 characters, the shortest limit the tool accepts: the comment must keep within it.
        var (code, stdout, stderr) = ReportTool.Run(["review-comment", "--base", b, "--head", h, "--out", output, "--details-url", DetailsUrl,
            "--max-chars", "1000"],
            environment, TimeSpan.FromMinutes(2));

        Assert.True(code == 0, stdout + stderr);
        var comment = File.ReadAllText(output);
        Assert.StartsWith(ReviewComment.Marker, comment, StringComparison.Ordinal);
        Assert.True(comment.Length <= 1000, $"{comment.Length} characters");
        Assert.Contains("1 verdict flip, 1 moved metric, 0 changed figures", comment, StringComparison.Ordinal);
        // Neither folder has a pipeline log, so each run is named by its folder.
        Assert.Contains("Base `base`, head `head`", comment, StringComparison.Ordinal);

        var refused = ReportTool.Run(["review-comment", "--base", b, "--head", h, "--out", output, "--figures-url", "figures/pr-5"], environment,
            TimeSpan.FromMinutes(2));
        Assert.Equal(2, refused.Code);
        Assert.Contains("absolute", refused.Error, StringComparison.Ordinal);
    }
}
