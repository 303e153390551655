using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

public sealed class ClaimsLedgerTests
{
    private static ReportSection Section(string id, int order, params Claim[] claims) =>
        new()
        {
            Id = id,
            Part = "1-2",
            Order = order,
            Title = "t",
            Question = "q",
            Profile = "quick",
            Claims = claims,
            WallSeconds = 125,
            Threads = 2
        };

    private static readonly ReportSection[] Sections =
    [
        Section("1-2-a", 1,
            Claim.Sanity("Training ran", "loss falls", "why", "2.3 → 0.1", holds: true),
            Claim.Finding("Keskar et al. 2017", "Large batches find sharper minima", "ratio > 1", "why", "0.8", holds: false)),
        Section("1-2-b", 2, Claim.Finding("Dinh et al. 2017", "Rescaling keeps the function", "change < 1e-4", "why", "1e-7", holds: true)),
    ];

    [Fact]
    public void The_ledger_lists_every_finding_with_its_section_measurement_paper_and_verdict_and_no_sanity_check()
    {
        // The rule stands in the claim's section; the ledger keeps one line a claim: ours beside the paper's (a dash where it gives none).
        var rows = ClaimsLedger.Rows(Sections);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1-2.1", "Large batches find sharper minima", "0.8", "—", "—", "not reproduced"], rows[0]);
        Assert.Equal("reproduced", rows[1][^1]);
        Assert.Equal(ClaimsLedger.Columns.Count, rows[0].Count);
    }

    [Fact]
    public void A_ledger_line_has_the_claim_in_a_few_words_the_paper_s_number_and_no_number_for_an_undecidable_claim()
    {
        var labelled = Claim.ByRatioAgainstPaper("Keskar et al. 2017",
            "At ε = 1e-3 the large batch finds a much sharper minimum than the small batch", "why",
            "ε-sharpness, large / small", "Keskar et al. 2017, Table 3, F1", 167, [100, 120, 150]) with
        { Label = "Sharper at the large batch" };
        var undecidable = Statistic.Given("ρ", "95% bootstrap interval").Below(0).Undecidable("s", "Lower loss goes with more upward curvature",
            "why", "only 0 points reach the criterion", 0);
        var rows = ClaimsLedger.Rows([Section("1-3-a", 1, labelled, undecidable)]);
        var column = ClaimsLedger.Columns.ToList();
        Assert.Equal("Sharper at the large batch", rows[0][column.IndexOf("claim")]);
        Assert.Equal("167×", rows[0][column.IndexOf("paper")]);
        Assert.Equal("167× (Keskar et al. 2017, Table 3, F1)", labelled.Paper);
        Assert.Equal("Lower loss goes with more upward curvature", rows[1][column.IndexOf("claim")]);
        Assert.Equal("undefined", rows[1][column.IndexOf("ours")]);
        Assert.Equal("undecidable", rows[1][column.IndexOf("verdict")]);
    }

    [Fact]
    public void The_quick_profile_says_it_checks_the_machinery_and_prints_no_interval_that_decided_nothing()
    {
        var undecided = Statistic.GeometricMean("x / y").Above(1).Decide("s", "x is larger", "why", [0.5, 40]);
        var decided = Statistic.GeometricMean("y / x").Above(1).Decide("s", "y is larger", "why", [2.0, 2.1]);
        Assert.True(undecided.Inconclusive);
        Assert.True(decided.Holds);
        var quick = Section("1-2-q", 1, undecided, decided);
        var rows = ClaimsLedger.Rows([quick]);
        var ours = ClaimsLedger.Columns.ToList().IndexOf("ours");
        Assert.Equal("4.47×", rows[0][ours]);
        Assert.Equal(decided.Measured, rows[1][ours]);
        Assert.Contains("[", decided.Measured, StringComparison.Ordinal);
        Assert.Equal("4.47× (its interval over 2 seeds decides nothing and is not printed)", ClaimsLedger.SectionRows(quick)[0][2]);
        Assert.Contains("not the science", ClaimsLedger.ProfileNote([quick]), StringComparison.Ordinal);
        Assert.Contains("2 seeds, where a 95% Student-t interval has 1 degree of freedom", ClaimsLedger.ProfileNote([quick]),
            StringComparison.Ordinal);
        // t(0.975, 1) / √2 = 8.985 against t(0.975, 4) / √5 = 1.2417: 7.2 times as wide for the same spread.
        Assert.Contains("is 7.2 times as wide as with 5", ClaimsLedger.ProfileNote([quick]), StringComparison.Ordinal);
        // The full profile prints every interval and needs no note.
        var full = quick with { Profile = "full" };
        Assert.Contains("[", ClaimsLedger.Rows([full])[0][ours], StringComparison.Ordinal);
        Assert.Null(ClaimsLedger.ProfileNote([full]));
    }

