using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

/// <summary>Every branch of the data-chosen sentences, on made-up numbers.</summary>
public sealed class FindingsTests
{
    [Fact]
    public void Rescalings_that_only_sharpen_say_that_only_half_of_dinh_is_shown()
    {
        // The full profile's measured case: a = 0.1, 10 and 100 all sharper than a = 1.
        var text = Findings.Rescaling([(0.1, 88.5), (1, 3.07), (10, 237), (100, 23700)]);
        Assert.Contains("every rescaling tried (a = 0.1, 10, 100) made the same function sharper, up to 7720 times", text, StringComparison.Ordinal);
        Assert.Contains("one half of Dinh et al. 2017", text, StringComparison.Ordinal);
        Assert.DoesNotContain("flatter (", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rescalings_both_ways_say_as_sharp_or_as_flat_as_one_likes()
    {
        var text = Findings.Rescaling([(0.5, 1.5), (1, 3), (2, 12)]);
        Assert.Contains("a = 2 made the same function sharper (up to 4 times) and a = 0.5 flatter (down to 1/2)", text, StringComparison.Ordinal);
        Assert.Contains("as sharp or as flat as one likes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rescalings_that_sharpen_far_but_flatten_little_say_sharp_without_limit_not_as_flat()
    {
        // The full profile's measured case after the finer sweep: 7,728 times sharper at a = 100, 1/1.1 flatter at a = 0.85.
        var text = Findings.Rescaling([(0.1, 88.5), (0.85, 2.72), (1, 3.07), (2, 9.1), (100, 23700)]);
        Assert.Contains("a = 0.85 only somewhat flatter (down to 1/1.1)", text, StringComparison.Ordinal);
        Assert.Contains("as sharp as one likes, not as flat", text, StringComparison.Ordinal);
        Assert.DoesNotContain("as sharp or as flat as one likes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rescalings_that_only_flatten_or_change_nothing_say_so()
    {
        Assert.Contains("made the same function flatter, down to 1/3", Findings.Rescaling([(1, 3), (2, 1)]), StringComparison.Ordinal);
        Assert.Contains("does not show Dinh et al. 2017's effect", Findings.Rescaling([(1, 3), (2, 3)]), StringComparison.Ordinal);
        Assert.Contains("nothing is compared", Findings.Rescaling([(1, 3)]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9.0, 4.0, "beyond m1 (batch 64)", "the opposite of Keskar")]
    [InlineData(4.0, 9.0, "beyond m2 (batch 1024)", "as Keskar et al. 2017 report")]
    public void The_steeper_side_is_named_and_compared_with_keskar(double beyondM1, double beyondM2, string side, string verdict)
    {
        var text = Findings.SteeperSide(beyondM1, beyondM2, 64, 1024);
        Assert.Contains(side, text, StringComparison.Ordinal);
        Assert.Contains(verdict, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_rises_do_not_name_a_sharper_minimum()
    {
        Assert.Contains("does not tell them apart", Findings.SteeperSide(5, 5, 64, 1024), StringComparison.Ordinal);
    }

    [Fact]
    public void Smooth_targets_name_which_depth_won_on_each()
    {
        Assert.Contains("the single wide layer had the lowest loss.", Findings.SmoothTargets([("sinc", 1), ("cos", 1)], 1), StringComparison.Ordinal);
        Assert.Contains("a deeper network had the lowest loss as well (sinc (4 layers))", Findings.SmoothTargets([("sinc", 4)], 1),
            StringComparison.Ordinal);
        var mixed = Findings.SmoothTargets([("sinc", 4), ("cos", 1)], 1);
        Assert.Contains("on 1 of 2 (cos)", mixed, StringComparison.Ordinal);
        Assert.Contains("the others (sinc (4 layers))", mixed, StringComparison.Ordinal);
        Assert.Equal("", Findings.SmoothTargets([], 1));
    }

    [Theory]
    [InlineData(0.012, 0.004, 0.02, "1.2 points [0.4, 2] (paired by seed): depth generalised better here.")]
    [InlineData(-0.012, -0.02, -0.004, "-1.2 points [-2, -0.4] (paired by seed): depth generalised worse here.")]
    [InlineData(-0.0055, -0.1008, 0.0898, "-0.55 points [-10.08, 8.98] (paired by seed): the seeds do not separate them.")]
    public void Depth_between_the_mlps_is_decided_by_the_interval(double estimate, double low, double high, string ending)
    {
        var text = Findings.DepthBetweenMlps(new Interval(estimate, low, high, 5));
        Assert.StartsWith("Between the two MLPs, which differ only in depth,", text, StringComparison.Ordinal);
        Assert.EndsWith(ending, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cnn_above_the_better_mlp_is_said_to_beat_it()
    {
        var text = Findings.CnnAgainstMlp(new Interval(0.062, 0.0112, 0.1128, 2), "deep MLP");
        Assert.Contains("it beat the better MLP by 6.2 points [1.12, 11.28] of test accuracy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("did not beat", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cnn_below_the_better_mlp_is_said_to_fall_behind_it()
    {
        var text = Findings.CnnAgainstMlp(new Interval(-0.03, -0.05, -0.01, 5), "shallow MLP");
        Assert.Contains("the CNN fell behind the better MLP (shallow MLP) beyond the seeds' spread: -3 points [-5, -1]", text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("beat", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cnn_margin_across_zero_is_not_called_a_win()
    {
        var text = Findings.CnnAgainstMlp(new Interval(-0.0275, -0.1037, 0.0487, 2), "shallow MLP");
        Assert.Equal("Here the CNN did not beat the better MLP (shallow MLP) beyond the seeds' spread: -2.75 points [-10.37, 4.87].", text);
    }

    [Theory]
    [InlineData(1e-4, "; the intervals do not overlap.")]
    [InlineData(4e-4, "; the intervals overlap, so the seeds do not separate them.")]
    public void The_lowest_mse_says_whether_the_intervals_overlap(double bestHigh, string ending)
    {
        var text = Findings.LowestMse("sinc", "4-hidden-layer net", new Interval(4e-5, 1e-5, bestHigh, 3), "1-hidden-layer net",
            new Interval(2e-4, 1.5e-4, 3e-4, 3), 3);
        Assert.Contains("On sinc, the 4-hidden-layer net reached the lowest training MSE, 4E-5 [1E-5, ", text, StringComparison.Ordinal);
        Assert.Contains("(geometric mean over 3 seeds, 95% interval), 5 times lower than the 1-hidden-layer net's 2E-4 [1.5E-4, 3E-4]", text,
            StringComparison.Ordinal);
        Assert.EndsWith(ending, text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deepest_networks_wins_are_named_when_there_are_any()
    {
        Assert.Equal("With the parameter count held at about 571, the deepest network (4 hidden layers) had the lowest geometric-mean loss on 2 of " +
            "4 functions (sinc, sgn).",
            Findings.DeepestWins(571, 4, ["sinc", "sgn"], 4));
        Assert.Equal("With the parameter count held at about 571, the deepest network (4 hidden layers) had the lowest geometric-mean loss on 0 of " +
            "4 functions.",
            Findings.DeepestWins(571, 4, [], 4));
    }

    [Theory]
    [InlineData(1.12, 1.02, 1.24, "Same direction, weaker than reported: the whole interval lies below √167 = 12.9×")]
    [InlineData(30, 20, 45, "The effect reproduces at the size they report")]
    [InlineData(8, 2, 30, "the seeds do not decide")]
    [InlineData(0.8, 0.7, 0.9, "the large batch's minimum is the flatter one, against Keskar et al.")]
    [InlineData(1.05, 0.95, 1.15, "the seeds do not decide")]
    public void Keskars_ratio_is_judged_against_his_number_as_the_claim_is(double estimate, double low, double high, string verdict)
    {
        var text = Findings.KeskarRatio(1e-3, 500, 256, 2, new Interval(estimate, low, high, 2), 205.14 / 1.23);
        Assert.StartsWith("Keskar's comparison at ε = 1E-3: batch 500 against 256 gives a sharpness ratio of ", text, StringComparison.Ordinal);
        Assert.Contains("× over 2 seeds, against 167× in Keskar et al.'s Table 3 for F1. ", text, StringComparison.Ordinal);
        Assert.Contains(verdict, text, StringComparison.Ordinal);
        Assert.Single(new[] { "reproduces at the size", "weaker than reported", "flatter one", "do not decide" },
            w => text.Contains(w, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.6, 0.2, 0.85, "more sensitive models generalize worse, as Novak et al. found.")]
    [InlineData(-0.6, -0.85, -0.2, "here more sensitive models had the smaller gap, against Novak et al.'s finding.")]
    [InlineData(0.6, -0.1, 0.9, "no clear relation at this scale; the claims table gives its interval.")]
    [InlineData(-0.6, -0.9, 0.1, "no clear relation at this scale; the claims table gives its interval.")]
    [InlineData(-0.3, -0.5, -0.05, "here more sensitive models had the smaller gap, against Novak et al.'s finding.")]
    [InlineData(0.33, -0.055, 0.66, "no clear relation at this scale; the claims table gives its interval.")]
    public void Sensitivity_and_gap_are_read_by_the_interval_not_the_estimate(double rho, double low, double high, string verdict)
    {
        var text = Findings.SensitivityAndGap(40, new Interval(rho, low, high, 5));
        Assert.StartsWith("Across the 40 models the rank correlation between the Jacobian sensitivity and the generalization gap", text,
            StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"taken within each of the 5 seeds, averages {rho:0.##} [{low:0.##}, {high:0.##}]: "), text,
            StringComparison.Ordinal);
        Assert.EndsWith(verdict, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensitivity_and_gap_without_a_within_seed_correlation_say_so_and_print_no_number()
    {
        var text = Findings.SensitivityAndGap(40, null);
        Assert.Contains("cannot be taken within every seed", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\.\d", text);
    }

    [Theory]
    [InlineData(5.2, 3.1, 7.3, "rises to 5.2 [3.1, 7.3] times the worse endpoint's: the two minima lie in different basins, separated by a barrier.")]
    [InlineData(1.1, 1.02, 1.3, "stays within 1.1 [1.02, 1.3] times the worse endpoint's: no barrier separates the two solutions along this line.")]
    [InlineData(2.54, -10.77, 15.85, "peak training loss is 2.54 [-10.77, 15.85] times the worse endpoint's: the seeds do not agree on a barrier.")]
    public void A_barrier_between_the_minima_is_decided_by_the_interval_against_one_and_a_half(double estimate, double low, double high,
        string ending)
    {
        var text = Findings.Barrier(new Interval(estimate, low, high, 5));
        Assert.StartsWith("Between them the ", text, StringComparison.Ordinal);
        Assert.EndsWith(ending, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_centre_at_the_bottom_of_the_grid_is_called_the_bottom()
    {
        var text = Findings.BasinBottom(0.2482, 0.2482);
        Assert.Equal("At the trained weights the loss is 0.2482 and no point of the grid is lower: the trained point is the bottom of this plane.",
            text);
    }

    [Fact]
    public void A_grid_point_below_the_centre_moves_the_bottom_off_the_trained_point()
    {
        var text = Findings.BasinBottom(0.25, 0.24);
        Assert.Contains("the lowest grid point is 4.0 % lower (0.24)", text, StringComparison.Ordinal);
        Assert.Contains("the basin's bottom lies slightly off the trained point", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no point of the grid is lower", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.5, -0.7, -0.2, "points of lower loss are nearer to minima, as the course figure shows.")]
    [InlineData(0.5, 0.2, 0.7, "here it rises with loss, against the course figure.")]
    [InlineData(0.29, -0.42, 0.73, "no trend is decided at this number of points.")]
    public void The_minimal_ratios_trend_follows_its_interval(double rho, double low, double high, string verdict)
    {
        var text = Findings.MinimalRatioTrend(rho, low, high);
        Assert.Contains(FormattableString.Invariant($"Spearman's ρ = {rho:0.00} (95% interval [{low:0.00}, {high:0.00}]): "), text,
            StringComparison.Ordinal);
        Assert.EndsWith(verdict, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, 0.577, "random directions find higher loss more often than the eigenvalue count says")]
    [InlineData(0.4, 0.577, "random directions find higher loss less often than the eigenvalue count says")]
    [InlineData(0.5, 0.5, "random directions find higher loss as often as the eigenvalue count says")]
    public void The_sampled_fraction_is_compared_with_the_hessian_ratio(double sampled, double hessian, string comparison)
    {
        var text = Findings.SampledAgainstHessian(1000, sampled, hessian);
        var expected = FormattableString.Invariant(
            $"(fraction of 1000 nearby points with higher loss) averaged {sampled:0.###} against the Hessian ratio's {hessian:0.###}: ");
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Contains(comparison, text, StringComparison.Ordinal);
    }
}
