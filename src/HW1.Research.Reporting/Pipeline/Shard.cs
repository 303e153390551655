using System.Globalization;

namespace HW1.Research.Pipeline;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: a deterministic share of the experiments, so n machines (a CI matrix, a job
/// array) each run one and <see cref="RunMerge"/> collects their results. Whole experiment k of the selection (0-based, in the
/// catalog's order) belongs to shard k mod n + 1; a replicated experiment's seeds are shared by <see cref="SeedReplicas.Owns"/>,
/// starting where the whole ones stopped (<see cref="Rotation"/>).
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>
    /// Where a replicated experiment's seeds start in the round: seed k belongs to shard (k + rotation) mod n + 1. The runner gives
    /// each replicated experiment the number of whole experiments before it plus its place among the replicated ones
    /// (<see cref="RotationOf"/>), so first seeds do not all land on shard 1; 0 outside shards.
    /// </summary>
    public int Rotation { get; init; }

    /// <summary>
    /// The shard (1 to <see cref="Count"/>) of each of a replicated experiment's seeds by position, as a <see cref="ShardPlan"/> balanced
    /// them by measured time; a position past its end falls back to <see cref="Rotation"/>. Null outside a plan.
    /// </summary>
    public IReadOnlyList<int>? Assignment { get; init; }

    /// <summary>
    /// The rotation of replicated experiment <paramref name="name"/> in <paramref name="selected"/>: how many whole experiments the
    /// selection holds, plus its place (0-based) among the replicated ones, in the catalog's order.
    /// </summary>
    public static int RotationOf(string name, IReadOnlyList<string> selected, IReadOnlySet<string> replicated)
    {
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(replicated);
        var place = selected.Where(replicated.Contains).ToList().IndexOf(name);
        if (place < 0) throw new ArgumentException($"{name} is not a replicated experiment of the selection.", nameof(name));
        return selected.Count(n => !replicated.Contains(n)) + place;
    }
    /// <summary>
    /// Parses "i/n" (1 ≤ i ≤ n), or with <paramref name="rotation"/> "i/n+r" (r ≥ 0) and "i/n+r@a,b,..." (the shard of each seed by
    /// position, each from 1 to n: <see cref="Assignment"/>), the seed share the runner hands an experiment process; anything else is
    /// an error naming the value and the form.
    /// </summary>
    public static Shard Parse(string text, string source = "--shard", bool rotation = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var given = text;
        int r = 0;
        int[]? assignment = null;
        var at = rotation ? text.IndexOf('@', StringComparison.Ordinal) : -1;
        if (at >= 0)
        {
            var shards = text[(at + 1)..].Split(',');
            assignment = new int[shards.Length];
            for (int k = 0; k < shards.Length; k++)
            {
                if (!int.TryParse(shards[k], NumberStyles.None, CultureInfo.InvariantCulture, out assignment[k]) || assignment[k] < 1)
                    throw new ArgumentException($"{source} is '{text}', expected i/n+r@a,b,... with each seed's shard a whole number from 1, " +
                        "e.g. 2/4+3@2,1,4,3.");
            }
            text = text[..at];
        }
        var shard = text;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (rotation && plus >= 0)
        {
            if (!int.TryParse(text[(plus + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out r))
                throw new ArgumentException($"{source} is '{given}', expected i/n+r with a whole rotation r ≥ 0, e.g. 2/4+3.");
            shard = text[..plus];
        }
        var parts = shard.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i >= 1 && i <= n)
        {
            if (assignment?.FirstOrDefault(a => a > n) is > 0 and var beyond)
                throw new ArgumentException($"{source} is '{given}': seed shard {beyond} is beyond the {n} shards.");
            return new Shard(i, n) { Rotation = r, Assignment = assignment };
        }
        throw new ArgumentException($"{source} is '{given}', expected i/n with 1 ≤ i ≤ n, e.g. 2/4 for the second of four shards.");
    }

    /// <summary>This shard's experiments of <paramref name="selected"/>, in their order.</summary>
    public IReadOnlyList<string> Of(IReadOnlyList<string> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        return selected.Where((_, k) => k % Count == Index - 1).ToList();
    }

    public override string ToString() =>
        (Rotation == 0 ? $"{Index}/{Count}" : $"{Index}/{Count}+{Rotation}") +
        (Assignment == null ? "" : "@" + string.Join(",", Assignment.Select(a => a.ToString(CultureInfo.InvariantCulture))));
}
