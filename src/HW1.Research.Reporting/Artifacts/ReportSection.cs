using System.Text.Json;
using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>Whether a section's experiment met every assertion (and its snapshot) or not.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SectionStatus>))]
public enum SectionStatus
{
    Reproduced,
    NotReproduced,
}

/// <summary>One row of a section's settings table: what was used, as the reader should see it.</summary>
public sealed record Setting(string Name, string Value);

/// <summary>A headline number of a section, for the summary table.</summary>
public sealed record Metric(string Name, double Value);

/// <summary>A table in a section: a caption, column headers and rows of cell text.</summary>
public sealed record Table(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>A table with one row per record and one column per (header, cell text) pair.</summary>
    public static Table Of<T>(string caption, IEnumerable<T> records, params (string Header, Func<T, string> Cell)[] columns)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(columns);
        return new Table(caption, columns.Select(c => c.Header).ToList(),
            records.Select(r => (IReadOnlyList<string>)columns.Select(c => c.Cell(r)).ToList()).ToList());
    }
}

/// <summary>How a series is drawn.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesStyle>))]
public enum SeriesStyle
{
    Line,
    Markers,
    LineAndMarkers,
    DashedLine,
}

/// <summary>One named series of (x, y) points; optional per-point labels; optionally on the panel's right axis.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    public SeriesStyle Style { get; init; } = SeriesStyle.Line;
    public bool RightAxis { get; init; }
    public IReadOnlyList<string>? PointLabels { get; init; }

    /// <summary>The lower ends of each point's 95% interval (over seeds), drawn as error bars with <see cref="High"/>; null for none.</summary>
    public IReadOnlyList<double>? Low { get; init; }

    /// <summary>The upper ends of each point's 95% interval, drawn with <see cref="Low"/>.</summary>
    public IReadOnlyList<double>? High { get; init; }

    /// <summary>A series with one point per record: x and y read from each.</summary>
    public static Series Of<T>(string name, IEnumerable<T> records, Func<T, double> x, Func<T, double> y, SeriesStyle style = SeriesStyle.Line)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<T> ?? records.ToList();
        return new Series(name, list.Select(x).ToArray(), list.Select(y).ToArray()) { Style = style };
    }

    /// <summary>A series of interval estimates: each record's estimate as the point and its 95% interval as the error bar.</summary>
    public static Series OfIntervals<T>(string name, IEnumerable<T> records, Func<T, double> x, Func<T, (double Estimate, double Low, double High)> interval,
        SeriesStyle style = SeriesStyle.LineAndMarkers)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<T> ?? records.ToList();
        var intervals = list.Select(interval).ToArray();
        return new Series(name, list.Select(x).ToArray(), intervals.Select(i => i.Estimate).ToArray())
        { Style = style, Low = intervals.Select(i => i.Low).ToArray(), High = intervals.Select(i => i.High).ToArray() };
    }

    /// <summary>At most <paramref name="maxPoints"/> points, evenly spaced by index, the first and last kept.</summary>
    public Series Downsampled(int maxPoints)
    {
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "Keep at least 2 points.");
        if (X.Count <= maxPoints) return this;
        var keep = Enumerable.Range(0, maxPoints).Select(i => (int)Math.Round((double)i * (X.Count - 1) / (maxPoints - 1))).Distinct().ToArray();
        return this with
        {
            X = keep.Select(i => X[i]).ToArray(),
            Y = keep.Select(i => Y[i]).ToArray(),
            PointLabels = PointLabels == null ? null : keep.Select(i => PointLabels[i]).ToArray(),
            Low = Low == null ? null : keep.Select(i => Low[i]).ToArray(),
            High = High == null ? null : keep.Select(i => High[i]).ToArray(),
        };
    }
}

/// <summary>An axis: its label (with unit or scale) and whether it is logarithmic.</summary>
public sealed record Axis(string Label, bool Log = false);

/// <summary>A grid of values z[row][column] over y (rows) and x (columns), drawn as a heatmap or contours.</summary>
public sealed record Grid(IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<IReadOnlyList<double>> Z, string ValueLabel);

/// <summary>One plot area of a figure.</summary>
public sealed record Panel(string Title, Axis X, Axis Y, IReadOnlyList<Series> Series)
{
    public Axis? RightY { get; init; }
    public Grid? Grid { get; init; }
}

/// <summary>A figure: a title, a caption (numbered by the report), and one or more panels.</summary>
public sealed record Figure(string Id, string Title, string Caption, IReadOnlyList<Panel> Panels);

