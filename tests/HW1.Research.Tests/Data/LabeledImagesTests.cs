using HW1.Research.Data;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Data;

public class LabeledImagesTests
{
    private static LabeledImages Ten() =>
        new(arange(10, dtype: ScalarType.Float32).reshape(10, 1, 1), arange(10, dtype: ScalarType.Int64), classes: 10);

    [Fact]
    public void A_slice_holds_the_examples_after_the_first_ones_and_shares_nothing_with_them()
    {
        using var all = Ten();
        using var first = all.Take(4);
        using var heldOut = all.Slice(4, 3);
        Assert.Equal(3, heldOut.Count);
        Assert.Equal([4L, 5, 6], heldOut.Labels.data<long>().ToArray());
        Assert.Empty(first.Labels.data<long>().ToArray().Intersect(heldOut.Labels.data<long>().ToArray()));
    }

    [Theory]
    [InlineData(8, 3)] // runs past the end
    [InlineData(-1, 2)]
    [InlineData(2, 0)]
    public void A_slice_outside_the_set_is_an_error_that_names_the_range(long start, long count)
    {
        using var all = Ten();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => all.Slice(start, count));
        Assert.Contains("do not lie within the 10 examples", error.Message, StringComparison.Ordinal);
    }
}
