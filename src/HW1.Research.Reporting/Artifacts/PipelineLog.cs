using System.Text.Json;
using System.Text.Json.Serialization;
namespace HW1.Research.Artifacts;

/// <summary>How one experiment fared in a pipeline run.</summary>
public sealed record PipelineExperiment(string Name, string Key, string Outcome, double Seconds)
{
    public const string Ran = "ran";
    public const string Reused = "reused";
    public const string Failed = "failed";

    /// <summary>A seed share of a replicated experiment: some of its seeds stored as replicas, no section; a merge completes it.</summary>
    public const string Partial = "partial";

    /// <summary>Running when the run was interrupted (SIGTERM or SIGINT): stopped, nothing stored; the next run trains it again.</summary>
    public const string Interrupted = "interrupted";

    public string? Failure { get; init; }

    /// <summary>
    /// The key of what the experiment measures (the pipeline's <c>RunKey.ComputeKey</c>): its stored result and seed replicas carry it. Null in
    /// logs written before it was recorded, where replicas carried <see cref="Key"/>.
    /// </summary>
    public string? ComputeKey { get; init; }

    /// <summary>True when the experiment's result was read from the store under <see cref="ComputeKey"/>: nothing trained, only decided and described
    /// again.</summary>
    public bool Redecided { get; init; }

    /// <summary>The ids of the sections the experiment stored under <see cref="Key"/>.</summary>
    public IReadOnlyList<string> Sections { get; init; } = [];

    /// <summary>Each stored section's content digest as the runner read it right after the experiment's process ended, by section id.</summary>
    public IReadOnlyDictionary<string, string> Digests { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The seed replicas a <see cref="Partial"/> run stored under <see cref="ComputeKey"/>: each file's name (in the experiment's replica folder)
    /// and the SHA-256 of its bytes as the runner read them right after the process ended.
    /// </summary>
    public IReadOnlyDictionary<string, string> Replicas { get; init; } = new Dictionary<string, string>();

    /// <summary>"i/n" when this was a seed share of a replicated experiment (partial, or failed), null for a whole run.</summary>
    public string? Share { get; init; }
}

/// <summary>
/// What the Cake pipeline records about a run (<c>artifacts/&lt;profile&gt;/pipeline.json</c>): when it started, each experiment's
/// wall time and outcome, and the key each experiment's sections must carry to belong to this run.
/// </summary>
public sealed record PipelineLog(string Profile, DateTimeOffset StartedUtc, double Seconds)
{
    public IReadOnlyList<PipelineExperiment> Experiments { get; init; } = [];

    /// <summary>The commit the run was built from (null in logs written before it was recorded).</summary>
    public SourceInfo? Source { get; init; }

    /// <summary>The hash of the built code every key of this run was made under.</summary>
    public string? CodeHash { get; init; }

    /// <summary>The seed offset and the CPU kernels (<c>KeyText</c>) of the run: part of every key, and what a merge checks agree.</summary>
    public long SeedOffset { get; init; }
    public string? Kernels { get; init; }

    /// <summary>The thread count: "own" (each configuration's) or the HW1_THREADS override; null in logs written before it was recorded.</summary>
    public string? Threads { get; init; }

    /// <summary>"i/n" when the run was one shard of n; null for a whole run.</summary>
    public string? Shard { get; init; }

    /// <summary>The artifacts folders a merged run was collected from; empty for a run made in one place.</summary>
    public IReadOnlyList<string> MergedFrom { get; init; } = [];

    /// <summary>How the run ended early, when it did: the signal and its time ("SIGTERM at 2026-12-02T06:40:00Z"); null for a run that ended by
    /// itself.</summary>
    public string? Interrupted { get; init; }

    private static JsonSerializerOptions Json => ArtifactJson.Options;

    public static string PathOf(string profile, string? artifactsRoot = null) =>
        Path.Combine(artifactsRoot ?? RepoPaths.ArtifactsDir, profile, "pipeline.json");

    /// <summary>Reads a pipeline log, or null when there is none; a log that cannot be read or belongs to another profile is an error naming
    /// it.</summary>
    public static PipelineLog? Read(string profile, string? artifactsRoot = null)
    {
        var path = PathOf(profile, artifactsRoot);
        if (!File.Exists(path)) return null;
        PipelineLog? log;
        try
        {
            log = JsonSerializer.Deserialize<PipelineLog>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid pipeline log ({e.Message}). Delete it and run the pipeline again.", e);
        }
        if (log == null) throw new InvalidDataException($"{path}: empty pipeline log. Delete it and run the pipeline again.");
        if (log.Profile != profile)
            throw new InvalidDataException($"{path}: a log of profile '{log.Profile}', expected '{profile}'. Delete it and run the pipeline again.");
        return log;
    }

    public string Write(string? artifactsRoot = null)
    {
        var path = PathOf(Profile, artifactsRoot);
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        return path;
    }
}
