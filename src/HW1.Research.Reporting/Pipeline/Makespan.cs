using System.Globalization;
using System.Text;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>
/// One experiment's measured time: its section's wall time and, for one that replicates seeds, each seed's training time (from its
/// replica files). <see cref="Remainder"/> is what is left of the wall time besides the seeds: start-up, the part that is not per
/// seed, the claims and the section; a merge or a completion pays it once, after the last seed.
/// </summary>
public sealed record ExperimentTime(string Name, double WallSeconds, IReadOnlyList<double> SeedSeconds)
{
    public bool Replicated => SeedSeconds.Count > 0;

    public double Remainder => Math.Max(0, WallSeconds - SeedSeconds.Sum());
}

/// <summary>
/// A makespan model: the wall time of a set of measured experiments on one machine with more cores, and on a Slurm cluster of
/// machines of this kind, predicted from the times one run measured. Assumptions, stated in what it prints: every experiment process
/// keeps the 2 threads it was measured with and runs as fast beside others as alone (no memory-bandwidth or cache contention), so a
/// machine with C cores runs C / 2 of them at once; a cluster node of this kind (2 cores) runs one.
/// </summary>
public static class Makespan
{
    /// <summary>Threads of one experiment process (the pinned setting the times were measured with).</summary>
    public const int ThreadsPerProcess = 2;

