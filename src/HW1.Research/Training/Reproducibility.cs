using TorchSharp;

namespace HW1.Research.Training;

/// <summary>
/// The one place that seeds every random source and fixes the thread count. An experiment calls
/// <see cref="Seed"/> once before it builds models or draws data, and owns the generators it returns.
/// </summary>
public static class Reproducibility
{
    /// <summary>Threads for TorchSharp's intra-op parallelism unless a configuration says otherwise.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Seeds TorchSharp's global generator (used by parameter initialisation and dropout), sets the intra-op
    /// thread count, and returns a torch generator and a managed generator, both derived from the seed, for
    /// the experiment's own draws (shuffles, label permutations, subsets).
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
        return new SeededRandom(seed, count, generator, new Random(unchecked((int)seed ^ (int)(seed >> 32))));
    }
}

/// <summary>The seeded generators an experiment owns.</summary>
public sealed class SeededRandom(long seed, int threads, torch.Generator torchGenerator, Random managed) : IDisposable
{
    public long Seed { get; } = seed;
    public int Threads { get; } = threads;

    /// <summary>For tensor draws: <c>torch.randperm(n, generator: Torch)</c>.</summary>
    public torch.Generator Torch { get; } = torchGenerator;

    /// <summary>For managed draws.</summary>
    public Random Managed { get; } = managed;

    public void Dispose() => Torch.Dispose();
}
