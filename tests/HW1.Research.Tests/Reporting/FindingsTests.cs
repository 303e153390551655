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
        Assert.Contains("a deeper network had the lowest loss as well (sinc (4 layers))", Findings.SmoothTargets([("sinc", 4)], 1), StringComparison.Ordinal);
        var mixed = Findings.SmoothTargets([("sinc", 4), ("cos", 1)], 1);
        Assert.Contains("on 1 of 2 (cos)", mixed, StringComparison.Ordinal);
        Assert.Contains("the others (sinc (4 layers))", mixed, StringComparison.Ordinal);
        Assert.Equal("", Findings.SmoothTargets([], 1));
    }
}
