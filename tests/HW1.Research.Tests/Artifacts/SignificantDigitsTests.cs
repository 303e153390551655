using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public class SignificantDigitsTests
{
    [Theory]
    [InlineData(0.123456, 3, 0.123)]
    [InlineData(0.98765, 3, 0.988)]
    [InlineData(12345.0, 3, 12300.0)]
    [InlineData(-0.0004567, 2, -0.00046)]
    [InlineData(0.1235, 3, 0.123)] // the stored double is 0.12349999..., so it rounds down
    [InlineData(0.125, 2, 0.12)] // an exact tie rounds half to even
    [InlineData(0.375, 2, 0.38)]
    [InlineData(0.0, 3, 0.0)]
    public void Rounds_to_significant_digits(double value, int digits, double expected) =>
        Assert.Equal(expected, SignificantDigits.Round(value, digits));

    [Fact]
    public void Non_finite_values_pass_through()
    {
        Assert.True(double.IsNaN(SignificantDigits.Round(double.NaN)));
        Assert.Equal(double.PositiveInfinity, SignificantDigits.Round(double.PositiveInfinity));
    }

    [Fact]
    public void A_change_in_the_fifth_digit_vanishes_a_change_in_the_second_does_not()
    {
        Assert.Equal(SignificantDigits.Round(0.97312), SignificantDigits.Round(0.97314));
        Assert.NotEqual(SignificantDigits.Round(0.97312), SignificantDigits.Round(0.96312));
    }

    [Fact]
    public void Digits_out_of_range_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SignificantDigits.Round(1.0, 0));
}