    /// <summary>
    /// Whole experiments on <paramref name="slots"/> processes at once, longest first, each to the first free slot (what
    /// <c>--parallel</c> did before it split replicated experiments into seed shares).
    /// </summary>
    public static double WholeExperiments(IReadOnlyList<ExperimentTime> experiments, int slots)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        return Schedule(experiments.Select(e => e.WallSeconds), slots).Max;
    }

    /// <summary>
    /// The grain the shards and <c>--parallel</c> use, on one machine: every seed of a replicated experiment and every whole experiment
    /// as its own task, longest first on <paramref name="slots"/> processes; each replicated experiment's remainder starts on the first
    /// free slot once its last seed ended. (<c>--parallel=N</c> groups the seeds into N shares, so it can only come close to this.)
    /// </summary>
    public static double Seeds(IReadOnlyList<ExperimentTime> experiments, int slots)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var tasks = experiments.SelectMany(e => e.Replicated
            ? e.SeedSeconds.Select(s => (Owner: e.Name, Seconds: s))
            : [(Owner: e.Name, Seconds: e.WallSeconds)]).ToList();
        var order = tasks.OrderByDescending(t => t.Seconds).ToList();
        var free = new PriorityQueue<int, double>();
        for (int i = 0; i < Math.Max(1, slots); i++) free.Enqueue(i, 0);
        var lastSeedEnd = new Dictionary<string, double>(StringComparer.Ordinal);
        double end = 0;
        foreach (var (owner, seconds) in order)
        {
            free.TryDequeue(out var slot, out var at);
            var done = at + seconds;
            free.Enqueue(slot, done);
            lastSeedEnd[owner] = Math.Max(lastSeedEnd.GetValueOrDefault(owner), done);
            end = Math.Max(end, done);
        }
        foreach (var e in experiments.Where(e => e.Replicated).OrderBy(e => lastSeedEnd[e.Name]))
        {
            free.TryDequeue(out var slot, out var at);
            var done = Math.Max(at, lastSeedEnd[e.Name]) + e.Remainder;
            free.Enqueue(slot, done);
            end = Math.Max(end, done);
        }
        return end;
    }

    /// <summary>
    /// <c>scripts/slurm/submit.sh</c> with <paramref name="nodes"/> shards on as many nodes of this kind, as it assigns work (a round,
    /// not by time): whole experiment k of the catalog order (<paramref name="experiments"/>' order) to shard k mod n + 1, seed k of
    /// the r-th replicated experiment to shard (W + r + k) mod n + 1 (W whole experiments); each shard runs its work one after another; then the
    /// merge job completes the replicated experiments one after another (their remainders). The build job and rendering are not in it.
    /// </summary>
    public static (double Shards, double Merge) Slurm(IReadOnlyList<ExperimentTime> experiments, int nodes)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var shards = new double[Math.Max(1, nodes)];
        var whole = experiments.Where(e => !e.Replicated).ToList();
        for (int k = 0; k < whole.Count; k++) shards[k % shards.Length] += whole[k].WallSeconds;
        // Seed k of the r-th replicated experiment to shard (W + r + k) mod n + 1, W whole experiments before (Shard.RotationOf).
        var replicated = experiments.Where(e => e.Replicated).ToList();
        for (int r = 0; r < replicated.Count; r++)
            for (int k = 0; k < replicated[r].SeedSeconds.Count; k++) shards[(whole.Count + r + k) % shards.Length] += replicated[r].SeedSeconds[k];
        return (shards.Max(), MergeSeconds(experiments));
    }

    /// <summary>
    /// <c>submit.sh</c> with <paramref name="nodes"/> shards and a <see cref="ShardPlan"/> balanced by these same times (the build job
    /// writes one from the previous run's): each shard runs what the plan gives it one after another; then the merge's completions.
    /// </summary>
    public static (double Shards, double Merge) SlurmPlanned(IReadOnlyList<ExperimentTime> experiments, int nodes)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        return (ShardPlan.Assign(experiments, Math.Max(1, nodes)).Loads.Max(), MergeSeconds(experiments));
    }

    /// <summary>The merge job's completions, one after another: every replicated experiment's remainder.</summary>
    private static double MergeSeconds(IReadOnlyList<ExperimentTime> experiments) => experiments.Where(e => e.Replicated).Sum(e => e.Remainder);

    /// <summary>Longest first to the first free of <paramref name="slots"/>; the end time of the last.</summary>
    private static (double Max, double[] Loads) Schedule(IEnumerable<double> seconds, int slots)
    {
        var loads = new double[Math.Max(1, slots)];
        foreach (var s in seconds.OrderByDescending(s => s))
        {
            var first = Array.IndexOf(loads, loads.Min());
            loads[first] += s;
        }
        return (loads.Max(), loads);
    }

    /// <summary>
    /// Reads the measured times of the sections an artifacts folder stored for <paramref name="profile"/> under its pipeline log, in the
    /// log's order; each replicated experiment's seed times come from its replica files of the same compute key.
    /// </summary>
    public static IReadOnlyList<ExperimentTime> Read(string artifactsRoot, string profile)
    {
        var log = PipelineLog.Read(profile, artifactsRoot)
            ??
            throw new InvalidDataException($"{PipelineLog.PathOf(profile, artifactsRoot)}: no pipeline log; run the {profile} experiments there " +
                $"first.");
        var sections = SectionStore.ReadAll(profile, artifactsRoot).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var result = new List<ExperimentTime>();
        foreach (var e in log.Experiments.Where(e => e.Sections.Count > 0))
        {
            var wall = e.Sections.Where(sections.ContainsKey).Select(id => sections[id].WallSeconds).DefaultIfEmpty(0).Max();
            if (wall <= 0) continue;
            var seeds = new List<double>();
            var folder = ExperimentRunner.ReplicaFolderOf(profile, artifactsRoot, e.Name);
            if (Directory.Exists(folder))
            {
                // In seed order (seed-100 after seed-99), so that each time sits at its seed's position for a shard plan.
                foreach (var (file, seed) in Directory.GetFiles(folder, "seed-*.json")
                             .Select(f => (File: f, Seed: SeedReplicas.SeedOf(Path.GetFileName(f)))).Where(f => f.Seed != null)
                             .Select(f => (f.File, Seed: f.Seed!.Value)).OrderBy(f => f.Seed))
                {
                    var replica = SeedReplicas.Read(file, ExperimentRunner.ClassName(e.Name), seed)!;
                    if (e.ComputeKey == null || replica.Key == e.ComputeKey) seeds.Add(replica.Seconds);
                }
            }
            result.Add(new ExperimentTime(e.Name, wall, seeds));
        }
        return result;
    }

    /// <summary>The prediction table in Markdown: one machine with each core count, and Slurm with each node count.</summary>
    public static string Table(IReadOnlyList<ExperimentTime> experiments, IReadOnlyList<int> cores, IReadOnlyList<int> nodes)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(cores);
        ArgumentNullException.ThrowIfNull(nodes);
        var text = new StringBuilder();
        var sum = experiments.Sum(e => e.WallSeconds);
        var longestSeed = experiments.SelectMany(e => e.Replicated ? e.SeedSeconds : [e.WallSeconds]).DefaultIfEmpty(0).Max();
        text.AppendLine(CultureInfo.InvariantCulture, $"{experiments.Count} experiments, {experiments.Count(e => e.Replicated)} of them replicated " +
            $"({experiments.Sum(e => e.SeedSeconds.Count)} seeds); measured one at a time: {Minutes(sum)} in all, the longest single task " +
            $"{Minutes(longestSeed)}.");
        text.AppendLine();
        text.AppendLine("| where | processes at once | whole experiments as tasks | seeds as tasks (`--parallel`, the shards) |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var c in cores)
        {
            var slots = Math.Max(1, c / ThreadsPerProcess);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| one machine, {c} cores | {slots} | {Minutes(WholeExperiments(experiments, slots))} | {Minutes(Seeds(experiments, slots))} |");
        }
        text.AppendLine();
        text.AppendLine("| where | slowest shard | merge (completions) | shards + merge |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var n in nodes)
        {
            var (shards, merge) = Slurm(experiments, n);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| Slurm, {n} nodes of 2 cores (`submit.sh {n}`), the round | {Minutes(shards)} | {Minutes(merge)} | {Minutes(shards + merge)} |");
            var (planned, _) = SlurmPlanned(experiments, n);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| Slurm, {n} nodes, a shard plan from these times | {Minutes(planned)} | {Minutes(merge)} | {Minutes(planned + merge)} |");
        }
        return text.ToString();
    }

    private static string Minutes(double seconds) => seconds < 600
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.0} min");
}
