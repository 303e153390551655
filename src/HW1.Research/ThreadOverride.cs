using System.Globalization;

namespace HW1.Research;

/// <summary>
/// The environment variable that overrides every configuration's intra-op thread count (unset: each configuration's own), read with
/// the other settings by <see cref="RunSettings.Read"/> and applied to the configuration by the experiment's base class. With
/// <c>--parallel=N</c> it lets N experiments share the cores at one thread each. The thread count is part of a result's bits, so a
/// run with an override is not compared with the committed snapshots, and its run keys, pipeline log and sections say so.
/// </summary>
public static class ThreadOverride
{
    public const string Variable = "HW1_THREADS";

    /// <summary>Parses a thread override; anything but a positive integer is an error that names the variable and the value.</summary>
    public static int? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads >= 1) return threads;
        throw new ArgumentException(
            $"The environment variable {Variable} is '{value}', expected a positive integer (for example 1). " +
            "Unset it to run every experiment with its configuration's own thread count.");
    }

    /// <summary>What a run key and a pipeline log hold of the thread count: "own" (each configuration's) or the override.</summary>
    public static string KeyTextOf(int? threads) => threads is { } n ? $"{Variable}={n}" : "own";
}
