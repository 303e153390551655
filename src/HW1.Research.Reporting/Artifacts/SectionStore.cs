using System.Text.Json;
using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>Stores and reads report sections under <c>artifacts/&lt;profile&gt;/sections/&lt;id&gt;.json</c>, atomically.</summary>
public static class SectionStore
{
    private static JsonSerializerOptions Json => ArtifactJson.Options;

    public static string Folder(string profile, string? artifactsRoot = null) =>
        Path.Combine(artifactsRoot ?? RepoPaths.ArtifactsDir, profile, "sections");

    public static string PathOf(string profile, string id, string? artifactsRoot = null) =>
        Path.Combine(Folder(profile, artifactsRoot), id + ".json");

    /// <summary>
    /// Creates the sections folder of <paramref name="profile"/> when missing and proves it writable; otherwise a
    /// <see cref="FolderNotWritableException"/> that names the folder and <see cref="RepoPaths.ArtifactsDirVariable"/>.
    /// An experiment calls it before it starts, so that it does not fail only when it stores its result.
    /// </summary>
    public static string EnsureFolder(string profile, string? artifactsRoot = null)
    {
        var folder = Folder(profile, artifactsRoot);
        RepoPaths.EnsureWritableFolder(folder, "artifacts folder", RepoPaths.ArtifactsDirVariable);
        return folder;
    }

    public static string Write(ReportSection section, string? artifactsRoot = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        EnsureFolder(section.Profile, artifactsRoot);
        var path = PathOf(section.Profile, section.Id, artifactsRoot);
        var sealed_ = section with { Digest = SectionDigest.Of(section) };
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(sealed_, Json));
        return path;
    }

    /// <summary>Reads a stored section; a file that is not a section of this format and profile is an error naming it.</summary>
    public static ReportSection Read(string path, string expectedProfile)
    {
        ReportSection? section;
        try
        {
            section = JsonSerializer.Deserialize<ReportSection>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid report section ({e.Message}). Delete it and re-run its experiment.", e);
        }
        if (section == null)
            throw new InvalidDataException($"{path}: empty report section. Delete it and re-run its experiment.");
        if (section.Format != ReportSection.CurrentFormat)
            throw new InvalidDataException($"{path}: section format {section.Format}, expected {ReportSection.CurrentFormat}. Re-run its " +
                $"experiment.");
        if (section.Profile != expectedProfile)
            throw new InvalidDataException($"{path}: a section of profile '{section.Profile}', expected '{expectedProfile}'. Re-run its experiment.");
        if (section.Digest == null)
            throw new InvalidDataException($"{path}: the section carries no content digest, so nothing shows that its numbers are the ones " +
                $"measured. Re-run its experiment.");
        var now = SectionDigest.Of(section);
        if (!string.Equals(now, section.Digest, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{path}: ALTERED: its content no longer matches the digest {SectionDigest.Short(section.Digest)} that the experiment wrote " +
                $"when it measured it (the content now hashes to {SectionDigest.Short(now)}): a number, a sentence or a figure point was " +
                "changed after the run. It is not used. Re-run its experiment to measure it again.");
        }
        return section;
    }

    /// <summary>Every stored section of a profile, in report order.</summary>
    public static IReadOnlyList<ReportSection> ReadAll(string profile, string? artifactsRoot = null)
    {
        var folder = Folder(profile, artifactsRoot);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder, "*.json")
            .Select(p => Read(p, profile))
            .OrderBy(s => s.Part, StringComparer.Ordinal)
            .ThenBy(s => s.Order)
            .ToList();
    }
}
