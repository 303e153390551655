using System.Diagnostics;
using System.Text;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>What the pipeline runs and how.</summary>
public sealed record RunnerOptions(string Profile, string ExperimentsProject, string Configuration)
{
    /// <summary>Only experiments whose full test name contains this (case-insensitive); null runs all.</summary>
    public string? Only { get; init; }

    /// <summary>Re-run every experiment even when a stored result has the current key (and train every seed, not reading its stored
    /// replica).</summary>
    public bool Force { get; init; }

    public long SeedOffset { get; init; }

    /// <summary>The thread override of this run (<see cref="RunSettings.Threads"/>), part of every key; null: each configuration's own.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Environment variables every experiment process gets besides the runner's own: the profile, the seed offset and the thread
    /// override (empty: unset), named by the layer that reads them (the report tool fills them in).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>When the pipeline started (for its total wall time); defaults to when the runner starts.</summary>
    public DateTimeOffset? PipelineStarted { get; init; }

    /// <summary>
    /// How many experiment processes run at once (default <see cref="ExperimentRunner.DefaultParallel"/>). Each keeps its own
    /// thread count and seeds, so the numbers are the same as one at a time.
    /// </summary>
    public int Parallel { get; init; } = ExperimentRunner.DefaultParallel();

    /// <summary>This run's part of the work, one shard of several (<see cref="Pipeline.Shard"/>); null runs everything selected.</summary>
    public Shard? Shard { get; init; }

    /// <summary>With <see cref="Shard"/>: the assignment by measured time (<see cref="Pipeline.ShardPlan"/>) instead of the round, for what
    /// it names; its profile and shard count must be this run's.</summary>
    public ShardPlan? ShardPlan { get; init; }

    /// <summary>Seconds between progress lines while an experiment runs.</summary>
    public double HeartbeatSeconds { get; init; } = 30;

    public string ArtifactsRoot { get; init; } = RepoPaths.ArtifactsDir;

    /// <summary>
    /// A merged run this one completes (its replicated experiments from their shards' seed replicas): this build must make the same keys,
    /// so its commit, code hash, kernels, threads and each completed experiment's key must be the merged run's (checked here; the caller
    /// passes the merged run's <see cref="SeedOffset"/> and checks the shell's); the merged run's sources are kept in the log.
    /// </summary>
    public PipelineLog? Completes { get; init; }
}

/// <summary>
/// Runs the experiments of the pipeline, each in its own <c>dotnet test</c> process: reuses a stored result whose
/// key matches (unless forced), prints which experiment is running with its elapsed time and latest progress line,
/// records every outcome in <c>artifacts/&lt;profile&gt;/pipeline.json</c> after each experiment (so an interrupted run
/// keeps what finished), and ends with a table of wall times and peak memory. A failed experiment does not stop the others.
/// </summary>
public sealed class ExperimentRunner(RunnerOptions options, Action<string> log)
{
    /// <summary>Intra-op threads each experiment uses (their configurations fix 2).</summary>
    public const int ExperimentThreads = 2;

    /// <summary>The cores divided by the threads each experiment uses (its configuration's, or the <paramref name="threads"/> override), at least
    /// 1.</summary>
    public static int DefaultParallel(int? threads = null) => Math.Max(1, Environment.ProcessorCount / (threads ?? ExperimentThreads));

    /// <summary>Environment variables the runner passes to each experiment process.</summary>
    public const string RunKeyVariable = "HW1_RUN_KEY";
    public const string ProgressFileVariable = "HW1_PROGRESS_FILE";

    private string ProjectFolder => Path.GetDirectoryName(Path.GetFullPath(options.ExperimentsProject))!;

    /// <summary>The experiments' build output: <c>bin/&lt;configuration&gt;/&lt;framework&gt;</c> holding the project's assembly.</summary>
    public string BinFolder()
    {
        var bin = Path.Combine(ProjectFolder, "bin", options.Configuration);
        var assembly = Path.GetFileNameWithoutExtension(options.ExperimentsProject) + ".dll";
        var found = Directory.Exists(bin) ? Directory.GetDirectories(bin).Where(d => File.Exists(Path.Combine(d, assembly))).ToList() : [];
        return found.Count switch
        {
            1 => found[0],
            0 => throw new DirectoryNotFoundException($"{bin}: no built {assembly}. Build first: dotnet build -c {options.Configuration}"),
            _ =>
                throw new InvalidOperationException($"{bin}: {assembly} is built for several frameworks " +
                    $"({string.Join(", ", found.Select(Path.GetFileName))}); clean the folder."),
        };
    }

    /// <summary>Every experiment the built project declares (<see cref="ExperimentCatalog"/>), by full test name.</summary>
    public IReadOnlyList<string> ListExperiments() => Catalog().Select(e => e.Name).ToList();

    private IReadOnlyList<CatalogEntry> Catalog()
    {
        var assembly = Path.Combine(BinFolder(), Path.GetFileNameWithoutExtension(options.ExperimentsProject) + ".dll");
        var found = ExperimentCatalog.ReadEntries(assembly);
        if (found.Count == 0)
            throw new InvalidOperationException($"{assembly} declares no experiment (no public class derives from " +
                $"{ExperimentCatalog.BaseNamespace}.{ExperimentCatalog.BaseName}).");
        return found;
    }

