using HW1.Research.Analysis;

namespace HW1.Research.Tests.Analysis;

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
}
