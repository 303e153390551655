using System.Text.Json.Nodes;
using HW1.Research;

namespace HW1.Experiments.Infrastructure;

public class ResultSnapshotTests
{
    /// <summary>The settings of a run of <paramref name="profile"/> with no variable set but the seed offset.</summary>
    private static RunSettings Run(Profile profile, long seedOffset = 0) =>
        RunSettings.Read(_ => null) with { Profile = profile, SeedOffset = seedOffset };

    [Fact]
    public void Snapshots_are_kept_per_profile()
    {
        var quick = ResultSnapshot.FullName(Profile.Quick);
        var full = ResultSnapshot.FullName(Profile.Full);
        Assert.Equal("ResultSnapshotTests.Snapshots_are_kept_per_profile_quick.snap", quick.Filename);
        Assert.Equal("ResultSnapshotTests.Snapshots_are_kept_per_profile_full.snap", full.Filename);

        // Both committed files hold different values: each profile is checked against its own.
        ResultSnapshot.Match(new { Profile = "quick", Epochs = 2, Accuracy = 0.91 }, Run(Profile.Quick));
        ResultSnapshot.Match(new { Profile = "full", Epochs = 30, Accuracy = 0.98 }, Run(Profile.Full));
        Assert.True(File.Exists(ResultSnapshot.PathOf(quick)));
        Assert.True(File.Exists(ResultSnapshot.PathOf(full)));
    }

    [Fact]
    public void Values_are_rounded_to_three_significant_digits_before_matching()
    {
        // Both differ from the committed 0.123 / 45600 only beyond the third significant digit.
        ResultSnapshot.Match(new { Loss = 0.123449, Large = 45612.0, Count = 60000 }, Run(Profile.Quick));
        ResultSnapshot.Match(new { Loss = 0.12301, Large = 45589.7, Count = 60000 }, Run(Profile.Quick));

        var rounded = ResultSnapshot.Rounded(new { Loss = 0.123449, Nested = new[] { new { A = 0.98765f } }, Count = 60000 });
        Assert.Equal(0.123, rounded!["Loss"]!.GetValue<double>());
        Assert.Equal(0.988, rounded["Nested"]![0]!["A"]!.GetValue<double>());
        Assert.Equal("60000", rounded["Count"]!.ToJsonString());
        Assert.NotEqual(rounded["Loss"]!.GetValue<double>(), ResultSnapshot.Rounded(new { Loss = 0.133449 })!["Loss"]!.GetValue<double>());
    }

    private sealed record WithCurve(double Final, [property: SnapshotIgnore] double[] Curve);

    private struct WithFields
    {
        public double Rate;
        public int Steps;
    }