    /// <summary>
    /// Shard <paramref name="shard"/>'s work of <paramref name="selected"/>: its share (<see cref="Shard.Of"/>) of the experiments that run
    /// whole, and every replicated one (<paramref name="replicated"/>), of which it trains its share of the seeds. Catalog order.
    /// </summary>
    public static IReadOnlyList<string> OfShard(Shard shard, IReadOnlyList<string> selected, IReadOnlySet<string> replicated,
        ShardPlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(replicated);
        var wholeOnes = selected.Where(n => !replicated.Contains(n)).ToList();
        var whole = (plan?.WholeOf(shard, wholeOnes) ?? shard.Of(wholeOnes)).ToHashSet(StringComparer.Ordinal);
        return selected.Where(n => whole.Contains(n) || replicated.Contains(n)).ToList();
    }

    /// <summary>The folder an experiment's seed replicas are stored in: its class name under <see cref="SeedReplicas.FolderOf"/>.</summary>
    public static string ReplicaFolderOf(string profile, string artifactsRoot, string name) =>
        Path.Combine(SeedReplicas.FolderOf(profile, artifactsRoot), ClassName(name));

    /// <summary>The class of a full test name (Namespace.Class.Method).</summary>
    public static string ClassName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('.');
        return parts.Length >= 2 ? parts[^2] : name;
    }

    private HashSet<string> _replicated = new(StringComparer.Ordinal);

    /// <summary>The experiments --only selected, before a shard took its part: the order seed rotations count in.</summary>
    private IReadOnlyList<string> _selected = [];

    /// <summary>
    /// The experiments <see cref="RunnerOptions.Only"/> selects (names containing the text, ignoring case; several texts separated by
    /// commas select every experiment that contains any of them); a filter that matches nothing is an error listing what exists.
    /// </summary>
    public static IReadOnlyList<string> Select(IReadOnlyList<string> all, string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return all;
        var texts = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = all.Where(n => texts.Any(t => n.Contains(t, StringComparison.OrdinalIgnoreCase))).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"--only={only} matches no experiment. It is matched (ignoring case) against these names:\n  " +
                string.Join("\n  ", all));
        return chosen;
    }

    /// <summary>Plans the run (<see cref="Plan"/>), runs what is not reused (<see cref="Execute"/>), and summarizes it (<see cref="Summarize"/>); 0
    /// when nothing failed.</summary>
    public int Run()
    {
        var clock = Stopwatch.StartNew();
        var started = options.PipelineStarted ?? DateTimeOffset.UtcNow;
        // A SIGTERM or SIGINT to the tool records the run as interrupted (the report tool stops the processes under it).
        using var interruption = Interruption.OnInterrupt(Interrupt);
        var plan = Plan(started);
        Execute(plan, clock, started);
        return Summarize(plan, clock, started);
    }

    /// <summary>What a run does: every experiment of the catalog, those it selects, the outcomes known before it runs anything (kept and reused), and
    /// what it runs.</summary>
    /// <param name="Previous">The log of the run before this one (read before this run's first save replaces it): the times it took.</param>
    private sealed record RunPlan(IReadOnlyList<string> All, List<PipelineExperiment> Outcomes, List<(string Name, string Key, string Label)> ToRun,
        PipelineLog? Previous);

    /// <summary>
    /// Selects the experiments (and this shard's share), checks a completion against the merged run, records the run's identity,
    /// keeps what --only leaves out, and decides for each selected experiment whether its stored result is reused or it runs.
    /// </summary>
    private RunPlan Plan(DateTimeOffset started)
    {
        var catalog = Catalog();
        var all = catalog.Select(e => e.Name).ToList();
        _replicated = catalog.Where(e => e.ReplicatesSeeds).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var experiments = Select(all, options.Only);
        _selected = experiments;
        if (options.Shard is { } shard)
        {
            var selected = experiments;
            if (options.ShardPlan is { } plan)
            {
                if (plan.Shards != shard.Count || plan.Profile != options.Profile)
                    throw new ArgumentException($"The shard plan is for {plan.Shards} shard(s) of the {plan.Profile} profile ({plan.Source}); " +
                        $"this run is shard {shard} of the {options.Profile} profile. Make a plan for {shard.Count} shards, or run without one.");
                log($"shard plan by measured time ({plan.Source}): this shard's predicted training " +
                    $"{RunText.Seconds(plan.PredictedSeconds[shard.Index - 1])}");
            }
            experiments = OfShard(shard, selected, _replicated, options.ShardPlan);
            var whole = experiments.Where(n => !_replicated.Contains(n)).ToList();
            var shared = experiments.Where(_replicated.Contains).ToList();
            log($"shard {shard}: {whole.Count} of the {selected.Count(n => !_replicated.Contains(n))} whole experiment(s) " +
                $"({string.Join(", ", whole.Select(RunText.ShortName))}), " +
                $"and seed share {shard} of {shared.Count} replicated one(s) ({string.Join(", ", shared.Select(RunText.ShortName))})");
        }
        var codeHash = RunKey.CodeHash(BinFolder(), ProjectFolder);
        if (options.Completes is { } merged)
        {
            void Same(string what, string? theirs, string? ours)
            {
                if (theirs != ours)
                    throw new InvalidOperationException($"This checkout cannot complete the merged run: its {what} is {ours ?? "not recorded"}, " +
                        $"the shards' was {theirs ?? "not recorded"}. " +
                        "Complete it from a build of the shards' commit, with the same HW1_SEED_OFFSET, HW1_THREADS and CPU kernels.");
            }
            Same("code hash", merged.CodeHash, codeHash);
            Same("CPU kernels", merged.Kernels, CpuKernels.State.KeyText);
            Same("thread count", merged.Threads ?? "own", ThreadOverride.KeyTextOf(options.Threads));
            Same("commit", merged.Source?.Commit, SourceInfo.Current(RepoPaths.Root)?.Commit);
            // Everything else a key covers (the experiment's own source and snapshots, the shared infrastructure) must agree too, or
            // every seed would be trained again here instead of read.
            foreach (var share in merged.Experiments.Where(e => e.Outcome == PipelineExperiment.Partial && experiments.Contains(e.Name)))
                Same($"run key of {RunText.ShortName(share.Name)}", share.Key, KeyOf(share.Name));
        }
        _identity = new PipelineLog(options.Profile, started, 0)
        {
            Source = options.Completes?.Source ?? SourceInfo.Current(RepoPaths.Root),
            CodeHash = codeHash,
            SeedOffset = options.SeedOffset,
            Kernels = CpuKernels.State.KeyText,
            Threads = ThreadOverride.KeyTextOf(options.Threads),
            Shard = options.Shard?.ToString(),
            MergedFrom = options.Completes?.MergedFrom ?? [],
        };
        var previous = Previous();
        var outcomes = new List<PipelineExperiment>();
        // Experiments left out by --only stay in the report when their stored result belongs to this very build (a shard keeps none:
        // the other shards' results are merged in afterwards).
        // Completing a merged run keeps every other outcome of it as it is: reproduced, not reproduced or failed, the report says which.
        var kept = options.Completes is { } completes
            ? completes.Experiments.Where(e => e.Outcome != PipelineExperiment.Partial && !experiments.Contains(e.Name)).ToList()
            : (options.Shard != null ? [] : all.Except(experiments))
                .Select(name => Reusable(previous, name, KeyOf(name)))
                .OfType<PipelineExperiment>().Select(e => e with { Outcome = PipelineExperiment.Reused }).ToList();
        if (kept.Count > 0) log($"{kept.Count} experiment(s) not selected by --only keep their stored results of this build in the report.");
        outcomes.AddRange(kept);
        // From here on this run is the current one: a report rendered before it finishes uses none of the older results.
        Save(started, outcomes);
        log($"{experiments.Count} experiment(s), {options.Profile} profile{(options.Force ? ", forced re-run" : "")}; code {codeHash[..12]}");
        var kernels = CpuKernels.State;
        log(kernels.Warning ?? $"CPU kernels {kernels.Description} on {kernels.Cpu.Model}: the same bits as on any other x86-64 CPU with AVX2");

        if (options.Parallel < 1) throw new ArgumentException($"--parallel must be at least 1, found {options.Parallel}.");
        var toRun = new List<(string Name, string Key, string Label)>();
        for (int i = 0; i < experiments.Count; i++)
        {
            var name = experiments[i];
            var key = KeyOf(name);
            var label = $"[{i + 1}/{experiments.Count}] {RunText.ShortName(name)}";
            var reusable = options.Force ? null : Reusable(previous, name, key);
            if (reusable != null)
            {
                log($"{label}: reused (same code, profile and settings; ran in {RunText.Seconds(reusable.Seconds)})");
                outcomes.Add(reusable with { Outcome = PipelineExperiment.Reused });
            }
            else
            {
                toRun.Add((name, key, label));
            }
        }
        Save(started, outcomes);
        return new RunPlan(all, outcomes, toRun, previous);
    }

    /// <summary>Runs the planned experiments, one at a time or --parallel at once, recording each outcome as it finishes.</summary>
    private void Execute(RunPlan plan, Stopwatch clock, DateTimeOffset started)
    {
        var (outcomes, toRun, previous) = (plan.Outcomes, plan.ToRun, plan.Previous);
        // Experiments whose measured result is stored under their compute key train nothing: they only decide, snapshot and describe,
        // so they go first, all in one process (DecideTogether).
        var deciding = toRun.Where(Decides).ToList();
        var training = toRun.Except(deciding).ToList();
        // With --parallel above 1 on a whole run, a replicated experiment's seeds are shared out as the shards share them (SeedGrain).
        var splitting = options.Parallel > 1 && options.Shard == null && training.Any(t => _replicated.Contains(t.Name));
        if (training.Count > 1 && options.Parallel > 1 && !splitting)
            log($"{training.Count} experiments to run, {Math.Min(options.Parallel, training.Count)} at a time (--parallel={options.Parallel}), " +
                $"each with its own {ExperimentThreads} threads and seeds");

        // One at a time unless --parallel says otherwise; each experiment is its own process, so running several at once changes
        // no number. Outcomes are recorded as they finish; the summary lists them in the experiments' order.
        var gate = new Lock();
        double? Before(string name) => previous?.Experiments.FirstOrDefault(e => e.Name == name && e.Outcome == PipelineExperiment.Ran)?.Seconds;
        PipelineExperiment Running(string id, string name, string key, string label, Func<PipelineExperiment> run)
        {
            _running[id] = (name, key, Stopwatch.StartNew());
            try
            {
                return run();
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        }
        void Record(PipelineExperiment outcome)
        {
            lock (gate)
            {
                outcomes.Add(outcome);
                Save(started, outcomes);
            }
        }
        void RunItem((string Name, string Key, string Label) item)
        {
            var (name, key, label) = item;
            var before = Before(name);
            log($"{label}: running (elapsed {Format(clock.Elapsed)}{(before is { } b ? $"; took {RunText.Seconds(b)} last time" : "")})");
            Record(Running(name, name, key, label, () => RunOne(name, key, label, before)));
        }
        void RunAll(List<(string Name, string Key, string Label)> items, int atOnce)
        {
            if (atOnce == 1)
            {
                foreach (var item in items) RunItem(item);
                return;
            }
            if (splitting)
            {
                SeedGrain(items, atOnce, Before, Running, Record, clock);
                return;
            }
            try
            {
                System.Threading.Tasks.Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = atOnce }, RunItem);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The first error as itself (a full disk, a process that cannot start), so the command reports it like any other.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        if (deciding.Count > 0)
        {
            foreach (var (name, key, _) in deciding) _running[name] = (name, key, Stopwatch.StartNew());
            var decided = DecideTogether(deciding);
            foreach (var (name, _, _) in deciding) _running.TryRemove(name, out _);
            foreach (var outcome in decided)
            {
                outcomes.Add(outcome);
                Save(started, outcomes);
            }
        }
        RunAll(training, options.Parallel);
    }

    /// <summary>
    /// Every core busy on one machine: <paramref name="atOnce"/> processes at once at the grain the shards use. A replicated experiment
    /// becomes <paramref name="atOnce"/> seed shares (share i of n trains its seeds k with k mod n = i - 1 and stores them as replicas, as
    /// a shard's share does) and, once its last share ended, a completion that reads every seed from the replicas and decides; an
    /// experiment that runs whole is one task. Longest first by the previous run's times (a share counts its experiment's time / n);
    /// a completion goes ahead of everything waiting. The numbers are the same as one process's: each seed seeds its own generators,
    /// and the completion computes from the stored form, as it does after a merge. A share that failed leaves its seeds to the
    /// completion, which trains them itself.
    /// </summary>
    private void SeedGrain(List<(string Name, string Key, string Label)> items, int atOnce, Func<string, double?> before,
        Func<string, string, string, string, Func<PipelineExperiment>, PipelineExperiment> running, Action<PipelineExperiment> record,
        Stopwatch clock)
    {
        var queue = new LinkedList<Action>();
        var sharesLeft = new Dictionary<string, int>(StringComparer.Ordinal);
        var shareSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        // Monitor.Wait and PulseAll need a monitor, so a plain object (not System.Threading.Lock).
        var gate = new object();
        var tasks = new List<(double Expected, Action Run)>();
        int splits = 0;
        foreach (var (name, key, label) in items)
        {
            var last = before(name);
            if (!_replicated.Contains(name))
            {
                tasks.Add((last ?? 0, () =>
                {
                    log($"{label}: running (elapsed {Format(clock.Elapsed)}{(last is { } b ? $"; took {RunText.Seconds(b)} last time" : "")})");
                    record(running(name, name, key, label, () => RunOne(name, key, label, last)));
                }
                ));
                continue;
            }
            splits++;
            // Cleared once, before any share: a forced run trains every seed again, and its shares must not clear each other's.
            ClearStored(name);
            sharesLeft[name] = atOnce;
            shareSeconds[name] = 0;
            for (int i = 1; i <= atOnce; i++)
            {
                var share = new Shard(i, atOnce);
                var shareLabel = $"{label} seed share {share}";
                tasks.Add(((last ?? 0) / atOnce, () =>
                {
                    log($"{shareLabel}: running (elapsed {Format(clock.Elapsed)})");
                    var outcome = running($"{name} {share}", name, key, shareLabel,
                        () => RunOne(name, key, shareLabel, last / atOnce, share, clearStored: false));
                    if (outcome.Outcome != PipelineExperiment.Partial)
                        log($"{shareLabel}: its seeds are left to the completion, which trains those not stored ({outcome.Failure})");
                    lock (gate)
                    {
                        shareSeconds[name] += outcome.Seconds;
                        if (--sharesLeft[name] > 0) return;
                        var spent = shareSeconds[name];
                        queue.AddFirst(() =>
                        {
                            log($"{label}: completing from its seed shares (elapsed {Format(clock.Elapsed)})");
                            var completed = running(name, name, key, label, () => RunOne(name, key, label, null, null, clearStored: false));
                            log($"{label}: completed in {RunText.Seconds(completed.Seconds)} from seed shares that took {RunText.Seconds(spent)} " +
                                $"in all");
                            record(completed with { Seconds = Math.Round(completed.Seconds + spent, 1) });
                        });
                        Monitor.PulseAll(gate);
                    }
                }
                ));
            }
        }
        log($"{items.Count} experiments to run, {atOnce} processes at a time (--parallel={atOnce}), each with its own {ExperimentThreads} threads: " +
            $"{splits} replicated one(s) split into {atOnce} seed shares each and completed from them, the rest whole");
        // Longest first (stable: the catalog's order among unknown times).
        foreach (var task in tasks.Select((t, i) => (t, i)).OrderByDescending(x => x.t.Expected).ThenBy(x => x.i)) queue.AddLast(task.t.Run);
        Exception? first = null;
        void Worker()
        {
            while (true)
            {
                Action next;
                lock (gate)
                {
                    while (queue.Count == 0 && sharesLeft.Values.Any(v => v > 0) && first == null) Monitor.Wait(gate);
                    if (queue.Count == 0 || first != null) return;
                    next = queue.First!.Value;
                    queue.RemoveFirst();
                }
                try
                {
                    next();
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        first ??= e;
                        Monitor.PulseAll(gate);
                    }
                    return;
                }
            }
        }
        var threads = Enumerable.Range(0, atOnce).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        // The first error as itself (a full disk, a process that cannot start), so the command reports it like any other.
        if (first != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>
    /// Runs the experiments whose measured results are stored under their compute keys in one <c>dotnet test</c> process (one start-up
    /// for all; each finds its keys and progress file in the plan the runner writes, <see cref="ExperimentPlan"/>): each decides its
    /// claims, checks its snapshot and stores its section from the stored result. One whose stored result turns out unusable trains
    /// in that process, as it would in its own.
    /// </summary>
    private List<PipelineExperiment> DecideTogether(List<(string Name, string Key, string Label)> items)
    {
        var progressFolder = Path.Combine(options.ArtifactsRoot, options.Profile, "progress");
        Directory.CreateDirectory(progressFolder);
        var plan = new Dictionary<string, PlannedExperiment>(StringComparer.Ordinal);
        foreach (var (name, key, _) in items)
        {
            var progress = Path.Combine(progressFolder, RunText.ShortName(name) + ".log");
            File.Delete(progress);
            plan[ClassName(name)] = new PlannedExperiment(key, ComputeKeyOf(name), progress);
        }
        var planPath = Path.Combine(progressFolder, "decide.plan.json");
        ExperimentPlan.Write(planPath, plan);
        var environment = new Dictionary<string, string>(options.Environment)
        {
            [ExperimentPlan.Variable] = planPath,
            [RunKeyVariable] = "",
            [StoredResults.ComputeKeyVariable] = "",
            [ProgressFileVariable] = "",
            [RepoPaths.ArtifactsDirVariable] = options.ArtifactsRoot,
            [SeedReplicas.FolderVariable] = SeedReplicas.FolderOf(options.Profile, options.ArtifactsRoot),
            [SeedReplicas.ShareVariable] = "",
        };
        var trx = Path.Combine(progressFolder, "decide.trx");
        File.Delete(trx);
        log($"{items.Count} experiment(s) have their measured results stored under their compute keys: deciding and describing them again in one " +
            $"process, without training " +
            $"({string.Join(", ", items.Select(i => RunText.ShortName(i.Name)))})");
        var clock = Stopwatch.StartNew();
        var (code, output) = Dotnet(
            ["test", options.ExperimentsProject, "-c", options.Configuration, "--no-build", "--filter",
                string.Join('|', items.Select(i => $"FullyQualifiedName={i.Name}")),
             "--logger", $"trx;LogFileName={trx}"],
            environment, TimeSpan.FromHours(3),
            heartbeat: () => log($"  … deciding {items.Count} experiment(s): {Format(clock.Elapsed)} elapsed"));
        var results = File.Exists(trx) ? TrxResults.Read(trx) : [];
        var outcomes = new List<PipelineExperiment>();
        foreach (var (name, key, label) in items)
        {
            var own = results.Where(r => r.Name == name).ToList();
            var stored = StoredByKey(new HashSet<string>(StringComparer.Ordinal) { key });
            bool passed = own.Count == 1 && own[0].Passed;
            // The process's time, shared among the experiments it decided (each section records its own).
            var seconds = Math.Round(clock.Elapsed.TotalSeconds / items.Count, 1);
            var (ended, failure) = passed ? (PipelineExperiment.Ran, null) : Unfinished(seconds, () => FailureOf(own, output, code));
            var outcome = new PipelineExperiment(name, key, ended, seconds)
            {
                ComputeKey = plan[ClassName(name)].ComputeKey,
                Redecided = passed,
                Sections = stored.Select(s => s.Id).ToList(),
                Digests = stored.Where(s => s.Digest != null).ToDictionary(s => s.Id, s => s.Digest!, StringComparer.Ordinal),
                Failure = failure,
            };
            log(passed
                ? $"{label}: decided and described again; stored " +
                    $"{string.Join(", ", stored.Select(s => $"{s.Id} (digest {SectionDigest.Short(s.Digest ?? "none")})"))}"
                : UnfinishedLine(label, ended, failure!, seconds: null));
            outcomes.Add(outcome);
        }
        log($"deciding {items.Count} experiment(s) took {RunText.Seconds(Math.Round(clock.Elapsed.TotalSeconds, 1))}");
        return outcomes;
    }

    /// <summary>The stored result of <paramref name="item"/> carries its compute key, so its process will only decide and describe (never for a seed
    /// share or a forced run).</summary>
    private bool Decides((string Name, string Key, string Label) item) =>
        !options.Force && !(options.Shard != null && _replicated.Contains(item.Name))
        &&
        StoredResults.KeyOf(StoredResults.PathOf(StoredResults.FolderOf(options.Profile, options.ArtifactsRoot),
        ClassName(item.Name))) == ComputeKeyOf(item.Name);

    /// <summary>Sorts the outcomes in catalog order, saves the log, prints the wall-time table and every failure; 0 when nothing failed.</summary>
    private int Summarize(RunPlan plan, Stopwatch clock, DateTimeOffset started)
    {
        var (all, outcomes) = (plan.All, plan.Outcomes);
        var position = all.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        outcomes.Sort((a, b) => position[a.Name].CompareTo(position[b.Name]));
        Save(started, outcomes);

        var sections = StoredByKey(outcomes.Select(o => o.Key).ToHashSet(StringComparer.Ordinal));
        Summary(outcomes, sections, clock.Elapsed);
        var failed = outcomes.Where(o => o.Outcome == PipelineExperiment.Failed).ToList();
        foreach (var f in failed) log($"FAILED {RunText.ShortName(f.Name)}: {f.Failure}");
        return failed.Count == 0 && InterruptedBy == null ? 0 : 1;
    }

    private PipelineLog? Previous()
    {
        try
        {
            return PipelineLog.Read(options.Profile, options.ArtifactsRoot);
        }
        catch (InvalidDataException e)
        {
            log($"Ignoring the previous pipeline log: {e.Message}");
            return null;
        }
    }

    /// <summary>The previous outcome of <paramref name="name"/> if it ran under <paramref name="key"/>, reproduced, and every section it stored is
    /// still there intact.</summary>
    private PipelineExperiment? Reusable(PipelineLog? previous, string name, string key)
    {
        var before = previous?.Experiments.FirstOrDefault(e => e.Name == name && e.Key == key && e.Outcome != PipelineExperiment.Failed);
        if (before == null || before.Sections.Count == 0) return null;
        foreach (var id in before.Sections)
        {
            var path = SectionStore.PathOf(options.Profile, id, options.ArtifactsRoot);
            try
            {
                var section = SectionStore.Read(path, options.Profile);
                if (section.RunKey != key || section.Status != SectionStatus.Reproduced) return null;
                if (before.Digests.TryGetValue(id, out var recorded) && recorded != section.Digest)
                {
                    log($"  stored section {path} cannot be reused: its digest {SectionDigest.Short(section.Digest ?? "none")} is not the " +
                        $"{SectionDigest.Short(recorded)} recorded when it was measured");
                    return null;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                log($"  stored section {path} cannot be reused: {e.Message}");
                return null;
            }
        }
        return before;
    }

    /// <summary>Deletes what a forced run must measure again: the experiment's stored result and its seed replicas (no-op unless --force).</summary>
    private void ClearStored(string name)
    {
        if (!options.Force) return;
        var resultPath = StoredResults.PathOf(StoredResults.FolderOf(options.Profile, options.ArtifactsRoot), ClassName(name));
        if (File.Exists(resultPath)) File.Delete(resultPath);
        var replicaFolder = ReplicaFolderOf(options.Profile, options.ArtifactsRoot, name);
        if (Directory.Exists(replicaFolder)) Directory.Delete(replicaFolder, recursive: true);
    }

    /// <summary>
    /// Runs one experiment in its own <c>dotnet test</c> process: whole, or <paramref name="share"/> of its seeds (by default this run's
    /// shard's share when it replicates seeds). <paramref name="clearStored"/>: a forced run clears its stored result and replicas first.
    /// </summary>
    private PipelineExperiment RunOne(string name, string key, string label, double? secondsLastTime = null, Shard? share = null,
        bool clearStored = true)
    {
        if (share == null && options.Shard != null && _replicated.Contains(name))
        {
            share = options.Shard with { Rotation = Shard.RotationOf(name, _selected, _replicated) };
            share = options.ShardPlan?.ShareOf(share, name) ?? share;
        }
        // Each share of one experiment has its own progress and TRX files, so that shares running at once never clear each other's.
        var suffix = share != null && options.Shard == null ? $".share-{share.Index}of{share.Count}" : "";
        var progress = Path.Combine(options.ArtifactsRoot, options.Profile, "progress", RunText.ShortName(name) + suffix + ".log");
        Directory.CreateDirectory(Path.GetDirectoryName(progress)!);
        File.Delete(progress);
        var computeKey = ComputeKeyOf(name);
        // A forced run measures again: the stored result and the replicas of this key would otherwise be read instead.
        if (clearStored) ClearStored(name);
        var environment = new Dictionary<string, string>(options.Environment)
        {
            [RunKeyVariable] = key,
            [StoredResults.ComputeKeyVariable] = computeKey,
            [ProgressFileVariable] = progress,
            [RepoPaths.ArtifactsDirVariable] = options.ArtifactsRoot,
            [SeedReplicas.FolderVariable] = SeedReplicas.FolderOf(options.Profile, options.ArtifactsRoot),
            // Set empty, so that a plan file named in the shell never overrides this process's keys.
            [ExperimentPlan.Variable] = "",
        };
        // Set either way, so a value left in the shell never turns a whole run into a share.
        environment[SeedReplicas.ShareVariable] = share?.ToString() ?? "";
        var trx = Path.ChangeExtension(progress, ".trx");
        File.Delete(trx);
        var clock = Stopwatch.StartNew();
        var (code, output) = Dotnet(
            ["test", options.ExperimentsProject, "-c", options.Configuration, "--no-build", "--filter", $"FullyQualifiedName={name}",
             "--logger", $"trx;LogFileName={trx}"],
            environment, TimeSpan.FromHours(3),
            heartbeat: () => log($"  … {label}: {Format(clock.Elapsed)} elapsed{Remaining(clock.Elapsed, secondsLastTime)}{LastLine(progress)}"));
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
        var stored = StoredByKey(new HashSet<string>(StringComparer.Ordinal) { key });
        var ids = stored.Select(s => s.Id).ToList();
        var results = File.Exists(trx) ? TrxResults.Read(trx) : [];
        if (share != null)
        {
            // A share ends as skipped with the marker once its seeds are stored; anything else (a failure, a pass with a section) is wrong.
            bool stopped = code == 0 && results.Count == 1 && results[0].Outcome == "NotExecuted" &&
                results[0].Message?.Contains(SeedReplicas.SkipMarker, StringComparison.Ordinal) == true;
            var replicas = stopped ? ReplicasOf(name, computeKey) : new Dictionary<string, string>();
            var (shareEnded, shareFailure) = stopped ? (PipelineExperiment.Partial, null) : Unfinished(seconds, () =>
                results.Count == 1 && results[0].Passed ? $"seed share {share}: the test passed instead of stopping after its seeds"
                : FailureOf(results, output, code));
            var partial = new PipelineExperiment(name, key, shareEnded, seconds)
            {
                ComputeKey = computeKey,
                Share = share.ToString(),
                Replicas = replicas,
                Failure = shareFailure,
            };
            log(stopped
                ? $"{label}: seed share {share} done in {RunText.Seconds(seconds)}; {replicas.Count} seed replica(s) of this key in " +
                    $"{ReplicaFolderOf(options.Profile, options.ArtifactsRoot, name)}"
                : UnfinishedLine(label, shareEnded, shareFailure!, seconds));
            return partial;
        }
        bool passed = code == 0 && results.Count == 1 && results[0].Passed;
        // Completing a merged run: the experiment's time is its shards' as well as this process's.
        if (options.Completes?.Experiments.FirstOrDefault(e => e.Name == name && e.Outcome == PipelineExperiment.Partial) is { } shared)
        {
            log($"{label}: completed in {RunText.Seconds(seconds)} from seed shares that took {RunText.Seconds(shared.Seconds)} in all");
            seconds = Math.Round(seconds + shared.Seconds, 1);
        }
        var (ended, failure) = passed ? (PipelineExperiment.Ran, null) : Unfinished(seconds, () => FailureOf(results, output, code));
        var outcome = new PipelineExperiment(name, key, ended, seconds)
        {
            ComputeKey = computeKey,
            Sections = ids,
            Digests = stored.Where(s => s.Digest != null).ToDictionary(s => s.Id, s => s.Digest!, StringComparer.Ordinal),
            Failure = failure,
        };
        log(passed
            ? $"{label}: done in {RunText.Seconds(seconds)}; stored " +
                $"{string.Join(", ", stored.Select(s => $"{s.Id} (digest {SectionDigest.Short(s.Digest ?? "none")})"))}"
            : UnfinishedLine(label, ended, failure!, seconds));
        return outcome;
    }

    /// <summary>The seed replicas of <paramref name="name"/> stored under compute key <paramref name="key"/>: file name → SHA-256 of its
    /// bytes.</summary>
    private Dictionary<string, string> ReplicasOf(string name, string key)
    {
        var folder = ReplicaFolderOf(options.Profile, options.ArtifactsRoot, name);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return found;
        foreach (var path in Directory.GetFiles(folder, "seed-*.json").Order(StringComparer.Ordinal))
        {
            if (SeedReplicas.SeedOf(Path.GetFileName(path)) is not { } seed) continue;
            var bytes = File.ReadAllBytes(path);
            try
            {
                if (SeedReplicas.Parse(bytes, path, ClassName(name), seed).Key == key) found[Path.GetFileName(path)] = SeedReplicas.DigestOf(bytes);
            }
            catch (InvalidDataException)
            {
                // Not a replica of this run; the experiment itself refuses it by name if it ever reads it.
            }
        }
        return found;
    }

    /// <summary>"; about m:ss left" from the time the same experiment took in the previous run, or "" without one.</summary>
    public static string Remaining(TimeSpan elapsed, double? secondsLastTime)
    {
        if (secondsLastTime is not { } last || last <= 0) return "";
        var left = TimeSpan.FromSeconds(last) - elapsed;
        return left > TimeSpan.Zero ? $"; about {Format(left)} left (it took {Format(TimeSpan.FromSeconds(last))} last time)"
            : "; past last time's duration";
    }

    private static string LastLine(string file)
    {
        try
        {
            if (!File.Exists(file)) return "";
            var last = File.ReadLines(file).LastOrDefault(l => l.Trim().Length > 0);
            return last == null ? "" : "; " + last.Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The first lines of the test's error message (from its TRX result), or what the process said when no result came out.</summary>
    public static string FailureOf(IReadOnlyList<TestOutcome> results, string output, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 1 && results[0].Message is { } message)
            return string.Join(" ", message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(6));
        if (results.Count > 1) return $"the filter selected {results.Count} tests, expected one: {string.Join(", ", results.Select(r => r.Name))}";
        if (results.Count == 1) return $"the test ended as {results[0].Outcome} (exit code {exitCode})";
        var tail = (output ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3);
        return $"dotnet test exited with code {exitCode} without a test result: {string.Join(" ", tail)}";
    }

    private List<ReportSection> StoredByKey(IReadOnlySet<string> keys)
    {
        var folder = SectionStore.Folder(options.Profile, options.ArtifactsRoot);
        if (!Directory.Exists(folder)) return [];
        var found = new List<ReportSection>();
        foreach (var path in Directory.GetFiles(folder, "*.json"))
        {
            try
            {
                var section = SectionStore.Read(path, options.Profile);
                if (section.RunKey != null && keys.Contains(section.RunKey)) found.Add(section);
            }
            catch (InvalidDataException)
            {
                // A section that cannot be read belongs to no run; the report lists what is missing.
            }
        }
        return found;
    }

    private PipelineLog? _identity;

    private string? _sharedHash;

    private string? _computeFiles;

    /// <summary>
    /// The compute key of one experiment (<see cref="RunKey.ComputeKey"/>): the compute code, the procedure as built (hashed once a run),
    /// the profile, seeds, kernels and threads; what its stored result and seed replicas must carry to be used instead of training.
    /// </summary>
    public string ComputeKeyOf(string name) => _computeKeys.GetOrAdd(name, n =>
    {
        var bin = BinFolder();
        var files = LazyInitializer.EnsureInitialized(ref _computeFiles, () => RunKey.ComputeFiles(bin));
        var assembly = Path.Combine(bin, Path.GetFileNameWithoutExtension(options.ExperimentsProject) + ".dll");
        var procedure = ProcedureHash.Of(assembly, [Path.Combine(bin, RunKey.ReportingAssembly + ".dll")], n[..n.LastIndexOf('.')]);
        return RunKey.ComputeKey(files, procedure, options.Profile, options.SeedOffset, n, CpuKernels.State.KeyText,
            ThreadOverride.KeyTextOf(options.Threads));
    });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _computeKeys = new(StringComparer.Ordinal);

    /// <summary>The run key of one experiment: what it depends on (the shared code, hashed once a run; its own source and snapshots), the profile,
    /// seeds and kernels.</summary>
    private string KeyOf(string name)
    {
        _sharedHash ??= RunKey.SharedHash(BinFolder(), ProjectFolder, RepoPaths.Root);
        return RunKey.Of(RunKey.ExperimentHash(_sharedHash, ProjectFolder, RepoPaths.Root, name), options.Profile, options.SeedOffset, name,
            CpuKernels.State.KeyText, ThreadOverride.KeyTextOf(options.Threads));
    }

    /// <summary>The experiments running now (their processes started and not yet ended), with their keys and clocks.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string,
        (string Name, string Key, Stopwatch Clock)> _running = new(StringComparer.Ordinal);

    private readonly Lock _saveGate = new();
    private (DateTimeOffset Started, List<PipelineExperiment> Outcomes)? _saved;
    private bool _interrupted;
    private string? _interruptedBy;

    /// <summary>
    /// The signal that interrupted this run, or null: an experiment whose process it stopped ends interrupted, not failed. The process's
    /// own signal is read too, because Ctrl-C reaches the experiment's processes as well and one may end before the record is made.
    /// </summary>
    private string? InterruptedBy
    {
        get
        {
            lock (_saveGate) return _interruptedBy ?? Interruption.Signal;
        }
    }

    /// <summary>The outcome of an experiment process that did not end as it should: interrupted when a signal stopped the run, else failed.</summary>
    private (string Outcome, string Failure) Unfinished(double seconds, Func<string> failure) =>
        InterruptedBy is { } signal
            ? (PipelineExperiment.Interrupted, $"stopped by {signal} after {RunText.Seconds(seconds)}")
            : (PipelineExperiment.Failed, failure());

    /// <summary>The console line of an experiment that did not end as it should.</summary>
    private static string UnfinishedLine(string label, string outcome, string failure, double? seconds) =>
        outcome == PipelineExperiment.Interrupted
            ? $"{label}: interrupted ({failure})"
            : seconds is { } s ? $"{label}: FAILED after {RunText.Seconds(s)}: {failure}" : $"{label}: FAILED: {failure}";

    private void Save(DateTimeOffset started, List<PipelineExperiment> outcomes)
    {
        lock (_saveGate)
        {
            // Once interrupted, the log says so; an experiment whose process the interruption killed does not overwrite it as failed.
            if (_interrupted) return;
            _saved = (started, outcomes.ToList());
            Write(started, _saved.Value.Outcomes, interrupted: null);
        }
    }

    private void Write(DateTimeOffset started, List<PipelineExperiment> outcomes, string? interrupted)
    {
        var log = (_identity ?? new PipelineLog(options.Profile, started, 0)) with
        {
            StartedUtc = started,
            Seconds = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
            Experiments = outcomes,
            Interrupted = interrupted,
        };
        log.Write(options.ArtifactsRoot);
    }

    /// <summary>
    /// Records the run as interrupted by <paramref name="signal"/>: the log keeps every outcome so far, adds each running experiment as
    /// interrupted (nothing stored, so the next run trains it again), and is not written again by this run.
    /// </summary>
    private void Interrupt(string signal)
    {
        lock (_saveGate)
        {
            _interruptedBy ??= signal;
            if (_interrupted || _saved is not { } saved) return;
            _interrupted = true;
            // One record an experiment, however many of its seed shares were running.
            var running = _running.Values.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.MaxBy(r => r.Clock.Elapsed)).ToArray();
            var outcomes = saved.Outcomes
                .Concat(running.Select(r =>
                new PipelineExperiment(r.Name, r.Key, PipelineExperiment.Interrupted, Math.Round(r.Clock.Elapsed.TotalSeconds, 1))
                {
                    Failure = $"stopped by {signal} after {RunText.Seconds(r.Clock.Elapsed.TotalSeconds)}",
                }))
                .ToList();
            var when = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            Write(saved.Started, outcomes, $"{signal} at {when}");
            log($"{signal}: the run is recorded as interrupted in {PipelineLog.PathOf(options.Profile, options.ArtifactsRoot)}" +
                (running.Length > 0 ? $"; stopped: {string.Join(", ", running.Select(r => RunText.ShortName(r.Name)))}" : ""));
        }
    }

    private void Summary(List<PipelineExperiment> outcomes, List<ReportSection> sections, TimeSpan elapsed)
    {
        var table = new StringBuilder();
        table.AppendLine($"  {"experiment",-70} {"outcome",-11} {"wall time",12} {"peak memory",12}");
        foreach (var o in outcomes)
        {
            var peak = sections.Where(s => s.RunKey == o.Key).Select(s => s.PeakMemoryMiB).DefaultIfEmpty(0).Max();
            // "decided": the result was read under its compute key and only the claims, snapshot and section were made again.
            table.AppendLine($"  {RunText.ShortName(o.Name),-70} {(o.Redecided ? "decided" : o.Outcome),-11} {RunText.Seconds(o.Seconds),12} " +
                $"{(peak > 0 ? $"{peak:0} MiB" : "-"),12}");
        }
        log("Experiment wall times (reused ones show the time of the run that stored them):\n" + table.ToString().TrimEnd());
        var maxPeak = sections.Select(s => s.PeakMemoryMiB).DefaultIfEmpty(0).Max();
        var self = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        log($"Experiments took {Format(elapsed)} here; peak memory of one experiment process {maxPeak:0} MiB (this runner {self:0} MiB); " +
            $"disk: artifacts {DiskUse.MiB(options.ArtifactsRoot):0} MiB, data {DiskUse.MiB(RepoPaths.DataDir):0} MiB");
    }

    private static string Format(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    /// <summary>Runs <c>dotnet</c> with arguments and extra environment; output is captured; calls <paramref name="heartbeat"/> periodically while it
    /// runs.</summary>
    private (int Code, string Output) Dotnet(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        Action? heartbeat = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start 'dotnet'.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        var beat = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        while (!process.WaitForExit(beat))
        {
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"killed after {timeout.TotalMinutes} minutes");
            }
            heartbeat?.Invoke();
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}

/// <summary>Disk use of a folder.</summary>
public static class DiskUse
{
    public static double MiB(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / (1024.0 * 1024)
            : 0;
}
