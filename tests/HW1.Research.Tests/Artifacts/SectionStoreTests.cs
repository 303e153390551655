using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public sealed class SectionStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-sections-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ReportSection Section(string id, string part, int order, string profile = "quick") => new()
    {
        Id = id,
        Part = part,
        Order = order,
        Title = $"title {id}",
        Question = "q",
        Profile = profile,
        Settings = [new("seed", "1")],
        Figures = [new Figure("f", "t", "c", [new Panel("", new Axis("x"), new Axis("y", Log: true), [new Series("s", [1, 2], [3, double.NaN])])])],
        Comments = ["measured 0.5"],
        Status = SectionStatus.NotReproduced,
        Failure = "why",
    };

    [Fact]
    public void Round_trips_and_reads_in_report_order()
    {
        SectionStore.Write(Section("b", "1-2", 1), _root);
        SectionStore.Write(Section("a", "1-1", 2), _root);
        SectionStore.Write(Section("c", "1-1", 1), _root);
        var all = SectionStore.ReadAll("quick", _root);
        Assert.Equal(["c", "a", "b"], all.Select(s => s.Id));
        var a = all[1];
        Assert.Equal(SectionStatus.NotReproduced, a.Status);
        Assert.Equal("why", a.Failure);
        Assert.True(a.Figures[0].Panels[0].Y.Log);
        Assert.True(double.IsNaN(a.Figures[0].Panels[0].Series[0].Y[1]));
    }

    [Fact]
    public void A_corrupt_or_foreign_section_is_an_error_naming_the_file()
    {
        var path = SectionStore.Write(Section("x", "1-1", 1), _root);
        File.WriteAllText(path, "{ \"id\": ");
        var corrupt = Assert.Throws<InvalidDataException>(() => SectionStore.Read(path, "quick"));
        Assert.StartsWith($"{path}: not a valid report section", corrupt.Message, StringComparison.Ordinal);

        var full = SectionStore.Write(Section("y", "1-1", 1, profile: "full"), _root);
        var foreign = Assert.Throws<InvalidDataException>(() => SectionStore.Read(full, "quick"));
        Assert.Contains("a section of profile 'full', expected 'quick'", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_of_another_format_version_is_an_error_naming_the_file()
    {
        var path = SectionStore.Write(Section("v", "1-1", 1) with { Format = ReportSection.CurrentFormat + 1 }, _root);
        var e = Assert.Throws<InvalidDataException>(() => SectionStore.Read(path, "quick"));
        Assert.Equal($"{path}: section format {ReportSection.CurrentFormat + 1}, expected {ReportSection.CurrentFormat}. Re-run its experiment.", e.Message);
    }

    [Fact]
    public void An_artifacts_folder_below_a_file_is_a_clear_error()
    {
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "x");
        var root = Path.Combine(file, "artifacts");
        var e = Assert.Throws<FolderNotWritableException>(() => SectionStore.Write(Section("x", "1-1", 1), root));
        Assert.Equal(
            $"The artifacts folder {SectionStore.Folder("quick", root)} cannot be created: {file} is a file, expected a folder. " +
            $"Remove the file or set {RepoPaths.ArtifactsDirVariable} to a writable folder.", e.Message);
    }

    [Fact]
    public void An_artifacts_folder_that_cannot_be_written_is_a_clear_error()
    {
        // Tests run as root in CI, and root ignores permission bits; nobody can create a folder in /proc.
        var root = "/proc/hw1-artifacts-test";
        var e = Assert.Throws<FolderNotWritableException>(() => SectionStore.EnsureFolder("quick", root));
        Assert.StartsWith($"The artifacts folder {root}/quick/sections is not writable (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"Make it writable or set {RepoPaths.ArtifactsDirVariable} to a writable folder.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seed_offset_is_stored_and_defaults_to_zero()
    {
        Assert.Equal(0, SectionStore.Read(SectionStore.Write(Section("o", "1-1", 1), _root), "quick").SeedOffset);
        Assert.Equal(1000, SectionStore.Read(SectionStore.Write(Section("p", "1-1", 1) with { SeedOffset = 1000 }, _root), "quick").SeedOffset);
    }

    [Fact]
    public void Downsampling_keeps_the_ends_and_at_most_the_asked_points()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var s = new Series("loss", x, x).Downsampled(100);
        Assert.Equal(100, s.X.Count);
        Assert.Equal(0, s.X[0]);
        Assert.Equal(9_999, s.X[^1]);
        Assert.Same(s, s.Downsampled(200));
    }
}