/// <summary>
/// What one experiment contributes to the report: the question, the settings actually used, tables,
/// figure data, comments built from measured numbers, headline metrics, and whether it reproduced.
/// </summary>
public sealed record ReportSection
{
    /// <summary>
    /// The stored format's version; a stored section of another version is not read (2: sections carry a content digest;
    /// 3: a declared part title and the checked claims).
    /// </summary>
    public const int CurrentFormat = 3;

    public int Format { get; init; } = CurrentFormat;
    public required string Id { get; init; }
    /// <summary>The assignment part, "1-1", "1-2" or "1-3".</summary>
    public required string Part { get; init; }
    /// <summary>The part's topic as the assignment names it ("Deep vs shallow"); its heading reads "HW1-1 Deep vs shallow".</summary>
    public string? PartTitle { get; init; }
    /// <summary>Position within the part (the assignment's order).</summary>
    public required int Order { get; init; }
    public required string Title { get; init; }
    public bool Bonus { get; init; }
    /// <summary>The question in the report's words.</summary>
    public required string Question { get; init; }
    public required string Profile { get; init; }
    public IReadOnlyList<Setting> Settings { get; init; } = [];
    public IReadOnlyList<Table> Tables { get; init; } = [];
    public IReadOnlyList<Figure> Figures { get; init; } = [];
    public IReadOnlyList<string> Comments { get; init; } = [];
    public IReadOnlyList<Metric> Headline { get; init; } = [];
    /// <summary>Every statement the experiment checked, findings first, each with its rule, measurement and verdict.</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];
    public SectionStatus Status { get; init; } = SectionStatus.Reproduced;
    /// <summary>The failing assertion's message when <see cref="Status"/> is NotReproduced.</summary>
    public string? Failure { get; init; }
    /// <summary>
    /// The experiment's wall time: its process's, plus the training time of every seed it read from a stored replica (trained by a
    /// shard or by an earlier, interrupted run), so that it is what the experiment cost however its seeds were spread.
    /// </summary>
    public double WallSeconds { get; init; }
    /// <summary>Peak memory of the process that ran the experiment, in MiB.</summary>
    public double PeakMemoryMiB { get; init; }
    /// <summary>
    /// The pipeline's key for the run that stored this section (a hash of the built code, the profile and the experiment),
    /// or null when the experiment ran outside the pipeline (e.g. under a plain <c>dotnet test</c>).
    /// </summary>
    public string? RunKey { get; init; }
    /// <summary>The seed offset the run used (HW1_SEED_OFFSET); 0 for the canonical seeds that the snapshots hold.</summary>
    public long SeedOffset { get; init; }
    /// <summary>The CPU kernels the run used, e.g. "pinned: ATen avx2, oneDNN AVX2, MKL COMPATIBLE"; null in sections stored before it was recorded.</summary>
    public string? Kernels { get; init; }
    /// <summary>The CPU that ran the experiment: model, vendor, family and the instruction sets that decide LibTorch's kernels.</summary>
    public string? Cpu { get; init; }
    /// <summary>LibTorch's intra-op thread count when the experiment finished.</summary>
    public int? Threads { get; init; }
    /// <summary>
    /// SHA-256 of everything else in the section (<see cref="SectionDigest.Of"/>), written by the process that measured it when it
    /// stored the section; reading a section whose content no longer matches it is an error.
    /// </summary>
    public string? Digest { get; init; }
}

/// <summary>Content digests of stored sections: what makes an edited number, sentence or figure point detectable.</summary>
public static class SectionDigest
{
    /// <summary>SHA-256 (hex) of the section's stored JSON form with <see cref="ReportSection.Digest"/> left out.</summary>
    public static string Of(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(section with { Digest = null }, ArtifactJson.Options);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>The digest of a whole run: SHA-256 over each section's id and digest, in id order (shown on the title page).</summary>
    public static string OfRun(IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var lines = sections.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => $"{s.Id} {s.Digest ?? Of(s)}\n");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines))));
    }

    /// <summary>The first 16 hex digits, for tables and log lines.</summary>
    public static string Short(string digest) => digest.Length > 16 ? digest[..16] : digest;
}

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
            throw new InvalidDataException($"{path}: section format {section.Format}, expected {ReportSection.CurrentFormat}. Re-run its experiment.");
        if (section.Profile != expectedProfile)
            throw new InvalidDataException($"{path}: a section of profile '{section.Profile}', expected '{expectedProfile}'. Re-run its experiment.");
        if (section.Digest == null)
            throw new InvalidDataException($"{path}: the section carries no content digest, so nothing shows that its numbers are the ones measured. Re-run its experiment.");
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