    [Fact]
    public void The_tally_counts_findings_and_sanity_checks_apart() =>
        Assert.Equal("1 of 2 findings hold; 1 of 1 sanity checks hold.", ClaimsLedger.Tally(Sections));

    [Fact]
    public void A_section_lists_its_claims_with_the_reason_for_each_rule_and_marks_sanity_checks()
    {
        var rows = ClaimsLedger.SectionRows(Sections[0]);
        Assert.Equal("Training ran (sanity check)", rows[0][0]);
        Assert.Equal("loss falls. Why", rows[0][1]);
        Assert.Equal("Large batches find sharper minima (Keskar et al. 2017)", rows[1][0]);
        Assert.Equal(["holds", "not reproduced"], rows.Select(r => r[^1]));
    }

    /// <summary>A rule over an interval given as it is (the tests choose its ends), against 0.</summary>
    private static Rule Given(Side side) =>
        side == Side.Above ? Statistic.Given("x", "95% interval over seeds").Above(0) : Statistic.Given("x", "95% interval over seeds").Below(0);

    [Fact]
    public void A_rule_writes_its_own_sentence_from_its_statistic_side_and_threshold()
    {
        Assert.Equal("the 95% interval over seeds of the mean of test accuracy, A − B, paired by seed, lies above −0.39 points",
            Statistic.Mean("test accuracy, A − B, paired by seed", Unit.Points()).Above(-0.0039).Text);
        Assert.Equal("the 95% interval over seeds of the geometric mean of large / small lies below 0.9",
            Statistic.GeometricMean("large / small").Below(0.9).Text);
        Assert.Equal("the 95% interval over seeds of the mean of accuracy − chance lies within ±0.6 points",
            Statistic.Mean("accuracy − chance", Unit.Points()).Within(0.006).Text);
        Assert.Equal("the 95% bootstrap interval of ρ(x, y) lies above 0", Statistic.Given("ρ(x, y)", "95% bootstrap interval").Above(0).Text);
        // An absence on ratios would be decided on the log scale against a margin the sentence does not state: refused.
        Assert.Throws<ArgumentException>(() => Statistic.GeometricMean("x / y").Within(0.9));

        // The claim carries the rule's sentence and decides against the same number: a threshold of 2 reads "above 2" and decides at 2.
        var claim = Statistic.GeometricMean("x / y").Above(2).Decide("s", "x is twice y", "why", [2.5, 2.6, 2.7]);
        Assert.Equal("the 95% interval over seeds of the geometric mean of x / y lies above 2", claim.Rule);
        Assert.Equal(2, claim.Threshold);
        Assert.True(claim.Holds);
        Assert.False(Statistic.GeometricMean("x / y").Above(3).Decide("s", "x is three times y", "why", [2.5, 2.6, 2.7]).Holds);
        Assert.Equal("2.56 points [2.1, 3.02]", Unit.Points().Measured(new Interval(0.0256, 0.021, 0.0302, 5)));
    }

