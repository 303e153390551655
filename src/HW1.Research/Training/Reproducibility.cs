using System.Globalization;
using TorchSharp;

namespace HW1.Research.Training;

/// <summary>
/// The one place that seeds every random source and fixes the thread count. An experiment calls
/// <see cref="Seed"/> once before it builds models or draws data, and owns the generators it returns.
/// </summary>
public static class Reproducibility
{
    /// <summary>
    /// The environment variable that shifts every configuration's seeds by an integer (default 0), read by <see cref="RunSettings.Read"/>
    /// and applied to the configuration by the experiment's base class: the determinism check re-runs the experiments with other seeds
    /// through it. Results of a shifted run are not compared with the committed snapshots. <see cref="Seed"/> itself never shifts.
    /// </summary>
    public const string SeedOffsetVariable = "HW1_SEED_OFFSET";

    /// <summary>Threads for TorchSharp's intra-op parallelism unless a configuration says otherwise.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Parses a seed offset; anything but an integer is an error that names the variable and the value.</summary>
    public static long ParseSeedOffset(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return 0;
        if (long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset)) return offset;
        throw new ArgumentException(
            $"The environment variable {SeedOffsetVariable} is '{value}', expected an integer (for example 1000). " +
            $"Unset it, or set it to 0, to run with the canonical seeds.");
    }

    /// <summary>
    /// Seeds TorchSharp's global generator (used by parameter initialisation and dropout) with exactly <paramref name="seed"/>, sets the
    /// intra-op thread count (<paramref name="threads"/>, or <see cref="DefaultThreads"/>), and returns a torch generator and a managed
    /// generator, both derived from the seed, for the experiment's own draws (shuffles, label permutations, subsets). A seed offset or a
    /// thread override is applied to the configuration the seed and threads come from, never here.
    /// </summary>
    public static SeededRandom Seed(long seed, int? threads = null)
    {
        var count = threads ?? DefaultThreads;
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), count, "The thread count must be at least 1.");
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(count);
        torch.random.manual_seed(seed);
        var generator = new torch.Generator((ulong)seed);
        return new SeededRandom(seed, count, generator);
    }
}

/// <summary>The seeded generators an experiment owns.</summary>
public sealed class SeededRandom(long seed, int threads, torch.Generator torchGenerator) : IDisposable
{
    public long Seed { get; } = seed;
    public int Threads { get; } = threads;

    /// <summary>For tensor draws: <c>torch.randperm(n, generator: Torch)</c>.</summary>
    public torch.Generator Torch { get; } = torchGenerator;

    public void Dispose() => Torch.Dispose();
}
