using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(new[] { 3.0, 1, 2 }, 2.0)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 2.5)]
    [InlineData(new[] { 7.0 }, 7.0)]
    public void Median_is_the_middle_value_or_the_mean_of_the_two_middle_ones(double[] values, double expected) =>
        Assert.Equal(expected, Statistics.Median(values));

    [Fact]
    public void Spearman_is_one_for_any_increasing_relation_and_minus_one_for_a_decreasing_one()
    {
        double[] x = [1, 2, 3, 4, 5];
        Assert.Equal(1.0, Statistics.Spearman(x, x.Select(v => Math.Exp(v)).ToArray()), 12);
        Assert.Equal(-1.0, Statistics.Spearman(x, x.Select(v => -v * v).ToArray()), 12);
    }

    [Fact]
    public void Spearman_matches_the_textbook_formula_without_ties()
    {
        // 1 - 6 Σd² / (n(n² - 1)) with ranks (1,2,3,4,5) and (2,1,4,3,5): Σd² = 4, so 1 - 24/120 = 0.8.
        Assert.Equal(0.8, Statistics.Spearman([10, 20, 30, 40, 50], [2, 1, 4, 3, 5]), 12);
    }

    [Fact]
    public void Samples_of_different_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => Statistics.Spearman([1, 2, 3], [1, 2]));

    [Fact]
    public void The_bootstrap_interval_of_a_strong_trend_excludes_zero_and_is_the_same_every_run()
    {
        double[] x = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        double[] y = x.Select(v => v + (7 * Math.Sin(v * 1.7))).ToArray();
        var (low, high) = Statistics.SpearmanInterval(x, y, seed: 3);
        Assert.True(low > 0.5 && high <= 1, $"[{low}, {high}]");
        Assert.Equal((low, high), Statistics.SpearmanInterval(x, y, seed: 3));
    }

    [Fact]
    public void The_bootstrap_interval_of_unrelated_samples_includes_zero()
    {
        double[] x = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        double[] y = x.Select(v => Math.Sin(v * 12.9898) * 43758.5453 % 1).ToArray();
        var (low, high) = Statistics.SpearmanInterval(x, y, seed: 3);
        Assert.True(low < 0 && high > 0, $"[{low}, {high}]");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.5)]
    [InlineData(1.0, 4.0)]
    [InlineData(0.25, 1.75)]
    public void Quantiles_interpolate_between_sorted_values(double p, double expected) =>
        Assert.Equal(expected, Statistics.Quantile([1, 2, 3, 4], p), 12);

    /// <summary>t(0.975, 4) from any table of Student's t: 2.7764451.</summary>
    private const double T4 = 2.7764451051977987;

    [Fact]
    public void The_mean_interval_is_the_textbook_t_interval()
    {
        var interval = Statistics.MeanInterval([1, 2, 3, 4, 5]);
        double half = T4 * Math.Sqrt(2.5) / Math.Sqrt(5);
        Assert.Equal(3, interval.Estimate, 12);
        Assert.Equal(3 - half, interval.Low, 9);
        Assert.Equal(3 + half, interval.High, 9);
        Assert.Equal(5, interval.Count);
    }

    [Fact]
    public void A_paired_difference_is_the_interval_of_the_differences() =>
        Assert.Equal(Statistics.MeanInterval([1, 2, 3, 4, 5]), Statistics.PairedDifference([2, 4, 6, 8, 10], [1, 2, 3, 4, 5]));

    [Fact]
    public void An_interval_needs_two_values() =>
        Assert.Throws<ArgumentException>(() => Statistics.MeanInterval([1]));

    [Fact]
    public void An_interval_of_logs_reads_as_a_ratio()
    {
        var ratio = new Interval(Math.Log(100), Math.Log(10), Math.Log(1000), 5).Exp();
        Assert.Equal("100 [10, 1000]", ratio.Format("0"));
    }

    [Fact]
    public void Tied_values_share_the_average_of_their_ranks()
    {
        Assert.Equal([1.0, 2.5, 2.5, 4.0], Statistics.Ranks([10, 20, 20, 30]));
        Assert.Equal([2.0, 2.0, 2.0], Statistics.Ranks([7, 7, 7]));
        Assert.Equal([3.0, 1.0, 2.0], Statistics.Ranks([0.3, -1, 0]));
    }

    [Fact]
    public void Spearman_with_ties_matches_the_textbook_value()
    {
        // Ranks (1, 2.5, 2.5, 4) against (1, 3, 2, 4): Pearson of the ranks is 4.5 / √(4.5 · 5) = 3/√10 (scipy.stats.spearmanr gives 0.948683...).
        Assert.Equal(3 / Math.Sqrt(10), Statistics.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), 12);
        // Ties on both sides: (1.5, 1.5, 3.5, 3.5) against (1, 2, 3, 4): 4 / √(4 · 5).
        Assert.Equal(2 / Math.Sqrt(5), Statistics.Spearman([5, 5, 9, 9], [1, 2, 3, 4]), 12);
    }

    [Fact]
    public void A_sample_without_spread_has_no_rank_correlation()
    {
        // Ranking identical values by their position would give a number (the old behaviour gave 1 here); it is undefined.
        Assert.True(double.IsNaN(Statistics.Spearman([1, 1, 1, 1], [1, 2, 3, 4])));
        // A diverged model's NaN has no rank: it would otherwise sort first and give a number.
        Assert.True(double.IsNaN(Statistics.Spearman([1, double.NaN, 3, 4], [1, 2, 3, 4])));
        Assert.False(Statistics.HasSpread([1, double.NaN, 3]));
        Assert.False(Statistics.HasSpread([0.25, 0.25, 0.25]));
        Assert.True(Statistics.HasSpread([0.25, 0.25, 0.5]));
        Assert.False(Statistics.HasSpread([3.0]));
    }

    [Fact]
    public void Within_seed_correlations_are_averaged_with_a_t_interval_over_seeds()
    {
        // Three seeds of four models: ρ = 1, 0.8 and −0.4 within them.
        double[] x = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
        double[] y = [1, 2, 3, 4, 2, 1, 4, 3 + 2, 2, 1, 3, 0.5];
        long[] seeds = [7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9];
        var perSeed = new[] { Statistics.Spearman([1, 2, 3, 4], [1, 2, 3, 4]), Statistics.Spearman([1, 2, 3, 4], [2, 1, 4, 5]),
            Statistics.Spearman([1, 2, 3, 4], [2, 1, 3, 0.5]) };
        var interval = Statistics.SpearmanOverSeeds(x, y, seeds)!;
        var t = Statistics.MeanInterval(perSeed);
        // Three seeds this far apart reach past ±1 with 2 degrees of freedom; a correlation's interval stops there.
        Assert.True(t.Low < -1 && t.High > 1, t.Format());
        Assert.Equal(t with { Low = -1, High = 1 }, interval);
        Assert.Equal(3, interval.Count);
        Assert.Equal((1 + 0.8 - 0.4) / 3, interval.Estimate, 12);
        Assert.Equal(perSeed, Statistics.SpearmanPerSeed(x, y, seeds));
    }

    [Fact]
    public void Within_seed_correlation_is_undecidable_without_spread_in_a_seed_or_with_one_seed()
    {
        Assert.Null(Statistics.SpearmanOverSeeds([1, 2, 3, 1, 2, 3], [5, 5, 5, 1, 2, 3], [1, 1, 1, 2, 2, 2]));
        Assert.Null(Statistics.SpearmanOverSeeds([1, 2, 3], [1, 2, 3], [1, 1, 1]));
        Assert.Null(Statistics.SpearmanPerSeed([1, 2, 3, 1, 2, 3], [5, 5, 5, 1, 2, 3], [1, 1, 1, 2, 2, 2]));
        Assert.Equal([1.0], Statistics.SpearmanPerSeed([1, 2, 3], [1, 2, 3], [1, 1, 1]));
    }
}
