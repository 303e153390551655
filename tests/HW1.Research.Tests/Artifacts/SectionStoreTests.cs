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
        Assert.Equal($"{path}: section format {ReportSection.CurrentFormat + 1}, expected {ReportSection.CurrentFormat}. Re-run its experiment.",
            e.Message);
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

    private static ReportSection Measured() => Section("1-3-random-labels", "1-3", 1) with
    {
        Status = SectionStatus.Reproduced,
        Failure = null,
        Headline = [new Metric("train accuracy", 0.901), new Metric("test accuracy", 0.1045)],
        Comments = ["Test accuracy stayed at 10.5%, chance level: memorized labels do not generalize."],
    };

    [Theory]
    [InlineData("number")]
    [InlineData("sentence")]
    [InlineData("figure point")]
    public void A_hand_edited_number_sentence_or_figure_point_is_refused_with_the_file_named(string what)
    {
        var path = SectionStore.Write(Measured(), _root);
        Assert.Equal(SectionDigest.Of(Measured()), SectionStore.Read(path, "quick").Digest);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        switch (what)
        {
            case "number": json["headline"]![1]!["value"] = 0.9731; break;
            case "sentence": json["comments"]![0] = "Test accuracy rose to 97.3%: memorized labels generalize."; break;
            default: json["figures"]![0]!["panels"]![0]!["series"]![0]!["y"]![0] = 2.5; break;
        }
        File.WriteAllText(path, json.ToJsonString(ArtifactJson.Options));

        var e = Assert.Throws<InvalidDataException>(() => SectionStore.Read(path, "quick"));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("ALTERED", e.Message, StringComparison.Ordinal);
        Assert.Contains("Re-run its experiment", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SectionStore.ReadAll("quick", _root));
    }

    [Fact]
    public void The_digest_is_stable_across_a_round_trip_and_covers_every_field()
    {
        var path = SectionStore.Write(Measured(), _root);
        var read = SectionStore.Read(path, "quick");
        Assert.Equal(read.Digest, SectionDigest.Of(read));
        Assert.NotEqual(SectionDigest.Of(read), SectionDigest.Of(read with { WallSeconds = 1 }));
        Assert.NotEqual(SectionDigest.Of(read), SectionDigest.Of(read with { Settings = [new("seed", "2")] }));
        Assert.Equal(SectionDigest.Of(read), SectionDigest.Of(read with { Digest = "anything" }));
    }

    [Fact]
    public void A_section_without_a_digest_is_refused()
    {
        var path = SectionStore.Write(Measured(), _root);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("digest"));
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => SectionStore.Read(path, "quick"));
        Assert.Contains("no content digest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_run_digest_changes_with_any_section_and_not_with_their_order()
    {
        var a = Measured() with { Digest = "aa" };
        var b = Section("x", "1-1", 1) with { Digest = "bb" };
        Assert.Equal(SectionDigest.OfRun([a, b]), SectionDigest.OfRun([b, a]));
        Assert.NotEqual(SectionDigest.OfRun([a, b]), SectionDigest.OfRun([a, b with { Digest = "bc" }]));
    }
}