    [Fact]
    public void A_member_marked_SnapshotIgnore_is_left_out_of_the_snapshot_but_kept_in_the_stored_result()
    {
        var result = new WithCurve(0.123456, [1.0, 0.5, 0.25]);

        var rounded = ResultSnapshot.Rounded(result)!.AsObject();

        Assert.Equal(["Final"], rounded.Select(p => p.Key));
        Assert.Equal(0.123, rounded["Final"]!.GetValue<double>());
        // The stored result (System.Text.Json, the pipeline's own options) keeps the curve the figures draw.
        Assert.Contains("\"Curve\":[1,0.5,0.25]", System.Text.Json.JsonSerializer.Serialize(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Public_fields_are_snapshotted_like_properties_and_values_json_cannot_hold_are_written_as_strings()
    {
        var fields = ResultSnapshot.Rounded(new WithFields { Rate = 0.0012345, Steps = 7 })!;
        Assert.Equal(0.00123, fields["Rate"]!.GetValue<double>());
        Assert.Equal(7, fields["Steps"]!.GetValue<int>());

        // An undefined mean (no point counted) is kept as the string JSON allows, as the committed snapshots hold it.
        var undefined = ResultSnapshot.Rounded(new { Mean = double.NaN, Up = double.PositiveInfinity, Down = float.NegativeInfinity })!;
        Assert.Equal("""{"Mean":"NaN","Up":"Infinity","Down":"-Infinity"}""", undefined.ToJsonString());
    }

    [Fact]
    public void Claims_are_kept_beside_the_results_with_their_verdicts_and_the_numbers_that_decide_them()
    {
        var name = new SnapshotName("ATests_quick.snap", "/repo/experiments/HW1.Experiments/Optimization");
        Assert.Equal(name with { Filename = "ATests_quick.claims.snap" }, ResultSnapshot.ClaimsName(name));

        var knifeEdge = Statistic.GeometricMean("large / small").Above(1).Decide("s", "Large is sharper", "why", [1.0000004, 1.3, 0.9]);
        var json = ResultSnapshot.Rounded(ResultSnapshot.ClaimsOf([knifeEdge]), ResultSnapshot.ClaimDigits);
        var claim = json![0]!;
        Assert.Equal("Large is sharper", claim["Statement"]!.GetValue<string>());
        Assert.Equal(knifeEdge.Verdict, claim["Verdict"]!.GetValue<string>());
        Assert.Equal(3, claim["Seeds"]!.GetValue<int>());
        // the per-seed ratio that three digits would round to 1 keeps the digits that tell it from 1
        Assert.Equal(1.0000004, claim["Values"]![0]!.GetValue<double>());
        Assert.Equal(SignificantDigits.Round(knifeEdge.Low!.Value, ResultSnapshot.ClaimDigits), claim["Low"]!.GetValue<double>());
        Assert.Equal(1.0, claim["Threshold"]!.GetValue<double>());

        // A flipped verdict is a difference the snapshot check reports.
        var flipped = knifeEdge with { Holds = !knifeEdge.Holds, Inconclusive = false };
        var after = ResultSnapshot.Rounded(ResultSnapshot.ClaimsOf([flipped]), ResultSnapshot.ClaimDigits);
        Assert.Contains(SnapshotFiles.Differences(json, after), d => d.ToString().Contains("Verdict", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_snapshot_fails_in_ci_and_writes_nothing()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test needs it absent.");

        var e = Assert.Throws<SnapshotMissingException>(() => ResultSnapshot.Match(new { Value = 1.0 }, Run(Profile.Quick), ci: true));

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
            ResultSnapshot.Match(new { Value = 0.123456 }, Run(Profile.Full), ci: false);
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
            Assert.False(JsonNode.DeepEquals(ResultSnapshot.Rounded(Committed, 17), ResultSnapshot.Rounded(fourth, 17)), key);
            Assert.True(JsonNode.DeepEquals(ResultSnapshot.Rounded(Committed), ResultSnapshot.Rounded(fourth)), key);
            Assert.False(JsonNode.DeepEquals(ResultSnapshot.Rounded(Committed), ResultSnapshot.Rounded(second)), key);
        }

        // The same through the committed snapshot file, which holds the committed values rounded to 3 digits.
        ResultSnapshot.Match(Committed, Run(Profile.Quick));
        ResultSnapshot.Match(FourthDigitChanged, Run(Profile.Quick));
        var fullName = ResultSnapshot.FullName(Profile.Quick);
        var mismatch = Path.Combine(fullName.FolderPath, "__snapshots__", "__mismatch__", fullName.Filename);
        try
        {
            foreach (var key in Committed.Keys)
            {
                var e = Assert.Throws<SnapshotMismatchException>(() => ResultSnapshot.Match(With(key, SecondDigitChanged), Run(Profile.Quick)));
                // The message names the one value that moved, the file, where the new values went, and why bits could differ.
                Assert.Contains("1 value(s) changed", e.Message, StringComparison.Ordinal);
                Assert.Contains($"{key}: ", e.Message, StringComparison.Ordinal);
                Assert.Contains(ResultSnapshot.PathOf(fullName), e.Message, StringComparison.Ordinal);
                Assert.Contains(mismatch, e.Message, StringComparison.Ordinal);
                Assert.Contains("CPU kernels were pinned", e.Message, StringComparison.Ordinal);
            }
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
        ResultSnapshot.Match(new { Value = 1.0 }, Run(Profile.Quick, 1000), ci: true, log: lines.Add);

        Assert.False(File.Exists(path));
        Assert.Contains("Snapshot not compared: seeds are shifted by HW1_SEED_OFFSET=1000", Assert.Single(lines), StringComparison.Ordinal);
        Assert.Throws<SnapshotMissingException>(() => ResultSnapshot.Match(new { Value = 1.0 }, Run(Profile.Quick), ci: true));
    }

    [Fact]
    public void A_mismatch_lists_each_moved_value_old_to_new_with_its_relative_change()
    {
        var committed = JsonNode.Parse("""{ "Loss": 0.5, "Epochs": 28, "Series": [1.0, 2.0], "Name": "a" }""");
        var actual = JsonNode.Parse("""{ "Loss": 0.55, "Epochs": 27, "Series": [1.0, 2.0, 3.0], "Extra": 1 }""");

        var changes = SnapshotFiles.Differences(committed, actual).Select(c => c.ToString());

        Assert.Equal(
            ["Loss: 0.5 → 0.55 (+10.0%)", "Epochs: 28 → 27 (-3.6%)", "Series: 2 items → 3 items", "Name: \"a\" → (absent)", "Extra: (absent) → 1"],
            changes);
        Assert.Empty(SnapshotFiles.Differences(committed, committed!.DeepClone()));
    }

    [Fact]
    public void A_mismatch_on_a_machine_that_cannot_run_the_pin_says_why_bits_differ_there()
    {
        var cpu = CpuFeatures.Current() with { Architecture = "Arm64", Avx2 = false, Fma = false, Model = "Neoverse-V2" };
        var state = new KernelState(KernelMode.Pinned, Pinned: false, cpu, new Dictionary<string, string?>());

        var message = ResultSnapshot.MismatchMessage("x.snap", JsonNode.Parse("""{ "A": 1.0 }"""), JsonNode.Parse("""{ "A": 1.01 }"""), state);

        Assert.Contains("A: 1.0 → 1.01 (+1.0%)", message, StringComparison.Ordinal);
        Assert.Contains("cannot be pinned on this machine", message, StringComparison.Ordinal);
        Assert.Contains("Arm64", message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_native_kernels_nothing_is_compared_or_written_and_the_skip_is_logged()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test needs it absent.");
        var native = new KernelState(KernelMode.Native, Pinned: false, CpuFeatures.Current(), new Dictionary<string, string?>());
        var lines = new List<string>();

        ResultSnapshot.Match(new { Value = 1.0 }, Run(Profile.Quick), ci: true, log: lines.Add, kernels: native);

        Assert.False(File.Exists(path));
        Assert.Contains("Snapshot not compared: CPU kernels are native", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_committed_snapshot_that_is_not_json_is_an_error_naming_the_file_and_how_to_mend_it()
    {
        var path = ResultSnapshot.PathOf(ResultSnapshot.FullName(Profile.Quick));
        Assert.False(File.Exists(path), $"{path} must never be committed: this test writes a broken one and deletes it.");
        File.WriteAllText(path, "{ \"broken\": ");
        try
        {
            var e = Assert.Throws<SnapshotUnreadableException>(() => ResultSnapshot.Match(new { Value = 1.0 }, Run(Profile.Quick), ci: true));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
            Assert.Contains("git checkout --", e.Message, StringComparison.Ordinal);
            Assert.Contains("record it again", e.Message, StringComparison.Ordinal);
            Assert.Equal("{ \"broken\": ", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
