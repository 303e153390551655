using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public sealed class SnapshotFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Accepting_moves_each_mismatch_over_its_snapshot_and_prints_every_changed_value()
    {
        var committed = Write("Generalization/__snapshots__/A_quick.snap", """{ "Epochs": 28, "TestAccuracy": 0.105, "Same": 1 }""");
        var mismatch = Write("Generalization/__snapshots__/__mismatch__/A_quick.snap", """{ "Epochs": 27, "TestAccuracy": 0.104, "Same": 1 }""");
        var fresh = Write("Optimization/__snapshots__/__mismatch__/B_full.snap", """{ "Loss": 0.5 }""");
        var lines = new List<string>();

        Assert.Equal(2, SnapshotFiles.Accept(_root, lines.Add));

        Assert.Equal("""{ "Epochs": 27, "TestAccuracy": 0.104, "Same": 1 }""", File.ReadAllText(committed));
        Assert.Equal("""{ "Loss": 0.5 }""", File.ReadAllText(Path.Combine(_root, "Optimization/__snapshots__/B_full.snap")));
        Assert.False(File.Exists(mismatch));
        Assert.False(File.Exists(fresh));
        Assert.False(Directory.Exists(Path.GetDirectoryName(mismatch)));
        Assert.Equal(
        [
            "Generalization/__snapshots__/A_quick.snap: 2 value(s) changed",
            "  Epochs: 28 → 27 (-3.6%)",
            "  TestAccuracy: 0.105 → 0.104 (-1.0%)",
            "Optimization/__snapshots__/B_full.snap: new snapshot",
            "  (root): (absent) → {\"Loss\":0.5}",
            "Accepted 2 snapshot(s). Review the diff (git diff -- '*.snap') and say in the commit why the numbers moved.",
        ], lines);
    }

    [Fact]
    public void With_no_mismatch_nothing_moves_and_it_says_so()
    {
        var committed = Write("X/__snapshots__/A_quick.snap", "{}");
        var lines = new List<string>();
        Assert.Equal(0, SnapshotFiles.Accept(_root, lines.Add));
        Assert.Equal("{}", File.ReadAllText(committed));
        Assert.StartsWith("No snapshot mismatches under", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_mismatches_a_text_names_are_accepted_and_a_dry_run_moves_nothing()
    {
        var a = Write("X/__snapshots__/A_quick.snap", """{ "A": 1 }""");
        var aNew = Write("X/__snapshots__/__mismatch__/A_quick.snap", """{ "A": 2 }""");
        var b = Write("X/__snapshots__/B_full.snap", """{ "B": 1 }""");
        var bNew = Write("X/__snapshots__/__mismatch__/B_full.snap", """{ "B": 3 }""");

        var lines = new List<string>();
        Assert.Equal(0, SnapshotFiles.Accept(_root, lines.Add, only: "a_QUICK", dryRun: true));
        Assert.Contains(lines, l => l.Contains("A_quick.snap: 1 value(s) changed (not accepted: dry run)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("A: 1 → 2", StringComparison.Ordinal));
        Assert.True(File.Exists(aNew));

        lines.Clear();
        Assert.Equal(1, SnapshotFiles.Accept(_root, lines.Add, only: "_quick"));
        Assert.Equal("""{ "A": 2 }""", File.ReadAllText(a));
        Assert.Equal("""{ "B": 1 }""", File.ReadAllText(b));
        Assert.True(File.Exists(bNew));
        Assert.Contains("1 other mismatch(es) left for review (not matched by --only _quick).", lines);
    }

    [Fact]
    public void A_null_on_both_sides_is_no_change_and_a_null_that_gets_a_value_is_one()
    {
        // A claim without a paper number writes "Paper": null; read back, the same null must compare equal.
        var before = System.Text.Json.Nodes.JsonNode.Parse("""[{ "Paper": null, "Low": 1.5 }]""");
        Assert.Empty(SnapshotFiles.Differences(before, System.Text.Json.Nodes.JsonNode.Parse("""[{ "Paper": null, "Low": 1.5 }]""")));
        Assert.Single(SnapshotFiles.Differences(before, System.Text.Json.Nodes.JsonNode.Parse("""[{ "Paper": "167×", "Low": 1.5 }]""")));
    }

    [Fact]
    public void Committed_snapshots_that_nothing_uses_are_named()
    {
        Write("Opt/ATests.cs", "class ATests { public void Reproduces() { } }");
        Write("Opt/MTests.cs", "class MTests { public void Kept_per_profile() { } }");
        var used = new[]
        {
            Write("Opt/__snapshots__/ATests_quick.snap", "{}"), Write("Opt/__snapshots__/ATests_full.claims.snap", "[]"),
            Write("Opt/__snapshots__/MTests.Kept_per_profile_quick.snap", "{}"),
        };
        var removedExperiment = Write("Opt/__snapshots__/GoneTests_quick.snap", "{}");
        var removedMethod = Write("Opt/__snapshots__/MTests.Renamed_quick.snap", "{}");
        var unknownProfile = Write("Opt/__snapshots__/ATests_medium.snap", "{}");
        Write("Opt/__snapshots__/__mismatch__/GoneTests_quick.snap", "{}"); // a mismatch is not a committed snapshot

        var orphans = SnapshotFiles.Orphans(_root);

        Assert.Equal(new[] { removedExperiment, removedMethod, unknownProfile }.Order(StringComparer.Ordinal), orphans);
        Assert.DoesNotContain(orphans, used.Contains);
    }

    [Fact]
    public void A_mismatch_that_is_not_json_is_an_error_naming_it_and_nothing_moves()
    {
        var committed = Write("X/__snapshots__/A_quick.snap", """{ "A": 1 }""");
        var good = Write("W/__snapshots__/__mismatch__/B_quick.snap", """{ "B": 2 }""");
        var broken = Write("X/__snapshots__/__mismatch__/A_quick.snap", """{ "A": """);
        var e = Assert.Throws<InvalidDataException>(() => SnapshotFiles.Accept(_root, _ => { }));
        Assert.Contains(broken, e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(good));
        Assert.Equal("""{ "A": 1 }""", File.ReadAllText(committed));
    }

    [Theory]
    [InlineData(2.2e-7, "0.00000022")]
    [InlineData(3.14e-5, "0.0000314")]
    [InlineData(0.907, "0.907")]
    [InlineData(45600.0, "45600")]
    [InlineData(-1.5e-6, "-0.0000015")]
    [InlineData(1.23e20, "123000000000000000000")]
    [InlineData(-0.25, "-0.25")]
    public void Every_number_is_written_in_plain_decimal_notation(double value, string expected)
    {
        Assert.Equal(expected, SnapshotFiles.Number(value));
        Assert.Equal(value, double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_snapshot_is_written_without_a_byte_order_mark_with_lf_and_two_space_indents()
    {
        var path = Path.Combine(_root, "a.snap");
        SnapshotFiles.Write(path, System.Text.Json.Nodes.JsonNode.Parse("""{"Loss":2.2E-07,"Name":"ε → 1","Items":[1,2.5],"Empty":[]}"""));
        var bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal("{\n  \"Loss\": 0.00000022,\n  \"Name\": \"ε → 1\",\n  \"Items\": [\n    1,\n    2.5\n  ],\n  \"Empty\": []\n}\n",
            System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Normalizing_rewrites_a_bom_and_exponents_with_the_same_values_and_leaves_a_normal_file_alone()
    {
        var old = Write("x/__snapshots__/A_quick.snap", "\uFEFF{\r\n  \"Tiny\": 3.14E-05,\r\n  \"Whole\": 45600.0\r\n}");
        var lines = new List<string>();
        Assert.Equal(1, SnapshotFiles.Normalize(_root, lines.Add));
        Assert.Equal("{\n  \"Tiny\": 0.0000314,\n  \"Whole\": 45600\n}\n", File.ReadAllText(old));
        Assert.Equal(0, SnapshotFiles.Normalize(_root, lines.Add));
        Assert.Single(lines);
    }

    [Fact]
    public void Numbers_are_compared_by_value_not_by_their_notation() =>
        Assert.Empty(SnapshotFiles.Differences(System.Text.Json.Nodes.JsonNode.Parse("""{"A":45600.0,"B":2.2E-07}"""),
            System.Text.Json.Nodes.JsonNode.Parse("""{"A":45600,"B":0.00000022}""")));
}