    [Theory]
    [InlineData(1.2, 3.0, "reproduced", false)]
    [InlineData(-0.5, 3.0, "inconclusive", true)]
    [InlineData(-3.0, -1.0, "not reproduced", false)]
    [InlineData(-3.0, 1.0, "inconclusive", true)]
    public void A_claim_decided_by_an_interval_is_reproduced_not_reproduced_or_inconclusive(double low, double high, string verdict,
        bool inconclusive)
    {
        var claim = Given(Side.Above).Decide("Keskar et al. 2017", "Large batches are sharper", "why", new Interval(low, low, high, 5), "m");
        Assert.Equal(verdict, claim.Verdict);
        Assert.Equal(inconclusive, claim.Inconclusive);
        Assert.Equal(verdict == "reproduced", claim.Holds);
        Assert.Equal(5, claim.Seeds);
    }

    [Theory]
    [InlineData(-3.0, -1.0, "reproduced")]
    [InlineData(1.0, 2.0, "not reproduced")]
    [InlineData(-1.0, 2.0, "inconclusive")]
    public void A_claim_below_a_threshold_is_decided_the_other_way(double low, double high, string verdict) =>
        Assert.Equal(verdict, Given(Side.Below).Decide("s", "x < 0", "why", new Interval(low, low, high, 5), "m").Verdict);

    [Fact]
    public void An_inconclusive_known_failure_says_both_and_the_tally_counts_it()
    {
        var claim = Given(Side.Above).Decide("s", "x > 0", "why", new Interval(0, -1, 1, 5), "m") with { KnownFailure = "too few seeds" };
        Assert.Equal("inconclusive (known failure)", claim.Verdict);
        Assert.Equal("0 of 1 findings hold (1 inconclusive), 1 of the rest marked as known failures with their reasons; 0 of 0 sanity checks hold.",
            ClaimsLedger.Tally([Section("1-2-c", 3, claim)]));
        Assert.Equal("5", ClaimsLedger.Rows([Section("1-2-c", 3, claim)])[0][ClaimsLedger.Columns.ToList().IndexOf("seeds")]);
        // The one-line ledger marks it with a dagger; the claim's section and the snapshot keep the words.
        Assert.Equal($"inconclusive {ClaimsLedger.KnownFailureMark}", ClaimsLedger.Rows([Section("1-2-c", 3, claim)])[0][^1]);
        Assert.Equal("inconclusive (known failure)", ClaimsLedger.SectionRows(Section("1-2-c", 3, claim))[0][^1]);
    }

    [Fact]
    public void A_ratio_claim_is_decided_by_the_geometric_mean_interval_of_the_ratios()
    {
        // Ratios 2, 4, 8 have logs ln2·(1, 2, 3): mean 2·ln2 (geometric mean 4), standard deviation ln2, so the interval is
        // 4 · 2^(±t(0.975, 2)/√3) = 4 · 2^(±2.4841) = [0.715, 22.38]: it contains 1, so the claim "above 1" is undecided.
        var claim = Statistic.GeometricMean("x / y").Above(1).Decide("s", "x is larger", "why", [2, 4, 8]);
        Assert.Equal("4 [0.71, 22.38]×", claim.Measured);
        Assert.True(claim.Inconclusive);
        Assert.Equal(3, claim.Seeds);
        Assert.Equal("reproduced", Statistic.GeometricMean("x / y").Above(1).Decide("s", "x is larger", "why", [3.9, 4, 4.1]).Verdict);
        Assert.Throws<ArgumentException>(() => Statistic.GeometricMean("x / y").Above(1).Decide("s", "x", "why", [1, 0]));
    }

    [Fact]
    public void An_interval_upside_down_is_refused() =>
        Assert.Throws<ArgumentException>(() => Given(Side.Above).Decide("s", "x > 0", "why", new Interval(0, 1, -1, 5), "m"));

