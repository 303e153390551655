using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

/// <summary>
/// Every branch of the sentences the function-fitting, error-surface and optimization-process experiments choose from their measurements,
/// on made-up numbers.
/// </summary>
public sealed class DescriptionFindingsTests
{
    private const StringComparison Exact = StringComparison.Ordinal;

    private const string Sgn = "sgn(sin(5πx))";

    private static readonly (string, double) Shallow = ("1-hidden-layer net (190)", 0.05);

    private static readonly (string, double) Middle = ("2-hidden-layer net (22-22)", 0.02);

    private static readonly (string, double) Deep = ("4-hidden-layer net (13-13-13-12)", 0.004);

    private const string WhyDepth = "A ReLU network is piecewise linear";

    [Fact]
    public void A_deeper_net_that_wins_beyond_the_seeds_spread_keeps_the_explanation_of_depth()
    {
        // The full profile's measured case: the paired interval 0.087 [0.008, 0.947] lies below 1.
        var text = Findings.DepthOnDiscontinuous(Sgn, ("4-hidden-layer net (13-13-13-12)", 0.004548), ("1-hidden-layer net (190)", 0.05237),
            ("4-hidden-layer net (13-13-13-12)", 0.004548), [0.00505 / 0.058, 0.00341 / 0.0559, 0.00103 / 0.0488, 0.00098 / 0.0494, 0.112 / 0.0504]);
        Assert.Equal("On the discontinuous sgn(sin(5πx)) the 4-hidden-layer net (13-13-13-12) was best, with 11.5 times less error than the " +
            "1-hidden-layer net (190). " +
                     "A ReLU network is piecewise linear; composing layers multiplies the number of linear pieces it can form per parameter, which " +
                     "matters most where " +
                     "the target bends or jumps sharply.", text);
    }

    [Fact]
    public void A_middle_depth_that_wins_while_the_deepest_beats_the_shallowest_keeps_the_explanation()
    {
        var text = Findings.DepthOnDiscontinuous(Sgn, Middle, Shallow, ("4-hidden-layer net (13-13-13-12)", 0.03), [0.5, 0.6, 0.7]);
        Assert.StartsWith("On the discontinuous sgn(sin(5πx)) the 2-hidden-layer net (22-22) was best, with 2.5 times less error than the " +
            "1-hidden-layer net (190).", text, Exact);
        Assert.Contains(WhyDepth, text, Exact);
    }

    [Fact]
    public void A_deeper_net_that_wins_on_the_mean_but_not_beyond_the_seeds_spread_does_not_explain_depth()
    {
        // The quick profile's seeds (from the snapshot, rounded): 191.5 times lower by geometric mean there, but the paired interval includes 1.
        var text = Findings.DepthOnDiscontinuous(Sgn, Deep, Shallow, Deep, [0.00472 / 0.074, 2.66e-6 / 0.079, 0.00449 / 0.0676]);
        Assert.StartsWith("On the discontinuous sgn(sin(5πx)) the 4-hidden-layer net (13-13-13-12) was best, with 12.5 times less error than the " +
            "1-hidden-layer net (190). ", text, Exact);
        Assert.Contains("Paired by seed, the 4-hidden-layer net (13-13-13-12)'s MSE is 0.005 [0, 269.983] times the 1-hidden-layer net (190)'s",
            text, Exact);
        Assert.EndsWith("the interval includes 1, so the seeds do not decide whether depth helps on this target.", text, Exact);
        Assert.DoesNotContain(WhyDepth, text, Exact);
    }

    [Fact]
    public void A_winning_shallow_net_is_named_and_compared_with_the_deepest_not_with_itself()
    {
        var text = Findings.DepthOnDiscontinuous(Sgn, ("1-hidden-layer net (190)", 0.01), ("1-hidden-layer net (190)", 0.01),
            ("4-hidden-layer net (13-13-13-12)", 0.04), [3, 4, 5]);
        Assert.StartsWith("On the discontinuous sgn(sin(5πx)) the 1-hidden-layer net (190) was best, with 4 times less error than the " +
            "4-hidden-layer net (13-13-13-12). ", text, Exact);
        Assert.Contains("above 1 beyond the seeds' spread: with the same parameters depth did not help on this target here", text, Exact);
        Assert.DoesNotContain("than the 1-hidden-layer net", text, Exact);
        Assert.DoesNotContain(WhyDepth, text, Exact);
    }

