using HW1.Research.Training;

namespace HW1.Research.Tests;

public sealed class RunSettingsTests
{
    private static RunSettings Read(params (string Variable, string? Value)[] set) =>
        RunSettings.Read(name => set.FirstOrDefault(v => v.Variable == name).Value);

    [Fact]
    public void Unset_variables_give_the_documented_defaults()
    {
        var settings = Read();
        Assert.Same(Profile.Quick, settings.Profile);
        Assert.Equal(0, settings.SeedOffset);
        Assert.Null(settings.Threads);
        Assert.Equal(KernelMode.Pinned, settings.Kernels);
        Assert.Equal(Path.Combine(RepoPaths.Root, "data"), settings.DataDir);
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts"), settings.ArtifactsDir);
        Assert.Equal("own", settings.ThreadsKeyText);
    }

    [Fact]
    public void Every_setting_is_read_from_its_variable()
    {
        var settings = Read(("HW1_PROFILE", "full"), ("HW1_SEED_OFFSET", "-3"), ("HW1_THREADS", "1"), ("HW1_KERNELS", "native"),
            ("HW1_DATA_DIR", "/tmp/d"), ("HW1_ARTIFACTS_DIR", "/tmp/a"));
        Assert.Same(Profile.Full, settings.Profile);
        Assert.Equal(-3, settings.SeedOffset);
        Assert.Equal(1, settings.Threads);
        Assert.Equal(KernelMode.Native, settings.Kernels);
        Assert.Equal("/tmp/d", settings.DataDir);
        Assert.Equal("/tmp/a", settings.ArtifactsDir);
        Assert.Equal("HW1_THREADS=1", settings.ThreadsKeyText);
    }

    [Theory]
    [InlineData("HW1_PROFILE", "fast")]
    [InlineData("HW1_SEED_OFFSET", "ten")]
    [InlineData("HW1_THREADS", "0")]
    [InlineData("HW1_KERNELS", "fastest")]
    public void A_malformed_value_is_an_error_naming_its_variable_and_value(string variable, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Read((variable, value)));
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_usage_guide_lists_every_setting_with_its_default()
    {
        // docs/usage.md's settings table is the one place a user reads them; it must name each variable and its default as RunSettings does.
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "usage.md"));
        foreach (var setting in RunSettings.All)
        {
            var row = guide.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{setting.Variable}` |", StringComparison.Ordinal));
            Assert.True(row != null, $"docs/usage.md has no settings row for {setting.Variable}");
            Assert.Contains(setting.Default, row, StringComparison.Ordinal);
        }
    }
}
