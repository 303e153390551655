using System.Runtime.ExceptionServices;
using System.Diagnostics;
using HW1.Research;
using HW1.Research.Pipeline;

namespace HW1.Experiments.Infrastructure;

/// <summary>
/// The session of one experiment test (<see cref="Experiment{TConfig, TResult}"/> makes it): its profile, seed offset, kernels and
/// log, and its end: check the claims and the snapshot, then store the report section as reproduced, or, when either fails, as not
/// reproduced with the failure's message (and fail the test).
/// Also prints the experiment's wall time to the test output. Settings that would only fail at the end (the profile,
/// the seed offset, an artifacts folder that cannot be written) are checked when it is created, before any training.
/// </summary>
public sealed class ExperimentRun
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output;

    /// <param name="experiment">The experiment's class name: under the pipeline, its keys and progress file are looked up by it in the
    /// runner's plan (<see cref="ExperimentPlan"/>) when the process runs several experiments, or read from the environment.</param>
    public ExperimentRun(ITestOutputHelper output, string? experiment = null)
    {
        _output = output;
        // The process edge of an experiment: every setting read once, here, and passed down from this session.
        Settings = RunSettings.Read();
        var planned = experiment != null && ExperimentPlan.Current is { } plan ? plan.GetValueOrDefault(experiment) : null;
        Key = planned?.RunKey ?? (Environment.GetEnvironmentVariable(ExperimentRunner.RunKeyVariable) is { Length: > 0 } key ? key : null);
        ComputeKey = Key == null ? null
            : planned?.ComputeKey ??
            (Environment.GetEnvironmentVariable(StoredResults.ComputeKeyVariable) is { Length: > 0 } compute ? compute : null);
        _progressFile = planned?.ProgressFile ??
            (Environment.GetEnvironmentVariable(ExperimentRunner.ProgressFileVariable) is { Length: > 0 } file ? file : null);
        SectionStore.EnsureFolder(Profile.Name, Settings.ArtifactsDir);
        if (SeedShare != null && ReplicaFolder == null)
            throw new InvalidOperationException($"{SeedReplicas.ShareVariable}={SeedShare} needs the pipeline's run key and " +
                $"{SeedReplicas.FolderVariable}: a share's seeds are only kept as replicas. Run shards through the report tool's experiments " +
                $"--shard.");
        if (Kernels.Warning is { } warning) Log(warning);
        if (SeedOffset != 0)
            Log($"seeds shifted by {Reproducibility.SeedOffsetVariable}={SeedOffset}: the snapshot is not compared, the section records the offset");
    }

    /// <summary>The settings this run depends on (<see cref="RunSettings"/>), read once when the session starts.</summary>
    public RunSettings Settings { get; }

    public Profile Profile => Settings.Profile;

    /// <summary>The CPU kernels this process runs (pinned unless <see cref="CpuKernels.ModeVariable"/>=native, or the CPU cannot run the
    /// pin).</summary>
    public KernelState Kernels { get; } = CpuKernels.State;

    /// <summary>The offset added to every seed of the configuration (<see cref="Reproducibility.SeedOffsetVariable"/>); 0 for the canonical
    /// seeds.</summary>
    public long SeedOffset => Settings.SeedOffset;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The training time of the seeds read from stored replicas (see <see cref="ReportSection.WallSeconds"/>).</summary>
    public double SecondsReadFromReplicas { get; set; }

    /// <summary>The intra-op threads the seeds read from replicas were trained with (0 when none was read).</summary>
    public int ReplicaThreads { get; set; }

    /// <summary>The run key under the pipeline (everything the section depends on; it marks the stored section as this run's), or null outside
    /// it.</summary>
    public string? Key { get; }

    /// <summary>
    /// The compute key under the pipeline (<see cref="HW1.Research.Pipeline.RunKey.ComputeKey"/>: what can change a measured number), or null
    /// outside it: what a stored result or seed replica must carry to be used instead of training.
    /// </summary>
    public string? ComputeKey { get; }

    /// <summary>
    /// Where seed replicas are stored and read (<see cref="SeedReplicas.FolderVariable"/>), only under the pipeline (a replica belongs to
    /// its compute key); null under plain <c>dotnet test</c>, which trains every seed in the process.
    /// </summary>
    public string? ReplicaFolder => ComputeKey != null ? SeedReplicas.Folder : null;

    /// <summary>Where the procedure's whole result is stored and read, only under the pipeline; null under plain <c>dotnet test</c>.</summary>
    public string? ResultFolder => ComputeKey != null ? StoredResults.FolderOf(Profile.Name, Settings.ArtifactsDir) : null;

    /// <summary>The training time of a result read from the store (see <see cref="ReportSection.WallSeconds"/>).</summary>
    private double _secondsReadFromStore;

    /// <summary>
    /// The procedure's result: read from the store when one of this compute key is there (no training: only the claims, snapshot and
    /// section are made again), otherwise <paramref name="run"/>'s, stored for the next run. Either way the experiment computes from the
    /// stored form (<see cref="SeedReplicas.RoundTrip{T}"/>), so a run that trained and one that read compute from the same bits, and
    /// plain <c>dotnet test</c>, which stores nothing, from the same bits as the pipeline.
    /// </summary>
    public T Measure<T>(string experiment, Func<T> run) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(run);
        // A seed share trains and stores its seeds and stops; it never stands for the whole experiment, so it neither reads nor writes one.
        var path = ResultFolder == null || SeedShare != null ? null : StoredResults.PathOf(ResultFolder, experiment);
        if (path != null && StoredResults.TryRead<T>(path, experiment, ComputeKey!, Log) is var (read, stored))
        {
            _secondsReadFromStore = stored.Seconds;
            if (stored.Threads > 0) ReplicaThreads = stored.Threads;
            Log($"{experiment}: result read from {path} (measured in {RunText.Seconds(stored.Seconds)}); nothing trained, the claims, snapshot and " +
                $"section are made again");
            return read;
        }
        var started = Elapsed;
        var (value, json) = SeedReplicas.RoundTrip(run());
        if (path != null)
        {
            var seconds = Math.Round((Elapsed - started).TotalSeconds + SecondsReadFromReplicas, 1);
            StoredResults.Write(path,
                new StoredResult(experiment, ComputeKey!, Profile.Name, SeedOffset, json, seconds,
                ReplicaThreads > 0 ? ReplicaThreads : TorchSharp.torch.get_num_threads()));
        }
        return value;
    }

    /// <summary>The share of the seeds this process trains (<see cref="SeedReplicas.ShareVariable"/>), or null for all of them.</summary>
    public Shard? SeedShare { get; } = SeedReplicas.Share;

    /// <summary>A file the pipeline reads to show how a long experiment is getting on, or null outside the pipeline.</summary>
    private readonly string? _progressFile;

    private readonly Lock _logGate = new();

    /// <summary>
    /// Writes a progress line to the test output (shown by detailed loggers and in TRX files) and, under the pipeline, to its
    /// progress file. Safe from several threads at once (trainings run two at a time call it): lines are written whole, one at a time.
    /// </summary>
    public void Log(string line) => Write(line, toOutput: true);

    /// <summary>A trainer's progress line: to the pipeline's progress file only (the test output keeps the experiment's own lines).</summary>
    public void Progress(string line) => Write(line, toOutput: false);

    private void Write(string line, bool toOutput)
    {
        lock (_logGate)
        {
            var stamped = $"[{_clock.Elapsed:mm\\:ss\\.f}] {line}";
            if (toOutput) _output.WriteLine(stamped);
            if (_progressFile != null) File.AppendAllText(_progressFile, stamped + Environment.NewLine);
        }
    }

    /// <summary>
    /// Checks every claim (all that fail are named together), matches the snapshot <paramref name="snapshotName"/>, and stores
    /// <paramref name="section"/>.
    /// </summary>
    public void Complete(ReportSection section, object snapshot, IReadOnlyList<Claim> claims, SnapshotName snapshotName)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(claims);
        using var self = Process.GetCurrentProcess();
        var timed = section with
        {
            Claims = claims,
            WallSeconds = Math.Round(_clock.Elapsed.TotalSeconds + SecondsReadFromReplicas + _secondsReadFromStore, 1),
            PeakMemoryMiB = Math.Round(self.PeakWorkingSet64 / (1024.0 * 1024)),
            RunKey = Key,
            SeedOffset = SeedOffset,
            Kernels = Kernels.Description,
            Cpu = Kernels.Cpu.ToString(),
            // A process that read every seed from replicas never seeded, so its own thread count says nothing about the training.
            Threads = ReplicaThreads > 0 ? ReplicaThreads : TorchSharp.torch.get_num_threads(),
        };
        if (!Kernels.Pinned)
            timed = timed with
            {
                Settings = [.. timed.Settings,
                new Setting("CPU kernels", $"{Kernels.Description}: results depend on this CPU and were not compared with the snapshots")]
            };
        if (Settings.Threads is { } threads)
            timed = timed with
            {
                Settings = [.. timed.Settings,
                new Setting("threads",
                    $"{threads} ({ThreadOverride.Variable}): every configuration's own thread count was overridden, so the numbers may differ from " +
                    $"the snapshots' in the last bits")]
            };
        if (SeedOffset != 0)
            timed = timed with
            {
                Settings = [.. timed.Settings,
                new Setting("seed offset",
                    $"{SeedOffset} ({Reproducibility.SeedOffsetVariable}): every seed of the configuration was shifted by it (the seeds above " +
                    $"include it)")]
            };
        try
        {
            // The snapshot first: a missing one is recorded (outside CI) even when a claim fails, since it holds what the code computes,
            // not whether the claims hold; a mismatch is reported together with any failed claims.
            // The claims have their own snapshot beside the results' (a verdict that flips shows in the diff), with the numbers that decide them.
            Exception? snapshotFailure = null;
            var checks = new List<SnapshotCheck>();
            foreach (var (metrics, name, digits) in new[]
                     {
                         (snapshot, snapshotName, SignificantDigits.Snapshot),
                         (ResultSnapshot.ClaimsOf(claims), ResultSnapshot.ClaimsName(snapshotName), ResultSnapshot.ClaimDigits),
                     })
            {
                try
                {
                    checks.Add(ResultSnapshot.Match(metrics, Settings, digits, log: Log, kernels: Kernels, name: name));
                }
                catch (SnapshotMismatchException e)
                {
                    checks.Add(SnapshotCheck.Differs);
                    snapshotFailure = snapshotFailure == null ? e
                        : new SnapshotMismatchException(snapshotFailure.Message + Environment.NewLine + e.Message);
                }
                catch (SnapshotMissingException e)
                {
                    checks.Add(SnapshotCheck.Missing);
                    snapshotFailure = snapshotFailure == null ? e
                        : new SnapshotMissingException(snapshotFailure.Message + Environment.NewLine + e.Message);
                }
            }
            // The worst of the two: a difference outweighs a missing file, which outweighs a recorded one, which outweighs a match.
            timed = timed with { Snapshot = checks.Max() };
            foreach (var known in claims.Where(c => !c.Holds && c.KnownFailure != null))
                Log($"KNOWN FAILURE (reported as {known.Verdict}, the test passes): {known}");
            var failed = claims.Where(c => !c.Holds && c.KnownFailure == null).ToList();
            var also = snapshotFailure == null ? "" : Environment.NewLine + "The snapshot failed as well: " + snapshotFailure.Message;
            if (failed.Count > 0)
                throw new ClaimsNotHeldException($"{failed.Count} of {claims.Count} claim(s) of {section.Id} did not hold:" + Environment.NewLine +
                    string.Join(Environment.NewLine, failed.Select(c => "  " + c)) + also);
            var healed = claims.Where(c => c.Holds && c.KnownFailure != null).ToList();
            if (healed.Count > 0)
                throw new ClaimsNotHeldException($"{healed.Count} claim(s) of {section.Id} marked as known failures hold now; remove the mark:" +
                    Environment.NewLine +
                    string.Join(Environment.NewLine, healed.Select(c => "  " + c)) + also);
            if (snapshotFailure != null) ExceptionDispatchInfo.Capture(snapshotFailure).Throw();
        }
        catch (Exception e)
        {
            var path = SectionStore.Write(timed with { Status = SectionStatus.NotReproduced, Failure = e.Message }, Settings.ArtifactsDir);
            Log($"{section.Id}: NOT reproduced after {timed.WallSeconds} s; section stored at {path}");
            throw;
        }
        var stored = SectionStore.Write(timed with { Status = SectionStatus.Reproduced, Failure = null }, Settings.ArtifactsDir);
        Log($"{section.Id}: reproduced in {timed.WallSeconds} s ({Profile} profile); section stored at {stored}");
    }
}

/// <summary>Some claim an experiment checks did not hold; the message names each with its rule, measurement and reason.</summary>
public sealed class ClaimsNotHeldException(string message) : Exception(message);
