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
}
