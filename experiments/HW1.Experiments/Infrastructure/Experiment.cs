using HW1.Research;
using System.Text.Json;
using HW1.Research.Data;
using HW1.Research.Pipeline;

namespace HW1.Experiments.Infrastructure;

/// <summary>
/// One report question as an xunit test. An experiment declares, in this order: its <see cref="Question"/>, its
/// <see cref="Quick"/> configuration and the <see cref="Full"/> one (written as <c>Quick with { ... }</c>), the procedure
/// (<see cref="Run"/>), the <see cref="Claims"/> it checks, and the report text (<see cref="Describe"/>). This class owns the rest:
/// the test itself, the profile, timing, data loading, the snapshot (<c>__snapshots__/&lt;Class&gt;_&lt;profile&gt;.snap</c> beside the
/// file), the run key and storing the section as reproduced or not.
/// </summary>
public abstract class Experiment<TConfig, TResult>(ITestOutputHelper output)
    where TConfig : notnull
    where TResult : notnull
{
    private ExperimentRun? _run;

    /// <summary>The question, as the report heads its section.</summary>
    public abstract Question Question { get; }

    /// <summary>The quick profile's settings: what <c>dotnet test</c> runs.</summary>
    public abstract TConfig Quick { get; }

    /// <summary>The full profile's settings: what the report is made from.</summary>
    public abstract TConfig Full { get; }

    /// <summary>The procedure: trains and measures, returns everything the claims and the report need.</summary>
    protected abstract TResult Run(TConfig config);

    /// <summary>Every statement this experiment checks, each with its rule and the reason for its threshold.</summary>
    protected abstract IEnumerable<Claim> Claims(TConfig config, TResult result);

    /// <summary>The section's settings, tables, figures and comments, built from the measured numbers.</summary>
    protected abstract SectionContent Describe(TConfig config, TResult result);

    /// <summary>What the snapshot holds: by default the whole result (members marked <see cref="SnapshotIgnoreAttribute"/> left out).</summary>
    protected virtual object Snapshot(TResult result) => result;

    /// <summary>The running experiment (profile, seed offset, kernels, log); only while <see cref="Reproduces"/> runs.</summary>
    protected ExperimentRun Session =>
        _run ?? throw new InvalidOperationException($"{GetType().Name}: the session exists only while the experiment runs.");

    /// <summary>The profile this run uses (a claim may be a known failure in the quick profile only, with its reason).</summary>
    protected Profile Profile => Session.Profile;

    /// <summary>Writes a progress line (test output and, under the pipeline, its progress file).</summary>
    protected void Log(string line) => Session.Log(line);

    /// <summary>MNIST, with its first <paramref name="train"/> training and <paramref name="test"/> test images.</summary>
    protected DataSubset Mnist(int train, int test) => DataSubset.Of(HW1.Research.Data.Mnist.Load(Session.Settings.DataDir, Log), train, test);

    /// <summary>Fashion-MNIST, with its first <paramref name="train"/> training and <paramref name="test"/> test images.</summary>
    protected DataSubset FashionMnist(int train, int test) =>
        DataSubset.Of(HW1.Research.Data.FashionMnist.Load(Session.Settings.DataDir, Log), train, test);

    [SkippableFact]
    public void Reproduces()
    {
        _run = new ExperimentRun(output, GetType().Name);
        var config = ForRun(_run.Profile.Pick(Quick, Full), _run.Settings);
        TResult result;
        using (TrainingProgress.Route(_run.Progress))
            result = _run.Measure(GetType().Name, () =>
            {
                var measured = Run(config);
                if (!_perSeedUsed && GetType().IsDefined(typeof(ReplicatesSeedsAttribute), inherit: false))
                    throw new InvalidOperationException($"{GetType().Name} is marked [{nameof(ReplicatesSeedsAttribute)[..^9]}] but its Run " +
                        $"trained " +
                        $"no seed through {nameof(PerSeed)}, so a seed share would run all of it; train its seeds through {nameof(PerSeed)} or " +
                        $"remove the mark.");
                return measured;
            });
        try
        {
            var claims = Claims(config, result).Select(c => QuickVerdict(c, _run.Profile)).OrderBy(c => c.Kind).ToList();
            var content = Describe(config, result);
            var q = Question;
            var section = new ReportSection
            {
                Id = q.Id,
                Part = q.Part.Id,
                PartTitle = q.Part.Title,
                Order = q.Order,
                Title = q.Title,
                Bonus = q.Bonus,
                Question = q.Assignment,
                Profile = _run.Profile.Name,
                Settings = content.Settings,
                Tables = content.Tables,
                Figures = content.Figures,
                Comments = content.Comments,
                Headline = content.Headline,
            };
            _run.Complete(section, Snapshot(result), claims, SnapshotName(_run.Profile));
        }
        finally
        {
            (result as IDisposable)?.Dispose();
        }
    }

    private bool _perSeedUsed;

    /// <summary>
    /// The one place a run's seed offset and thread override reach an experiment: the configuration it declared, with every seed shifted
    /// and every thread count replaced (<see cref="IRunConfig{TConfig}.ForRun"/>), so the seeds its code passes to
    /// <see cref="Reproducibility.Seed"/> are the seeds it trains, and the section's settings show them. With neither set, the declared
    /// configuration itself.
    /// </summary>
    public static TConfig ForRun(TConfig declared, RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SeedOffset == 0 && settings.Threads == null) return declared;
        return declared is IRunConfig<TConfig> config
            ? config.ForRun(settings.SeedOffset, settings.Threads)
            : throw new InvalidOperationException($"{typeof(TConfig).FullName} does not implement {nameof(IRunConfig<TConfig>)}, so " +
                $"{Reproducibility.SeedOffsetVariable} and " +
                $"{ThreadOverride.Variable} cannot reach its seeds and threads; implement ForRun on the configuration.");
    }

    /// <summary>
    /// Trains seeds <paramref name="firstSeed"/> … <paramref name="firstSeed"/> + <paramref name="seeds"/> − 1 with <paramref name="train"/>
    /// (which seeds its own generator and draws nothing another seed sees) and returns their results in seed order, each as read back
    /// from its stored JSON form (<see cref="SeedReplicas.RoundTrip{T}"/>), so every way of running the experiment computes from the
    /// same bits. Under the pipeline each seed is also stored as a replica under the run key, and a seed whose replica of this key
    /// exists is read instead of trained (an interrupted run resumes at the seed it stopped in; a merge completes the experiment from
    /// its shards' seeds). Under a seed share only the share's seeds are trained and stored, and the test then ends as skipped with
    /// <see cref="SeedReplicas.SkipMarker"/>: the claims need every seed, so the merge completes the experiment. Call it once, for the
    /// experiment's whole replicated training, in an experiment marked <see cref="ReplicatesSeedsAttribute"/>.
    /// </summary>
    protected IReadOnlyList<T> PerSeed<T>(long firstSeed, int seeds, Func<long, T> train) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        if (!GetType().IsDefined(typeof(ReplicatesSeedsAttribute), inherit: false))
            throw new InvalidOperationException($"{GetType().Name} trains its seeds through {nameof(PerSeed)} but is not marked " +
                $"[{nameof(ReplicatesSeedsAttribute)[..^9]}]; mark it, so that the pipeline's shards split its seeds.");
        if (_perSeedUsed)
            throw new InvalidOperationException($"{GetType().Name} calls {nameof(PerSeed)} twice; a seed share stops after the first call, so one " +
                $"call must hold all of the replicated training.");
        _perSeedUsed = true;
        var folder = Session.ReplicaFolder;
        var share = Session.SeedShare;
        var name = GetType().Name;
        var results = new List<T>();
        var trained = new List<long>();
        for (int k = 0; k < seeds; k++)
        {
            var seed = firstSeed + k;
            // A share leaves the other shares' seeds alone: on a folder several shares write to, it neither reads nor sets aside theirs.
            if (share != null && !SeedReplicas.Owns(share, k)) continue;
            var path = folder == null ? null : SeedReplicas.PathOf(folder, name, seed);
            if (path != null && SeedReplicas.TryRead<T>(path, name, seed, Session.ComputeKey!, Log) is var (read, stored))
            {
                results.Add(read);
                Session.SecondsReadFromReplicas += stored.Seconds;
                if (stored.Threads > 0) Session.ReplicaThreads = stored.Threads;
                Log($"seed {seed}: read from its replica {path} (trained in {RunText.Seconds(stored.Seconds)})");
                continue;
            }
            var started = Session.Elapsed;
            var (value, json) = SeedReplicas.RoundTrip(train(seed));
            if (path != null)
                SeedReplicas.Write(path,
                    new SeedReplica(name, Session.ComputeKey!, Profile.Name, Session.SeedOffset, seed, json,
                    Math.Round((Session.Elapsed - started).TotalSeconds, 1), TorchSharp.torch.get_num_threads()));
            results.Add(value);
            trained.Add(seed);
        }
        if (share != null)
            throw new SkipException($"{SeedReplicas.SkipMarker} {share}: trained seed(s) " +
                $"{(trained.Count == 0 ? "none" : string.Join(", ", trained))} of {firstSeed} to {firstSeed + seeds - 1} and stored them in " +
                $"{folder}; " +
                "the claims need every seed, so the merge completes the experiment from all shares");
        return results;
    }

    /// <summary>
    /// The batch-size sweep of the generalization experiments: an MLP 784-<paramref name="hidden"/>-10 trained from every seed
    /// (<paramref name="firstSeed"/> on, <paramref name="seeds"/> of them) at every batch size, each until its training accuracy
    /// reaches <paramref name="target"/> (at most <paramref name="maxEpochs"/>), from the same initialization for a given seed;
    /// <paramref name="measure"/> sees each trained model (its seed, batch size, last evaluation and generator) and returns what is kept.
    /// The seeds go through <see cref="PerSeed{T}"/>, so what <paramref name="measure"/> returns is all a seed keeps.
    /// </summary>
    protected List<T> TrainToCriterion<T>(DataSubset data, int[] hidden, int[] batchSizes, long firstSeed, int seeds, int threads,
        double target, int maxEpochs, double learningRate, Func<long, int, TorchSharp.Modules.Sequential, EpochMetrics, SeededRandom, T> measure)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(measure);
        return PerSeed(firstSeed, seeds, seed =>
        {
            var kept = new List<T>();
            foreach (var batch in batchSizes)
            {
                using var random = Reproducibility.Seed(seed, threads);
                using var model = Mlp.Create(784, hidden, 10);
                // Only the last evaluation is kept, so the test set is measured after the last epoch alone (the training is the same).
                var settings = ClassifierTraining.UntilTrainAccuracy(target, maxEpochs, batch, learningRate,
                    $"{Question.Id}: seed {seed}, batch {batch}", testOnlyAtEnd: true);
                kept.Add(measure(seed, batch, model, ClassifierTrainer.Train(model, data.Train, data.Test, settings, random)[^1], random));
            }
            return kept;
        }).SelectMany(k => k).ToList();
    }

    /// <summary>
    /// A claim the full profile's data do not support after an honest design, marked as a known failure with <paramref name="reason"/>
    /// in the full profile only (the quick profile's fewer seeds decide nothing the full profile has not). Where it holds again, the
    /// test fails until the mark is removed.
    /// </summary>
    protected Claim KnownFailureInFull(Claim claim, string reason) => Profile.IsFull ? claim with { KnownFailure = reason } : claim;

    /// <summary>
    /// The quick profile trains fewer seeds than the full one: a claim its wider interval leaves undecided is reported as inconclusive
    /// with that reason and does not fail the quick test; an interval on the wrong side of the threshold still fails it. The full
    /// profile decides every claim.
    /// </summary>
    /// <remarks>
    /// In the quick profile the statement of a claim decided over seeds also says how many (" (quick profile: 2 seeds)"), from the seeds
    /// its rule counted, so no experiment writes that suffix by hand.
    /// </remarks>
    public static Claim QuickVerdict(Claim claim, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.IsFull) return claim;
        if (claim.OverSeeds && claim.Seeds is { } seeds) claim = claim with { Statement = $"{claim.Statement} (quick profile: {seeds} seeds)" };
        return claim.Inconclusive && claim.Undecided == null && claim.KnownFailure == null
            ? claim with { KnownFailure = $"quick profile: {claim.Seeds} seeds leave the interval too wide to decide; the full profile decides" }
            : claim;
    }

    /// <summary>
    /// <c>&lt;Class&gt;_&lt;profile&gt;.snap</c> in the <c>__snapshots__</c> folder beside the experiment's file, which sits in the folder its
    /// namespace names (<c>HW1.Experiments.Optimization</c> → <c>experiments/HW1.Experiments/Optimization</c>).
    /// </summary>
    public SnapshotName SnapshotName(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var type = GetType();
        var project = Path.Combine(RepoPaths.Root, "experiments", "HW1.Experiments");
        var relative = (type.Namespace ?? "").Split('.').Skip(2).ToArray();
        var folder = Path.Combine([project, .. relative]);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{type.FullName}: its namespace names the folder {folder}, which does not exist; keep each " +
                $"experiment in the folder of its namespace.");
        return new SnapshotName($"{type.Name}_{profile.Name}.snap", folder);
    }
}
