using HW1.Research.Training;
using Newtonsoft.Json.Linq;

namespace HW1.Experiments.Infrastructure;

public class ResultSnapshotTests
{
    [Fact]
    public void Snapshots_are_kept_per_profile()
    {
        var quick = ResultSnapshot.FullName(Profile.Quick);
        var full = ResultSnapshot.FullName(Profile.Full);
        Assert.Equal("ResultSnapshotTests.Snapshots_are_kept_per_profile_quick.snap", quick.Filename);
        Assert.Equal("ResultSnapshotTests.Snapshots_are_kept_per_profile_full.snap", full.Filename);

        // Both committed files hold different values: each profile is checked against its own.
        ResultSnapshot.Match(new { Profile = "quick", Epochs = 2, Accuracy = 0.91 }, Profile.Quick, seedOffset: 0);
        ResultSnapshot.Match(new { Profile = "full", Epochs = 30, Accuracy = 0.98 }, Profile.Full, seedOffset: 0);
        Assert.True(File.Exists(ResultSnapshot.PathOf(quick)));
        Assert.True(File.Exists(ResultSnapshot.PathOf(full)));
    }

    [Fact]
    public void Values_are_rounded_to_three_significant_digits_before_matching()
    {
        // Both differ from the committed 0.123 / 45600 only beyond the third significant digit.
        ResultSnapshot.Match(new { Loss = 0.123449, Large = 45612.0, Count = 60000 }, Profile.Quick, seedOffset: 0);
        ResultSnapshot.Match(new { Loss = 0.12301, Large = 45589.7, Count = 60000 }, Profile.Quick, seedOffset: 0);

        var rounded = ResultSnapshot.Rounded(new { Loss = 0.123449, Nested = new[] { new { A = 0.98765f } }, Count = 60000 });
        Assert.Equal(0.123, rounded["Loss"]!.Value<double>());
        Assert.Equal(0.988, rounded["Nested"]![0]!["A"]!.Value<double>());
        Assert.Equal(JTokenType.Integer, rounded["Count"]!.Type);
        Assert.NotEqual(rounded["Loss"]!.Value<double>(), ResultSnapshot.Rounded(new { Loss = 0.133449 })["Loss"]!.Value<double>());
    }

    [Fact]
    public void A_missing_snapshot_fails_in_ci_and_writes_nothing()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test needs it absent.");

        var e = Assert.Throws<SnapshotMissingException>(() => ResultSnapshot.Match(new { Value = 1.0 }, Profile.Quick, ci: true, seedOffset: 0));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("CI=true", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_missing_snapshot_is_written_outside_ci()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Full));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test needs it absent.");
        try
        {
            ResultSnapshot.Match(new { Value = 0.123456 }, Profile.Full, ci: false, seedOffset: 0);
            Assert.Contains("0.123", File.ReadAllText(path), StringComparison.Ordinal);
            Assert.DoesNotContain("0.1234", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Metrics whose 4th significant digit is 1. Rounding to 3 digits moves a value only when its 4th digit crosses 5,
    /// so raising that digit to 4 (<see cref="FourthDigitChanged"/>) cannot cross a rounding boundary; raising the 2nd
    /// digit by one (<see cref="SecondDigitChanged"/>) changes the rounded value whatever the later digits.
    /// </summary>
    private static readonly Dictionary<string, double> Committed = new()
    {
        ["accuracy"] = 0.9121,
        ["loss"] = 0.04371,
        ["large"] = 45610.0,
        ["tiny"] = 3.141e-5,
    };

    private static readonly Dictionary<string, double> FourthDigitChanged = new()
    {
        ["accuracy"] = 0.9124,
        ["loss"] = 0.04374,
        ["large"] = 45640.0,
        ["tiny"] = 3.144e-5,
    };

    private static readonly Dictionary<string, double> SecondDigitChanged = new()
    {
        ["accuracy"] = 0.9221,
        ["loss"] = 0.04471,
        ["large"] = 46610.0,
        ["tiny"] = 3.241e-5,
    };

    private static Dictionary<string, double> With(string key, Dictionary<string, double> source) =>
        Committed.ToDictionary(p => p.Key, p => p.Key == key ? source[key] : p.Value);

    [Fact]
    public void A_change_in_the_fourth_significant_digit_keeps_the_snapshot_a_change_in_the_second_does_not()
    {
        foreach (var key in Committed.Keys)
        {
            var fourth = With(key, FourthDigitChanged);
            var second = With(key, SecondDigitChanged);
            // Unrounded, the 4th-digit change is a difference: the equality below comes from the rounding alone.
            Assert.False(JToken.DeepEquals(JToken.FromObject(Committed), JToken.FromObject(fourth)), key);
            Assert.True(JToken.DeepEquals(ResultSnapshot.Rounded(Committed), ResultSnapshot.Rounded(fourth)), key);
            Assert.False(JToken.DeepEquals(ResultSnapshot.Rounded(Committed), ResultSnapshot.Rounded(second)), key);
        }

        // The same through the committed snapshot file, which holds the committed values rounded to 3 digits.
        ResultSnapshot.Match(Committed, Profile.Quick, seedOffset: 0);
        ResultSnapshot.Match(FourthDigitChanged, Profile.Quick, seedOffset: 0);
        var fullName = ResultSnapshot.FullName(Profile.Quick);
        var mismatch = Path.Combine(fullName.FolderPath, "__snapshots__", "__mismatch__", fullName.Filename);
        try
        {
            foreach (var key in Committed.Keys)
                Assert.Throws<Xunit.Sdk.EqualException>(() => ResultSnapshot.Match(With(key, SecondDigitChanged), Profile.Quick, seedOffset: 0));
        }
        finally
        {
            File.Delete(mismatch);
            var folder = Path.GetDirectoryName(mismatch)!;
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
    }

    [Fact]
    public void With_a_seed_offset_nothing_is_compared_or_written_and_the_skip_is_logged()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test needs it absent.");
        var lines = new List<string>();

        // Without the offset this call fails (see A_missing_snapshot_fails_in_ci_and_writes_nothing).
        ResultSnapshot.Match(new { Value = 1.0 }, Profile.Quick, ci: true, seedOffset: 1000, log: lines.Add);

        Assert.False(File.Exists(path));
        Assert.Contains("Snapshot not compared: seeds are shifted by HW1_SEED_OFFSET=1000", Assert.Single(lines), StringComparison.Ordinal);
        Assert.Throws<SnapshotMissingException>(() => ResultSnapshot.Match(new { Value = 1.0 }, Profile.Quick, ci: true, seedOffset: 0));
    }
}
