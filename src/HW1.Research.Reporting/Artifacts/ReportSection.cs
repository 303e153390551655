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

/// <summary>How a section's numbers compared with its committed snapshots: its bits, as distinct from whether its claims hold.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SnapshotCheck>))]
public enum SnapshotCheck
{
    // In rising order of what a reader must know: the worst of a section's two snapshots is the one it reports.

    /// <summary>The results and the claims match their committed snapshots.</summary>
    Matched,

    /// <summary>Not compared: shifted seeds, overridden threads or native kernels (the section's settings say which).</summary>
    NotCompared,

    /// <summary>No snapshot was committed; this run recorded one (outside CI).</summary>
    Recorded,

    /// <summary>No snapshot was committed, and CI forbids recording one.</summary>
    Missing,

    /// <summary>Some value differs from the committed snapshot.</summary>
    Differs,
}

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

    /// <summary>How the numbers compared with the committed snapshots (null in sections stored before this was recorded).</summary>
    public SnapshotCheck? Snapshot { get; init; }
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
    /// <summary>The CPU kernels the run used, e.g. "pinned: ATen avx2, oneDNN AVX2, MKL COMPATIBLE"; null in sections stored before it was
    /// recorded.</summary>
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