    [Fact]
    public void A_winning_shallow_net_within_the_seeds_spread_leaves_depth_undecided()
    {
        var text = Findings.DepthOnDiscontinuous(Sgn, ("1-hidden-layer net (190)", 0.01), ("1-hidden-layer net (190)", 0.01),
            ("4-hidden-layer net (13-13-13-12)", 0.012), [0.5, 1.2, 2.9]);
        Assert.Contains("the 1-hidden-layer net (190) was best, with 1.2 times less error than the 4-hidden-layer net (13-13-13-12).", text, Exact);
        Assert.Contains("the seeds do not decide whether depth helps", text, Exact);
        Assert.DoesNotContain(WhyDepth, text, Exact);
    }

    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.15 })]
    [InlineData(new[] { 0.1, 3.0, 0.15 })]
    [InlineData(new[] { 2.0, 3.0, 2.5 })]
    [InlineData(new[] { 0.999, 0.998 })]
    public void The_sentence_on_depth_follows_the_depth_claims_verdict_on_the_same_ratios(double[] ratios)
    {
        var claim = Statistic.GeometricMean("", "0.###").Below(1).Decide("", "", "", ratios);
        var text = Findings.DepthOnDiscontinuous(Sgn, Deep, Shallow, Deep, ratios);
        Assert.Equal(claim.Holds, text.Contains(WhyDepth, Exact));
        Assert.Equal(claim.Inconclusive, text.Contains("the seeds do not decide", Exact));
        Assert.Equal(!claim.Holds && !claim.Inconclusive, text.Contains("depth did not help", Exact));
    }

    private static readonly double[] Corners = [8.508, 12.1, 9.9, 16.799];

    private static readonly Interval MeanCorners = new(245.6, 180.2, 334.7, 5);

    [Fact]
    public void Walls_above_twice_the_centre_beyond_the_seeds_spread_rise_steeply()
    {
        var text = Findings.BasinWalls(0.0474, Corners, MeanCorners, [179.5, 150.2, 160.3, 140.8, 170.1], 2);
        Assert.Equal("Moving one filter-norm away in both directions (the corners) raises the loss to 8.508–16.799, on average 249.5 times the " +
            "centre's " +
                     "(over all 5 seeds, 245.6 [180.2, 334.7] times, geometric mean with its 95% interval): a basin whose walls rise steeply once " +
                     "the weights are perturbed by their own scale.", text);
    }

    [Fact]
    public void Walls_whose_interval_includes_twice_the_centre_are_left_undecided()
    {
        // Like the quick profile's measured case: two seeds, the lowest corner about 16 [0.8, 319.3] times the centre's.
        var text = Findings.BasinWalls(0.2482, [5.023, 7.901, 6.2, 7.1], new Interval(24.1, 7.7, 75.8, 2), [12.64, 20.25], 2);
        Assert.StartsWith("Moving one filter-norm away in both directions (the corners) raises the loss to 5.023–7.901, ", text, Exact);
        Assert.EndsWith("; the lowest corner's loss is 16 [0.8, 319.5] times the centre's (geometric mean over seeds with its 95% interval), an " +
            "interval that includes 2: " +
                        "the seeds do not decide whether the walls rise 2-fold on every side within the weights' own scale.", text, Exact);
        Assert.DoesNotContain("steeply", text, Exact);
    }

    [Fact]
    public void Walls_below_twice_the_centre_beyond_the_seeds_spread_do_not_rise_on_every_side()
    {
        var text = Findings.BasinWalls(1.0, [1.2, 1.5, 9, 12], new Interval(5.5, 4.9, 6.1, 3), [1.2, 1.3, 1.25], 2);
        Assert.Contains("raises the loss to 1.2–12", text, Exact);
        Assert.Contains("not above 2 beyond the seeds' spread", text, Exact);
        Assert.EndsWith("so the walls of this basin do not rise on every side at the weights' own scale.", text, Exact);
        Assert.DoesNotContain("steeply", text, Exact);
    }

    [Fact]
    public void Corners_below_or_around_the_centre_are_not_said_to_raise_the_loss()
    {
        Assert.Contains("(the corners) lowers the loss to 0.5–0.9,",
            Findings.BasinWalls(1.0, [0.5, 0.9, 0.6, 0.7], new Interval(0.7, 0.6, 0.8, 3), [0.5, 0.6, 0.55], 2), Exact);
        Assert.Contains("(the corners) takes the loss to 0.5–1.5,",
            Findings.BasinWalls(1.0, [0.5, 1.5, 0.6, 0.7], new Interval(0.8, 0.6, 1.1, 3), [0.5, 0.6, 0.55], 2), Exact);
    }

    [Theory]
    [InlineData(new[] { 179.5, 150.2, 160.3 })]
    [InlineData(new[] { 8.0, 32.0 })]
    [InlineData(new[] { 1.2, 1.3, 1.25 })]
    [InlineData(new[] { 2.0, 2.0, 2.0 })]
    public void The_sentence_on_the_walls_follows_the_walls_claims_verdict_on_the_same_ratios(double[] ratios)
    {
        var claim = Statistic.GeometricMean("", "0.#").Above(2).Decide("", "", "", ratios);
        var text = Findings.BasinWalls(1.0, [3, 4, 5, 6], new Interval(4.5, 4, 5, ratios.Length), ratios, 2);
        Assert.Equal(claim.Holds, text.Contains("walls rise steeply", Exact));
        Assert.Equal(claim.Inconclusive, text.Contains("the seeds do not decide", Exact));
        Assert.Equal(!claim.Holds && !claim.Inconclusive, text.Contains("do not rise on every side", Exact));
    }

    private static readonly (double, double)[] CloseFinals =
        [(0.9954, 0.9697), (0.9989, 0.9749), (0.998, 0.975), (0.997, 0.973), (0.995, 0.971), (0.999, 0.973), (0.995, 0.97), (0.997, 0.973)];

    [Fact]
    public void Distinct_ends_with_test_accuracies_within_the_tolerance_solve_the_task_equally_well()
    {
        var text = Findings.EventEnds(8, CloseFinals, 10_000, 5, closestEnds: 6.42, meanTravel: 4.1);
        Assert.Equal("Every event starts from its own random initialisation and travels its own path; 8 of 8 move steadily away from their start, " +
            "and they end at different " +
                     "points of weight space (the closest two ends 6.42 apart, each end on average 4.1 from its start) with training accuracy " +
                     "99.50 " +
                     "% to 99.90 % and test accuracy " +
                     "96.97 % to 97.50 %, a spread of 0.53 points, within 5 binomial standard errors of one accuracy on the 10,000 test images " +
                     "(0.82 points): " +
                     "many different weights solve the task equally well.", text);
    }

    [Fact]
    public void Test_accuracies_spread_beyond_the_tolerance_are_not_said_to_solve_the_task_equally_well()
    {
        var text = Findings.EventEnds(3, [(0.99, 0.95), (0.995, 0.975), (0.99, 0.96)], 10_000, 5, closestEnds: 6.42, meanTravel: 4.1);
        Assert.Contains("3 of 3 move steadily away", text, Exact);
        Assert.Contains("a spread of 2.5 points, more than 5 binomial standard errors of one accuracy on the 10,000 test images (0.96 points)", text,
            Exact);
        Assert.EndsWith(": different weights solve the task, but not equally well at the test set's resolution.", text, Exact);
        Assert.DoesNotContain("many different weights", text, Exact);
    }

    [Theory]
    [InlineData(0.975, "within 5 binomial")]
    [InlineData(0.90, "more than 5 binomial")]
    public void Ends_at_the_same_weights_are_not_called_different(double secondTest, string tolerance)
    {
        var text = Findings.EventEnds(2, [(0.99, 0.97), (0.99, secondTest)], 10_000, 5, closestEnds: 0, meanTravel: 4.1);
        Assert.Contains("and at least two of them end at the same weights (each end on average 4.1 from its start)", text, Exact);
        Assert.Contains(tolerance, text, Exact);
        Assert.DoesNotContain("different", text, Exact);
        Assert.EndsWith(").", text, Exact);
    }

    [Fact]
    public void Ends_of_a_single_event_are_not_compared()
    {
        Assert.Throws<ArgumentException>(() => Findings.EventEnds(1, [(0.99, 0.97)], 10_000, 5, closestEnds: 0, meanTravel: 4.1));
    }

    [Fact]
    public void The_first_cycle_that_moves_farthest_while_the_loss_falls_fastest_is_said_to()
    {
        Assert.Equal("On average 30 % of each path's length (whole-model plane) is covered in the first 3 epochs, while the loss falls fastest.",
            Findings.EarlyMovement(0.3, 3, 8, 8, 8));
    }

    [Fact]
    public void A_later_cycle_that_moves_farther_is_named()
    {
        var text = Findings.EarlyMovement(0.3, 3, 8, 8, 5);
        Assert.Equal("On average 30 % of each path's length (whole-model plane) is covered in the first 3 epochs, while the loss falls fastest; " +
                     "but in 3 of 8 events a later cycle moved the weights farther in this plane.", text);
    }

    [Theory]
    [InlineData(6, 8, "the loss fell fastest in those epochs in 6 of 8 events, and the weights moved farthest in them in 8 of 8.")]
    [InlineData(0, 2, "the loss fell fastest in those epochs in 0 of 8 events, and the weights moved farthest in them in 2 of 8.")]
    public void A_first_cycle_that_is_not_always_the_steepest_fall_is_counted_not_asserted(int lossFirst, int stepFirst, string ending)
    {
        var text = Findings.EarlyMovement(0.66, 3, 8, lossFirst, stepFirst);
        Assert.StartsWith("On average 66 % of each path's length (whole-model plane) is covered in the first 3 epochs; ", text, Exact);
        Assert.EndsWith(ending, text, Exact);
        Assert.DoesNotContain("while the loss falls fastest", text, Exact);
    }
}
