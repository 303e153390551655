using HW1.Research.Analysis;
using HW1.Research.Artifacts;
using HW1.Research.Reporting;

namespace HW1.Research.Tests.Reporting;

/// <summary>Every branch of the sentences the parameters, random-label and gradient-norm experiments choose from their seeds' intervals, on made-up
/// numbers.</summary>
public sealed class ReplicatedFindingsTests
{
    private const StringComparison Exact = StringComparison.Ordinal;

    [Fact]
    public void An_interval_within_the_margin_says_over_parameterization_costs_nothing()
    {
        var text = Findings.OverParameterization(new Interval(0.001, -0.002, 0.004, 5), margin: 0.005, largestWidth: 2048, bestSmallerWidth: 512);
        Assert.Contains("cost no test accuracy beyond the test set's resolution (within 0.5 points)", text, Exact);
        Assert.Contains("width 2048 against width 512, the best smaller width: 0.1 points [-0.2, 0.4]", text, Exact);
        Assert.Contains("Neyshabur et al. 2015", text, Exact);
    }

    [Fact]
    public void An_interval_below_the_margin_says_the_widest_networks_overfit()
    {
        var text = Findings.OverParameterization(new Interval(-0.02, -0.03, -0.01, 5), margin: 0.005, largestWidth: 2048, bestSmallerWidth: 512);
        Assert.Contains("cost test accuracy beyond the test set's resolution", text, Exact);
        Assert.Contains("began to overfit", text, Exact);
        Assert.DoesNotContain("keep generalizing", text, Exact);
    }

    [Fact]
    public void An_interval_across_the_margin_says_the_seeds_do_not_decide_the_cost()
    {
        var text = Findings.OverParameterization(new Interval(-0.004, -0.01, 0.002, 3), margin: 0.005, largestWidth: 1024, bestSmallerWidth: 256);
        Assert.StartsWith("The seeds do not decide whether the extra parameters cost test accuracy", text, Exact);
    }

    [Theory]
    [InlineData(-0.005, 0.005, "stayed at chance")]
    [InlineData(0.02, 0.04, "above chance beyond ±1.5 points")]
    [InlineData(-0.04, -0.02, "below chance beyond ±1.5 points")]
    [InlineData(-0.01, 0.03, "The seeds do not decide whether test accuracy stays within ±1.5 points")]
    public void The_random_label_sentence_follows_where_the_interval_lies_against_the_margin(double low, double high, string expected)
    {
        var text = Findings.RandomLabelTransfer(new Interval((low + high) / 2, low, high, 5), margin: 0.015, meanChance: 0.1004);
        Assert.Contains(expected, text, Exact);
        Assert.Contains("chance averaging 10.04%", text, Exact);
    }

    [Fact]
    public void Memorization_on_every_seed_quotes_zhang_and_on_some_says_only_in_part()
    {
        Assert.StartsWith("This is Zhang et al. 2017's finding", Findings.Memorization(5, 5), Exact);
        Assert.StartsWith("Only 3 of 5 seeds memorized", Findings.Memorization(3, 5), Exact);
    }

    [Theory]
    [InlineData(0.5, 0.7, "The mini-batch gradient norm does not shrink toward zero")]
    [InlineData(0.01, 0.05, "shrank by more than a factor 10")]
    [InlineData(0.05, 0.3, "The seeds do not decide whether the mini-batch gradient norm shrinks by more than a factor 10")]
    public void The_gradient_norm_sentence_follows_where_the_ratio_lies_against_the_floor(double low, double high, string expected)
    {
        var text = Findings.GradientNormTrend(new Interval(Math.Sqrt(low * high), low, high, 5), new Interval(0.15, 0.14, 0.16, 5), floor: 0.1);
        Assert.Contains(expected, text, Exact);
        Assert.Contains("the mini-batch loss changed 0.15× [0.14, 0.16]", text, Exact);
        // A mini-batch norm cannot show a critical point; the sentence draws no conclusion about one.
        Assert.DoesNotContain("critical point", text.Replace("whether the full-batch gradient approaches zero", "", StringComparison.Ordinal), Exact);
    }

    [Theory]
    [InlineData(0.4, 0.6, "found one: 0.49× [0.4, 0.6]")]
    [InlineData(0.92, 0.99, "found none flatter by the rule's margin")]
    [InlineData(0.8, 0.95, "the seeds do not decide whether that is flatter")]
    public void The_orbit_sentence_follows_where_the_flattest_ratio_lies_against_the_threshold(double low, double high, string expected)
    {
        var text = Findings.OrbitFlattening(new Interval(Math.Round(Math.Sqrt(low * high), 2), low, high, 5), threshold: 0.9, converged: 5, seeds: 5);
        Assert.Contains(expected, text, Exact);
        Assert.Contains("over 5 seeds, the search converging on 5", text, Exact);
    }
}
