using HW1.Research.Figures;

namespace HW1.Research.Tests.Reporting;

public sealed class NumberTextTests
{
    [Theory]
    [InlineData("at ε = 1E-3", "at ε = 10⁻³")]
    [InlineData("9.357E-05 beside 0.0001059", "9.357×10⁻⁵ beside 0.0001059")]
    [InlineData("at most 3.7E-7", "at most 3.7×10⁻⁷")]
    [InlineData("sharper by 1.5E+2 times", "sharper by 1.5×10² times")]
    [InlineData("a loss of -2E-4", "a loss of -2×10⁻⁴")]
    [InlineData("2.5E0", "2.5")]
    [InlineData("[1E-3, 5E-4]", "[10⁻³, 5×10⁻⁴]")]
    public void Numbers_in_e_notation_are_written_as_powers_of_ten(string text, string typeset) =>
        Assert.Equal(typeset, NumberText.Typeset(text));

    [Theory]
    [InlineData("digest 8a5c0c466e0f6495E12")] // part of an identifier
    [InlineData("AVX-512F and E5-2680")] // names, not numbers
    [InlineData("MSB3026 and 3E")] // no exponent
    [InlineData("version 1.2E-3.4")] // a dotted run of digits is not one number
    public void Text_that_is_not_a_number_in_e_notation_is_left_alone(string text) =>
        Assert.Equal(text, NumberText.Typeset(text));
}
