using HW1.Research.Training;

namespace HW1.Research.Tests.Training;

public class ProfileTests
{
    [Theory]
    [InlineData(null, "quick")]
    [InlineData("", "quick")]
    [InlineData("quick", "quick")]
    [InlineData(" FULL ", "full")]
    public void Valid_values_select_a_profile(string? value, string expected) =>
        Assert.Equal(expected, Profile.FromEnvironment(value).Name);

    [Fact]
    public void An_unknown_profile_names_the_value_the_source_and_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Profile.FromEnvironment("fast"));
        Assert.Equal("Unknown profile 'fast' in environment variable HW1_PROFILE. Valid profiles: quick, full.", e.Message);
    }

    [Fact]
    public void Pick_follows_the_profile()
    {
        Assert.Equal(1, Profile.Quick.Pick(1, 2));
        Assert.Equal(2, Profile.Full.Pick(1, 2));
    }
}
