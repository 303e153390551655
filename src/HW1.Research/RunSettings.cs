using HW1.Research.Training;

namespace HW1.Research;

/// <summary>One setting a run depends on: the environment variable, what it sets, and its default for each entry point.</summary>
/// <param name="Variable">The environment variable (what <c>dotnet test</c> and the report tool read).</param>
/// <param name="Cake">How <c>dotnet cake</c> takes it (an argument, or the same variable).</param>
/// <param name="Meaning">What it sets.</param>
/// <param name="Default">Its default when unset; where Cake's differs on purpose, both, with why.</param>
public sealed record RunSetting(string Variable, string Cake, string Meaning, string Default);

/// <summary>
/// The settings a run depends on (profile, seed offset, thread override, CPU kernels, data and artifacts folders), read from the
/// environment in one place, once, at the process edge (<see cref="Read"/>: an experiment's session, the report tool's command
/// line) and passed down from there. Every malformed value is an error naming its variable. The seed offset is applied to an
/// experiment's configuration, visibly, in one place (the experiment's base class); <see cref="Reproducibility.Seed"/> seeds exactly
/// the seed it is given.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The profile (<see cref="Profile.Variable"/>; quick when unset).</summary>
    public required Profile Profile { get; init; }

    /// <summary>What every configuration's seeds are shifted by (<see cref="Reproducibility.SeedOffsetVariable"/>; 0 when unset).</summary>
    public long SeedOffset { get; init; }

    /// <summary>The thread count that replaces every configuration's own (<see cref="ThreadOverride.Variable"/>); null: each its own.</summary>
    public int? Threads { get; init; }

    /// <summary>Which CPU kernels run (<see cref="CpuKernels.ModeVariable"/>; pinned when unset). Applied once per process by
    /// <see cref="CpuKernels.Apply"/>.</summary>
    public KernelMode Kernels { get; init; }

    /// <summary>Where data sets are kept (<see cref="RepoPaths.DataDirVariable"/>; <c>data/</c> in the repository when unset).</summary>
    public required string DataDir { get; init; }

    /// <summary>Where results, sections and reports go (<see cref="RepoPaths.ArtifactsDirVariable"/>; <c>artifacts/</c> when unset).</summary>
    public required string ArtifactsDir { get; init; }

    /// <summary>The thread-override text of run keys and pipeline logs: "own" (each configuration's) or the override.</summary>
    public string ThreadsKeyText => ThreadOverride.KeyTextOf(Threads);

    /// <summary>
    /// Reads every setting from <paramref name="variable"/> (by default the process environment) once; an empty value is unset. A
    /// malformed value is an <see cref="ArgumentException"/> naming the variable, the value and what it expects.
    /// </summary>
    public static RunSettings Read(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        string? Folder(string name) => variable(name) is { } v && !string.IsNullOrWhiteSpace(v) ? Path.GetFullPath(v) : null;
        return new RunSettings
        {
            Profile = Profile.FromEnvironment(variable(Profile.Variable)),
            SeedOffset = Reproducibility.ParseSeedOffset(variable(Reproducibility.SeedOffsetVariable)),
            Threads = ThreadOverride.Parse(variable(ThreadOverride.Variable)),
            Kernels = CpuKernels.ParseMode(variable(CpuKernels.ModeVariable)),
            DataDir = Folder(RepoPaths.DataDirVariable) ?? Path.Combine(RepoPaths.Root, "data"),
            ArtifactsDir = Folder(RepoPaths.ArtifactsDirVariable) ?? Path.Combine(RepoPaths.Root, "artifacts"),
        };
    }

    /// <summary>
    /// Every setting with its variable, Cake's spelling and its default, as docs/usage.md lists them (a test keeps the two in step).
    /// Cake's profile default is full on purpose: <c>dotnet cake</c> makes the report, <c>dotnet test</c> checks the machinery.
    /// </summary>
    public static IReadOnlyList<RunSetting> All { get; } =
    [
        new(Profile.Variable, "--profile=quick|full", "the profile: quick (subsets, 2–3 seeds) or full (the assignment's settings, 5 seeds)",
            "quick for dotnet test and the report tool; full for dotnet cake"),
        new(Reproducibility.SeedOffsetVariable, Reproducibility.SeedOffsetVariable,
            "shifts every configuration's seeds; a shifted run is not compared with the snapshots", "0"),
        new(ThreadOverride.Variable, ThreadOverride.Variable,
            "replaces every configuration's thread count; such a run is not compared with the snapshots", "each configuration's own"),
        new(CpuKernels.ModeVariable, CpuKernels.ModeVariable,
            "pinned (the same bits on every x86-64 CPU with AVX2) or native (the host's fastest kernels)", "pinned"),
        new(RepoPaths.DataDirVariable, RepoPaths.DataDirVariable, "the data folder (MNIST, Fashion-MNIST)", "data/ in the repository"),
        new(RepoPaths.ArtifactsDirVariable, RepoPaths.ArtifactsDirVariable, "the artifacts folder (results, sections, reports)",
            "artifacts/ in the repository"),
    ];
}
