using System.Text.Json;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>
/// Which shard runs what, balanced by measured time: every whole experiment and every seed of a replicated one is a task, and the
/// tasks go longest first to the shard with the least work so far (ties to the lower shard, equal times by name and position), from
/// the times a previous run measured (<see cref="Makespan.Read"/>). What the plan does not name (an experiment the previous run did
/// not measure, a seed past its count) falls back to the round of <see cref="Shard"/>. The assignment changes no number: a seed's
/// result does not depend on where it trains, and the merge completes each replicated experiment from all of its seeds.
/// </summary>
/// <param name="Profile">The profile the times were measured in and the plan is for.</param>
/// <param name="Shards">How many shards the plan splits the work into.</param>
/// <param name="Whole">The shard (1 to <paramref name="Shards"/>) of each whole experiment, by full test name.</param>
/// <param name="Seeds">The shard of each seed of each replicated experiment, by position (0-based), by full test name.</param>
/// <param name="PredictedSeconds">Each shard's training time by the measured times (no start-up, no merge).</param>
/// <param name="Source">Where the times came from.</param>
public sealed record ShardPlan(string Profile, int Shards, IReadOnlyDictionary<string, int> Whole, IReadOnlyDictionary<string, int[]> Seeds,
    IReadOnlyList<double> PredictedSeconds, string Source)
{
    /// <summary>Balances <paramref name="measured"/> over <paramref name="shards"/> shards, longest task first to the least loaded shard.</summary>
    public static ShardPlan Balance(IReadOnlyList<ExperimentTime> measured, int shards, string profile, string source)
    {
        var (whole, seeds, loads) = Assign(measured, shards);
        return new ShardPlan(profile, shards, whole, seeds, loads.Select(l => Math.Round(l, 1)).ToList(), source);
    }

    /// <summary>
    /// The balancing itself: every whole experiment and every seed of a replicated one as a task, longest first (ties by name, then
    /// seed position) to the least loaded of <paramref name="shards"/> shards. Gives each whole experiment's shard, each replicated
    /// experiment's shard by seed position (1-based shards), and each shard's summed seconds.
    /// </summary>
    public static (Dictionary<string, int> Whole, Dictionary<string, int[]> Seeds, double[] Loads) Assign(
        IReadOnlyList<ExperimentTime> measured, int shards)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var tasks = measured.SelectMany(e => e.Replicated
                ? e.SeedSeconds.Select((s, k) => (e.Name, Position: k, Seconds: s))
                : [(e.Name, Position: -1, Seconds: e.WallSeconds)])
            .OrderByDescending(t => t.Seconds).ThenBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Position)
            .ToList();
        var loads = new double[shards];
        var whole = new Dictionary<string, int>(StringComparer.Ordinal);
        var seeds = measured.Where(e => e.Replicated).ToDictionary(e => e.Name, e => new int[e.SeedSeconds.Count], StringComparer.Ordinal);
        foreach (var (name, position, seconds) in tasks)
        {
            var least = Array.IndexOf(loads, loads.Min());
            loads[least] += seconds;
            if (position < 0) whole[name] = least + 1;
            else seeds[name][position] = least + 1;
        }
        return (whole, seeds, loads);
    }

    /// <summary>
    /// Shard <paramref name="shard"/>'s whole experiments of <paramref name="whole"/> (in their order): those the plan gives it, and of those it
    /// does not name, every n-th as <see cref="Shard.Of"/> deals them.
    /// </summary>
    public IReadOnlyList<string> WholeOf(Shard shard, IReadOnlyList<string> whole)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(whole);
        var unplanned = shard.Of(whole.Where(n => !Whole.ContainsKey(n)).ToList()).ToHashSet(StringComparer.Ordinal);
        return whole.Where(n => Whole.TryGetValue(n, out var s) ? s == shard.Index : unplanned.Contains(n)).ToList();
    }

    /// <summary>The seed share of replicated experiment <paramref name="name"/> for <paramref name="shard"/>: its rotation, and the plan's
    /// assignment of its seeds when the plan names it.</summary>
    public Shard ShareOf(Shard shard, string name) =>
        Seeds.TryGetValue(name, out var assignment) ? shard with { Assignment = assignment } : shard;

    /// <summary>Stores the plan at <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, ArtifactJson.Options));

    /// <summary>The plan at <paramref name="path"/>; a file that cannot be read or does not hold a whole, consistent plan is an error
    /// naming the file and what is wrong.</summary>
    public static ShardPlan Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no shard plan there (make one with the report tool's shard-plan).", path);
        ShardPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<ShardPlan>(File.ReadAllBytes(path), ArtifactJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a shard plan ({e.Message}).", e);
        }
        if (plan is null || string.IsNullOrWhiteSpace(plan.Profile) || plan.Whole is null || plan.Seeds is null || plan.PredictedSeconds is null)
            throw new InvalidDataException($"{path}: a shard plan needs profile, shards, whole, seeds and predictedSeconds.");
        if (plan.Shards < 1) throw new InvalidDataException($"{path}: shards is {plan.Shards}, expected 1 or more.");
        if (plan.PredictedSeconds.Count != plan.Shards)
            throw new InvalidDataException($"{path}: predictedSeconds has {plan.PredictedSeconds.Count} value(s) for {plan.Shards} shard(s).");
        if (plan.Whole.FirstOrDefault(w => w.Value < 1 || w.Value > plan.Shards) is { Key: not null } bad)
            throw new InvalidDataException($"{path}: {bad.Key} is planned on shard {bad.Value}, outside 1 to {plan.Shards}.");
        if (plan.Seeds.FirstOrDefault(s => s.Value is null || s.Value.Length == 0 || s.Value.Any(v => v < 1 || v > plan.Shards)) is
            { Key: not null } badSeeds)
            throw new InvalidDataException($"{path}: the seeds of {badSeeds.Key} are planned on shards " +
                $"[{string.Join(", ", badSeeds.Value ?? [])}], each must be from 1 to {plan.Shards}.");
        return plan;
    }
}
