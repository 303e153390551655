using System.Globalization;

namespace HW1.Research.Pipeline;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: a deterministic share of the experiments, so n machines (a CI matrix, a job
/// array) each run one and <see cref="RunMerge"/> collects their results. Experiment k of the selection (0-based, in the
/// catalog's order) belongs to shard k mod n + 1.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>Parses "i/n" (1 ≤ i ≤ n); anything else is an error naming the value and the form.</summary>
    public static Shard Parse(string text, string source = "--shard")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new ArgumentException($"{source} is '{text}', expected i/n with 1 ≤ i ≤ n, e.g. 2/4 for the second of four shards.");
    }

    /// <summary>This shard's experiments of <paramref name="selected"/>, in their order.</summary>
    public IReadOnlyList<string> Of(IReadOnlyList<string> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        return selected.Where((_, k) => k % Count == Index - 1).ToList();
    }

    public override string ToString() => $"{Index}/{Count}";
}