    [Theory]
    [InlineData(-0.5, 0.5, "reproduced")]
    [InlineData(-0.5, 1.5, "inconclusive")]
    [InlineData(-1.5, 0.5, "inconclusive")]
    [InlineData(1.2, 3, "not reproduced")]
    [InlineData(-3, -1.2, "not reproduced")]
    [InlineData(-2, 2, "inconclusive")]
    public void An_absence_holds_only_when_the_whole_interval_lies_within_the_margin(double low, double high, string verdict)
    {
        var claim = Statistic.Given("x − y", "95% interval over seeds").Within(1).Decide("s", "no effect", "why",
            new Interval((low + high) / 2, low, high, 5), "m");
        Assert.Equal(verdict, claim.Verdict);
        Assert.Equal(verdict == "inconclusive", claim.Inconclusive);
        Assert.Equal(5, claim.Seeds);
        Assert.Throws<ArgumentException>(() => Statistic.Mean("x − y").Within(0));
    }

    [Fact]
    public void A_rank_correlation_over_a_constant_variable_is_undecidable_and_prints_no_rho()
    {
        var claim = Claim.ByRankCorrelation("the assignment", "The sampling ranks the points as the Hessian does", "why",
            "sampled fraction", "Hessian ratio", [1, 1, 1, 1], [0.2, 0.5, 0.3, 0.9], [1, 2, 3, 4]);
        Assert.False(claim.Holds);
        Assert.True(claim.Inconclusive);
        Assert.Equal("undecidable", claim.Verdict);
        Assert.Contains("every one of the 4 sampled fraction values is the same (1)", claim.Measured, StringComparison.Ordinal);
        Assert.DoesNotContain("ρ =", claim.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_correlation_of_models_sharing_seeds_is_decided_over_seeds_with_its_rule_written_from_the_direction()
    {
        double[] batch = [16, 64, 256, 16, 64, 256, 16, 64, 256];
        double[] sharpness = [1, 2, 3, 1.5, 2.5, 3.5, 0.5, 2, 4];
        long[] seeds = [1, 1, 1, 2, 2, 2, 3, 3, 3];
        var rises = Claim.ByRankCorrelation("Keskar et al. 2017", "Sharpness rises with batch size", "why", "batch size", "sharpness", batch,
            sharpness, seeds);
        Assert.True(rises.Holds, rises.ToString());
        Assert.Equal(3, rises.Seeds);
        Assert.Equal("the 95% Student-t interval over seeds of the mean of Spearman's ρ(batch size, sharpness) taken within each seed lies above 0",
            rises.Rule);
        var falls = Claim.ByRankCorrelation("Keskar et al. 2017", "Sharpness falls with batch size", "why", "batch size", "sharpness", batch,
            sharpness, seeds, above: false);
        Assert.Equal("not reproduced", falls.Verdict);
        Assert.EndsWith("lies below 0", falls.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 20.0, 25, 30, 22, 28 }, "reproduced")]
    [InlineData(new[] { 1.1, 1.15, 1.2, 1.05, 1.12 }, "weaker than reported")]
    [InlineData(new[] { 0.8, 0.85, 0.9, 0.75, 0.82 }, "not reproduced")]
    [InlineData(new[] { 0.9, 3, 40, 1.2, 200 }, "inconclusive")]
    public void A_ratio_the_paper_reports_is_judged_against_the_paper_s_size_not_only_its_direction(double[] ratios, string verdict)
    {
        var claim = Claim.ByRatioAgainstPaper("Keskar et al. 2017", "Large batches find sharper minima", "why", "ε-sharpness, large / small",
            "Table 3, F1: 205.14 vs 1.23", 205.14 / 1.23, ratios);
        Assert.Equal(verdict, claim.Verdict);
        Assert.Equal("166.8× (Table 3, F1: 205.14 vs 1.23)", claim.Paper);
        Assert.Contains("lies above √166.8 = 12.9 (half the paper's 166.8× on the log scale)", claim.Rule, StringComparison.Ordinal);
        Assert.Equal(verdict == "reproduced", claim.Holds);
        // The right direction at a small part of the effect is its own verdict, counted apart from inconclusive ones.
        Assert.Equal(verdict == "weaker than reported", claim.WeakerThanReported);
        Assert.Equal(verdict == "inconclusive", claim.Inconclusive);
    }

    [Theory]
    [InlineData(new[] { 0.14, 0.15, 0.16, 0.15, 0.15 }, "reproduced")] // [0.141, 0.159]: the whole interval above half the paper's 0.22 points
    [InlineData(new[] { 0.04, 0.05, 0.06, 0.05, 0.05 }, "weaker than reported")] // [0.041, 0.059]: above 0, below 0.11
    [InlineData(new[] { -0.21, -0.2, -0.19, -0.2, -0.2 }, "not reproduced")] // the other way round
    [InlineData(new[] { -0.1, 0.3, 0.1, 0.0, 0.2 }, "inconclusive")] // reaches both sides
    public void A_difference_the_paper_reports_is_judged_against_half_of_it(double[] differences, string verdict)
    {
        var claim = Claim.ByDifferenceAgainstPaper("Keskar et al. 2017", "The large batch tests worse", "why",
            "test accuracy in points, small − large",
            "0.22 points (Table 2, F1)", 0.22, differences, "points");
        var interval = Statistics.MeanInterval(differences);
        Assert.Equal(verdict, claim.Verdict);
        Assert.Equal("0.22 points (Table 2, F1)", claim.Paper);
        Assert.Equal(verdict == "weaker than reported", claim.WeakerThanReported);
        Assert.Equal(verdict == "inconclusive", claim.Inconclusive);
        Assert.Equal(5, claim.Seeds);
        Assert.Equal((interval.Low, interval.High, 0.11), (claim.Low!.Value, claim.High!.Value, claim.Threshold!.Value));
        Assert.Equal(differences, claim.Values);
        Assert.Equal($"{interval.Format("0.##")} points", claim.Measured);
    }

    [Fact]
    public void A_rank_correlation_keeps_each_seed_s_rho_so_its_interval_can_be_recomputed()
    {
        double[] x = [1, 2, 3, 1, 2, 3, 1, 2, 3];
        double[] y = [1, 2, 3, 2, 1, 3, 3, 2, 1];
        long[] seeds = [5, 5, 5, 6, 6, 6, 7, 7, 7];
        var claim = Claim.ByRankCorrelation("s", "x and y rise together", "why", "x", "y", x, y, seeds);
        Assert.Equal([1, 0.5, -1], claim.Values!);
        var recomputed = Statistics.MeanInterval(claim.Values!);
        Assert.Equal(Math.Max(-1, recomputed.Low), claim.Low!.Value, 12);
        Assert.Equal(Math.Min(1, recomputed.High), claim.High!.Value, 12);
    }

    [Fact]
    public void The_ledger_puts_the_paper_s_number_beside_ours_and_counts_weaker_effects()
    {
        var weaker = Claim.ByRatioAgainstPaper("Keskar et al. 2017", "Large batches find sharper minima", "why", "ε-sharpness, large / small",
            "Table 3, F1", 167, [1.1, 1.15, 1.2, 1.05, 1.12]);
        var plain = Claim.Finding("s", "Another", "r", "why", "m", true);
        var section = new ReportSection
        {
            Id = "x",
            Part = "1-3",
            Order = 5,
            Title = "t",
            Question = "q",
            Profile = "quick",
            Claims = [weaker, plain]
        };
        var rows = ClaimsLedger.Rows([section]);
        var paper = ClaimsLedger.Columns.ToList().IndexOf("paper");
        Assert.Equal("167×", rows[0][paper]);
        Assert.Equal("—", rows[1][paper]);
        Assert.Contains("1 weaker than reported", ClaimsLedger.Tally([section]), StringComparison.Ordinal);
    }
}
