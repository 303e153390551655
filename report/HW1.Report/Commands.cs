using System.Diagnostics;
using HW1.Research;
using HW1.Research.Artifacts;
using HW1.Research.Data;
using HW1.Research.Reporting;

namespace HW1.Report;

internal static class Commands
{
    /// <summary>The experiments project the pipeline runs unless --project names another.</summary>
    public static string ExperimentsProject => Path.Combine(RepoPaths.Root, "experiments", "HW1.Experiments", "HW1.Experiments.csproj");

    /// <summary>Fetches (when missing) and verifies every data set the experiments use.</summary>
    public static int Data(string profile)
    {
        Console.WriteLine($"Profile: {profile}; {TorchRuntime.EnsureLoaded()}");
        foreach (var spec in new[] { Mnist.Spec(), FashionMnist.Spec() })
        {
            var folder = DatasetCache.Ensure(spec, log: Console.WriteLine);
            foreach (var file in spec.Files)
                Console.WriteLine($"  verified {Path.Combine(folder, file.Name)}  sha256 {file.Sha256}");
        }
        return 0;
    }

    /// <summary>Runs the experiments for the pipeline; non-zero when any failed.</summary>
    public static int Experiments(string profile, RunSettings settings, string? project, string? configuration, string? only, string? startedText,
        bool force,
        string? parallelText, string? shardText, string? shardPlanPath = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        project ??= ExperimentsProject;
        configuration ??= "Release";
        HW1.Research.Pipeline.Shard? shard = null;
        try
        {
            shard = shardText == null ? null : HW1.Research.Pipeline.Shard.Parse(shardText);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (shardPlanPath != null && shard == null) throw new UsageException("--shard-plan needs --shard I/N: a plan says which shard runs what.");
        var plan = shardPlanPath == null ? null : ReadShardPlan(shardPlanPath);
        if (!File.Exists(project)) throw new UsageException($"--project {project}: no such project file.");
        int parallel = HW1.Research.Pipeline.ExperimentRunner.DefaultParallel(settings.Threads);
        if (parallelText != null &&
            (!int.TryParse(parallelText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parallel) ||
            parallel < 1))
            throw new UsageException($"--parallel expects a whole number of experiments to run at once, at least 1; found '{parallelText}'.");
        DateTimeOffset? started = null;
        if (startedText != null)
        {
            if (!DateTimeOffset.TryParse(startedText, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                throw new UsageException($"--started expects a date and time (ISO 8601), found '{startedText}'.");
            started = parsed;
        }
        var options = new HW1.Research.Pipeline.RunnerOptions(profile, project, configuration)
        {
            Only = only,
            Force = force,
            PipelineStarted = started,
            SeedOffset = settings.SeedOffset,
            Threads = settings.Threads,
            Parallel = parallel,
            ArtifactsRoot = settings.ArtifactsDir,
            Environment = RunnerEnvironment(profile, settings.SeedOffset, settings.Threads),
            Shard = shard,
            ShardPlan = plan,
        };
        return new HW1.Research.Pipeline.ExperimentRunner(options, line => Console.WriteLine(line)).Run();
    }

    /// <summary>The plan at <paramref name="path"/>; a missing or malformed file is a usage error naming it.</summary>
    private static HW1.Research.Pipeline.ShardPlan ReadShardPlan(string path)
    {
        try
        {
            return HW1.Research.Pipeline.ShardPlan.Read(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new UsageException($"--shard-plan: {e.Message}");
        }
    }

    /// <summary>
    /// The experiments measured in the comma-separated artifacts folders of --from (<see cref="HW1.Research.Pipeline.Makespan.Read"/>), each
    /// with the folder it came from; an experiment measured in more than one folder is taken from the first. A missing folder, or one without
    /// a readable pipeline log, is a usage error naming the folder.
    /// </summary>
    private static List<(HW1.Research.Pipeline.ExperimentTime Time, string Folder)> MeasuredIn(string from, string profile)
    {
        var measured = new List<(HW1.Research.Pipeline.ExperimentTime Time, string Folder)>();
        foreach (var folder in from.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Directory.Exists(folder)) throw new UsageException($"--from {folder}: no such folder.");
            try
            {
                measured.AddRange(HW1.Research.Pipeline.Makespan.Read(folder, profile).Where(e => measured.All(m => m.Time.Name != e.Name))
                    .Select(e => (e, folder)));
            }
            catch (InvalidDataException e)
            {
                throw new UsageException($"--from {folder}: {e.Message}");
            }
        }
        return measured;
    }

    /// <summary>Writes a shard plan balanced by the times measured in <paramref name="from"/>; prints each shard's predicted time.</summary>
    public static int ShardPlan(string profile, string from, string shardsText, string output, string? only = null)
    {
        if (!int.TryParse(shardsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shards) ||
            shards < 1)
            throw new UsageException($"--shards expects a whole number of shards, at least 1; found '{shardsText}'.");
        var measured = MeasuredIn(from, profile).Select(m => m.Time).ToList();
        if (only != null)
        {
            var chosen = HW1.Research.Pipeline.ExperimentRunner.Select(measured.Select(m => m.Name).ToList(), only).ToHashSet(StringComparer.Ordinal);
            measured = measured.Where(m => chosen.Contains(m.Name)).ToList();
        }
        if (measured.Count == 0)
            throw new UsageException($"--from {from}: no {profile} experiment{(only == null ? "" : $" matching --only {only}")} with a measured " +
                "section there.");
        var plan = HW1.Research.Pipeline.ShardPlan.Balance(measured, shards, profile, from);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        plan.Write(output);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine($"shard plan for {shards} shard(s) of the {profile} profile, from {measured.Count} measured experiment(s) in {from}:");
        for (int i = 1; i <= shards; i++)
        {
            var work = plan.Whole.Where(w => w.Value == i).Select(w => HW1.Research.Artifacts.RunText.ShortName(w.Key))
                .Concat(plan.Seeds.SelectMany(s => s.Value.Select((shard, k) => (shard, k))
                    .Where(p => p.shard == i).Select(p => $"{HW1.Research.Artifacts.RunText.ShortName(s.Key)} seed {p.k + 1}")));
            Console.WriteLine(string.Create(c, $"  shard {i}: {plan.PredictedSeconds[i - 1] / 60:0.0} min: {string.Join(", ", work)}"));
        }
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    /// <summary>
    /// What each experiment process of a pipeline run is told besides the runner's own variables: the profile, the seed offset and the
    /// thread override, under the names <see cref="RunSettings.Read"/> reads there. All three are always written (empty: unset), so a
    /// value left in the shell can never reach the experiments without reaching the run's keys.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RunnerEnvironment(string profile, long seedOffset, int? threads)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            [HW1.Research.Training.Profile.Variable] = profile,
            [HW1.Research.Training.Reproducibility.SeedOffsetVariable] = seedOffset == 0 ? "" : seedOffset.ToString(c),
            [ThreadOverride.Variable] = threads is { } n ? n.ToString(c) : "",
        };
    }

    /// <summary>Renders the report of <paramref name="profile"/> from the stored sections; non-zero when a section is not reproduced or
    /// missing.</summary>
    public static int Render(string profile, string[]? pagePng, string? runUrl)
    {
        if (runUrl != null && !Uri.TryCreate(runUrl, UriKind.Absolute, out _))
            throw new UsageException($"--run-url expects an absolute URL (https://...), found '{runUrl}'.");
        int page = 0;
        if (pagePng != null && (!int.TryParse(pagePng[0], out page) || page < 1))
            throw new UsageException($"--page-png expects a page number from 1 and a file name, found '{pagePng[0]}'.");

        var clock = Stopwatch.StartNew();
        var stored = SectionStore.ReadAll(profile);
        var pipeline = PipelineLog.Read(profile);
        var (sections, missing) = ReportBuilder.Select(stored, pipeline);
        if (sections.Count == 0)
        {
            Console.Error.WriteLine($"error: no report sections of the {profile} profile to render in {SectionStore.Folder(profile)}" +
                (stored.Count > 0 ? $" ({stored.Count} stored by another build; see below)" : "") +
                    $". Run the experiments first: dotnet cake --profile={profile}");
            foreach (var m in missing) Console.Error.WriteLine($"  {m}");
            return 2;
        }

        Console.WriteLine($"Rendering the {profile} report from {sections.Count} sections ({SectionStore.Folder(profile)})");
        if (pipeline == null)
            Console.WriteLine($"  no pipeline log ({PipelineLog.PathOf(profile)}): every stored section is used, whichever run stored it");
        var manifest = new RunManifest(profile, DateTimeOffset.UtcNow, SourceInfo.Current(RepoPaths.Root), MachineInfo.Current(),
            TorchRuntime.Versions)
        {
            Data = RunManifest.DataFiles(),
            Sections = sections.Select(SectionInfo.Of).ToList(),
            RunDigest = SectionDigest.OfRun(sections),
            Pipeline = pipeline,
            Missing = missing,
            RunUrl = runUrl,
        };
        var result = ReportWriter.Write(sections, manifest, ReportWriter.FolderOf(profile), Console.WriteLine,
            pagePng == null ? null : (page, pagePng[1]));
        Console.WriteLine($"Rendered in {clock.Elapsed.TotalSeconds:0.0} s: {result.Pages} pages, {result.Figures} figures, " +
            $"{SectionWords.Run(sections, missing.Count)}; {sections.Count - result.NotReproduced} of {sections.Count} sections' tests passed.");

        var peak = sections.MaxBy(s => s.PeakMemoryMiB)!;
        Console.WriteLine((peak.PeakMemoryMiB > 0 ? $"Resources: peak memory of one experiment process {peak.PeakMemoryMiB:0} MiB ({peak.Id}); "
            : "Resources: these sections recorded no peak memory; ") +
                $"disk: artifacts {HW1.Research.Pipeline.DiskUse.MiB(RepoPaths.ArtifactsDir):0} MiB, data " +
                $"{HW1.Research.Pipeline.DiskUse.MiB(RepoPaths.DataDir):0} MiB.");
        foreach (var s in sections.Where(s => s.Status == SectionStatus.NotReproduced))
            Console.Error.WriteLine($"NOT REPRODUCED {s.Id}: {FirstLine(s.Failure)}");
        foreach (var m in missing) Console.Error.WriteLine($"MISSING {m}");
        return result.NotReproduced > 0 || missing.Count > 0 ? 1 : 0;
    }

    /// <summary>
    /// Compares the sections two runs stored (under two artifacts folders): with --expect same, any difference fails;
    /// with --expect different, every section must differ somewhere (a section that does not move with the seeds does not use them).
    /// </summary>
    public static int Compare(string profile, string first, string second, string? expect, bool subset = false)
    {
        expect ??= "same";
        if (expect is not ("same" or "different")) throw new UsageException($"--expect must be 'same' or 'different', found '{expect}'.");
        var a = SectionStore.ReadAll(profile, first);
        var b = SectionStore.ReadAll(profile, second);
        if (subset)
        {
            var stored = b.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var left = a.Where(s => !stored.Contains(s.Id)).Select(s => s.Id).ToList();
            if (left.Count > 0) Console.WriteLine($"compare: --subset: {second} stored {stored.Count} of the first run's sections; not compared: " +
                $"{string.Join(", ", left)}");
            a = a.Where(s => stored.Contains(s.Id)).ToList();
        }
        return CompareRuns(a, b, expect, first, second);
    }

    /// <summary>Compares two runs' sections: with "same" any difference fails, with "different" every section must differ somewhere.</summary>
    public static int CompareRuns(IReadOnlyList<ReportSection> a, IReadOnlyList<ReportSection> b, string expect, string first, string second)
    {
        if (a.Count == 0 || b.Count == 0)
            throw new InvalidDataException($"No sections to compare in {(a.Count == 0 ? first : second)}.");
        var onlyOne = OnlyInOne(a.Select(s => s.Id), b.Select(s => s.Id));
        if (onlyOne.Count > 0) Console.Error.WriteLine($"compare: sections stored by one run only: {string.Join(", ", onlyOne)}");
        var differences = SectionComparison.Compare(a, b);
        var changed = differences.Select(d => d.SectionId).ToHashSet();
        Console.WriteLine($"compare: {a.Count} sections; {differences.Count} difference(s) in {changed.Count} section(s) between {first} and " +
            $"{second}");
        foreach (var d in differences.GroupBy(d => d.SectionId))
            Console.WriteLine($"  {d.Key}: {d.Count()} difference(s), first: {d.First()}");
        if (onlyOne.Count > 0) return 1;
        if (expect == "same") return differences.Count == 0 ? 0 : 1;
        var unchanged = a.Select(s => s.Id).Where(id => !changed.Contains(id)).ToList();
        foreach (var id in unchanged)
            Console.Error.WriteLine($"compare: {id} is identical under other seeds: its numbers do not depend on the seed.");
        return unchanged.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// The difference between a base run (an artifacts folder) and the head run (--head, default this checkout's artifacts), as
    /// a Markdown summary with the changed figures drawn base-over-head, in --out (default artifacts/&lt;profile&gt;/diff).
    /// </summary>
    public static int Diff(string profile, string baseRun, string? headRoot, string? output, string? only)
    {
        headRoot ??= RepoPaths.ArtifactsDir;
        output ??= Path.Combine(RepoPaths.ArtifactsDir, profile, "diff");
        if (Directory.Exists(baseRun)) return Diff(profile, baseRun, headRoot, output);
        // A git ref: its own pipeline runs in a checkout beside this clone, which goes again once the diff is made.
        var baseRoot = PipelineCommands.RunBaseRef(baseRun, profile, only, out var cleanUp);
        try
        {
            return Diff(profile, baseRoot, headRoot, output);
        }
        finally
        {
            cleanUp();
        }
    }

    private static int Diff(string profile, string baseRoot, string headRoot, string output)
    {
        var changes = RunDiff.Of(profile, baseRoot, headRoot);
        var summary = RunDiff.Write(changes, Path.GetFullPath(baseRoot), Path.GetFullPath(headRoot), output);
        foreach (var c in changes)
        {
            var detail = c.Kind == SectionChange.Changed ? $", {c.Differences.Count} values, {c.Overlays.Count} figure(s) overlaid" : "";
            Console.WriteLine($"  {c.Id}: {c.Kind}{detail}");
        }
        Console.WriteLine($"diff: {changes.Count(c => c.Kind == SectionChange.Changed)} of {changes.Count} sections changed; summary {summary}");
        return 0;
    }

    /// <summary>
    /// The pull request's one review comment (<see cref="ReviewComment"/>), built from the base run's and the head run's artifacts
    /// folders, written to --out (default artifacts/&lt;profile&gt;/diff/review-comment.md).
    /// </summary>
    public static int ReviewComment(string profile, string baseRoot, string? headRoot, string? output, string? details, string? figures,
        string? maxText)
    {
        headRoot ??= RepoPaths.ArtifactsDir;
        output ??= Path.Combine(RepoPaths.ArtifactsDir, profile, "diff", HW1.Research.Reporting.ReviewComment.FileName);
        int max = HW1.Research.Reporting.ReviewComment.DefaultMaxChars;
        if (maxText != null &&
            (!int.TryParse(maxText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out max)
            || max < HW1.Research.Reporting.ReviewComment.MinMaxChars))
            throw new UsageException($"--max-chars expects a whole number of characters, at least " +
                $"{HW1.Research.Reporting.ReviewComment.MinMaxChars}; found '{maxText}'.");
        foreach (var (name, root) in new[] { ("--base", baseRoot), ("--head", headRoot) })
            if (!Directory.Exists(root)) throw new UsageException($"{name} {root}: no such artifacts folder.");
        var changes = RunDiff.Of(profile, baseRoot, headRoot);
        var options = new ReviewOptions
        {
            Profile = profile,
            BaseLabel = RunLabel(profile, baseRoot),
            HeadLabel = RunLabel(profile, headRoot),
            DetailsUrl = details,
            FiguresUrl = figures,
            MaxChars = max,
        };
        string comment;
        try
        {
            comment = HW1.Research.Reporting.ReviewComment.Build(changes, options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(output, comment);
        Console.WriteLine($"review-comment: {comment.Length} characters (at most {max}) in {output}; " +
            $"{changes.Count(c => c.Kind == SectionChange.Changed)} of {changes.Count} sections changed.");
        return 0;
    }

    /// <summary>How the comment names a run: the short commit its pipeline log records, else its folder.</summary>
    private static string RunLabel(string profile, string root) =>
        PipelineLog.Read(profile, root)?.Source?.Commit is { Length: >= 7 } commit && !commit.StartsWith("unknown", StringComparison.Ordinal)
            ? commit[..Math.Min(12, commit.Length)]
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));

    /// <summary>
    /// Merges the runs stored under the --from folders (comma-separated) into --into (default: this checkout's artifacts), then completes
    /// every replicated experiment whose seeds the shards shared: it runs once more here, reading every shard's seeds from their replicas
    /// (and training any seed no shard stored), so this checkout must be built (--configuration, default Release) from the shards' commit.
    /// </summary>
    public static int Merge(string profile, RunSettings settings, string from, string? into, string? project, string? configuration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Absolute: the experiment processes the completion starts resolve paths against their own working folder.
        into = Path.GetFullPath(into ?? settings.ArtifactsDir);
        project ??= ExperimentsProject;
        configuration ??= "Release";
        var sources = from.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var s in sources)
            if (!Directory.Exists(s)) throw new UsageException($"--from {s}: no such folder.");
        var merged = HW1.Research.Pipeline.RunMerge.Merge(profile, sources, into, Console.WriteLine);
        var partial = merged.Experiments.Where(e => e.Outcome == PipelineExperiment.Partial).Select(e => e.Name).ToList();
        if (partial.Count == 0) return 0;
        var offset = settings.SeedOffset;
        if (offset != merged.SeedOffset)
            throw new UsageException($"{HW1.Research.Training.Reproducibility.SeedOffsetVariable}={offset} here, but the shards ran with seed " +
                $"offset {merged.SeedOffset}: complete the merge with the shards' offset.");
        Console.WriteLine($"merge: completing {partial.Count} replicated experiment(s) from their seed replicas: " +
            $"{string.Join(", ", partial.Select(RunText.ShortName))}");
        var options = new HW1.Research.Pipeline.RunnerOptions(profile, project, configuration)
        {
            Only = string.Join(',', partial),
            SeedOffset = merged.SeedOffset,
            Threads = settings.Threads,
            Environment = RunnerEnvironment(profile, merged.SeedOffset, settings.Threads),
            ArtifactsRoot = into,
            Completes = merged,
            // The merged run's wall time runs from its first shard's start to the end of the completion.
            PipelineStarted = merged.StartedUtc,
        };
        return new HW1.Research.Pipeline.ExperimentRunner(options, line => Console.WriteLine(line)).Run();
    }

    /// <summary>
    /// Moves every snapshot mismatch under --root (default: experiments/) over its committed snapshot, printing what moved; --only takes
    /// the mismatches whose file name contains one of its comma-separated texts, --dry-run lists what would change and moves nothing.
    /// Then names every committed snapshot that nothing uses any more.
    /// </summary>
    public static int AcceptSnapshots(string? root, string? only, bool dryRun, bool normalize)
    {
        root ??= Path.Combine(RepoPaths.Root, "experiments");
        SnapshotFiles.Accept(Path.GetFullPath(root), Console.WriteLine, only, dryRun);
        foreach (var orphan in SnapshotFiles.Orphans(Path.GetFullPath(root)))
            Console.WriteLine($"warning: {Path.GetRelativePath(Path.GetFullPath(root), orphan)} is committed but no experiment or test uses it any " +
                $"more; delete it with git rm.");
        if (normalize) Console.WriteLine($"{SnapshotFiles.Normalize(Path.GetFullPath(root), Console.WriteLine)} snapshot(s) rewritten in the one " +
            $"snapshot form.");
        return 0;
    }

    /// <summary>
    /// The makespan model (<see cref="HW1.Research.Pipeline.Makespan"/>) over the experiments measured in the folders of --from, in the
    /// catalog order of this checkout's build when it is built; prints the Markdown tables docs/performance.md shows.
    /// </summary>
    public static int Makespan(string profile, string from, string? cores, string? nodes, string? seedTimes, string? configuration,
        string? only = null)
    {
        static IReadOnlyList<int> Counts(string? text, string option, int[] fallback) => text == null ? fallback
            : text.Split(',', StringSplitOptions.TrimEntries)
            .Select(t =>
            int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n : throw new UsageException($"{option} expects whole numbers from 1, comma-separated; found '{t}' in '{text}'.")).ToList();
        var coreCounts = Counts(cores, "--cores", [2, 4, 8, 16, 32]);
        var nodeCounts = Counts(nodes, "--nodes", [5, 10]);
        IReadOnlyList<string>? catalog = null;
        try
        {
            catalog = new HW1.Research.Pipeline.ExperimentRunner(new HW1.Research.Pipeline.RunnerOptions(profile, ExperimentsProject,
                configuration ?? "Release"), _ => { })
                .ListExperiments();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or BadImageFormatException)
        {
            Console.WriteLine($"makespan: no built catalog ({e.Message}); the folders' order stands in for it.");
        }
        if (catalog != null && only != null) catalog = HW1.Research.Pipeline.ExperimentRunner.Select(catalog, only);
        var texts = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Selected(string name) => texts == null || texts.Any(t => name.Contains(t, StringComparison.OrdinalIgnoreCase));
        var measured = new List<HW1.Research.Pipeline.ExperimentTime>();
        foreach (var (e, folder) in MeasuredIn(from, profile).Where(m => Selected(m.Time.Name)))
        {
            measured.Add(e);
            Console.WriteLine($"  {HW1.Research.Artifacts.RunText.ShortName(e.Name),-45} {e.WallSeconds,8:0.0} s" +
                (e.Replicated
                ? $", {e.SeedSeconds.Count} seeds " +
                    $"{string.Join(" ", e.SeedSeconds.Select(x => x.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} s, the " +
                    $"rest {e.Remainder:0.0} s" : "") + $"  ({folder})");
        }
        foreach (var given in (seedTimes ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = given.Split('=', 2);
            var seconds = parts.Length == 2
                ? parts[1].Split(',')
                .Select(t =>
                double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && x > 0
                ? x : double.NaN).ToList() : [];
            if (parts.Length != 2 || seconds.Count == 0 || seconds.Any(double.IsNaN))
                throw new UsageException($"--seed-times expects CLASS=S,S,... (seconds above 0), found '{given}'.");
            var name = catalog?.FirstOrDefault(n => HW1.Research.Pipeline.ExperimentRunner.ClassName(n) == parts[0]) ?? parts[0];
            if (measured.Any(m =>
                m.Name == name)) throw new UsageException($"--seed-times {parts[0]}: measured in --from already; give only experiments none of the " +
                    $"folders measured.");
            measured.Add(new HW1.Research.Pipeline.ExperimentTime(name, seconds.Sum(), seconds));
            Console.WriteLine($"  {parts[0],-45} {seconds.Sum(),8:0.0} s, {seconds.Count} seeds given with --seed-times (not measured here)");
        }
        if (measured.Count == 0) throw new UsageException($"--from {from}: no {profile} experiment with a measured section there.");
        if (catalog != null)
        {
            var missing = catalog.Where(n => measured.All(m => m.Name != n)).ToList();
            if (missing.Count > 0) Console.WriteLine($"makespan: not measured in these folders, left out: " +
                $"{string.Join(", ", missing.Select(HW1.Research.Pipeline.ExperimentRunner.ClassName))}");
            measured = measured.OrderBy(m => catalog.ToList().IndexOf(m.Name) is var i && i >= 0 ? i : int.MaxValue).ToList();
        }
        Console.WriteLine();
        Console.Write(HW1.Research.Pipeline.Makespan.Table(measured, coreCounts, nodeCounts));
        return 0;
    }

    /// <summary>The kernel state and fingerprint of this process: what the pin tests compare across processes and machines.</summary>
    /// <summary>What an experiment's compute key covers: the compute files' hash, its procedure hash and every method walked (or the whole hashed
    /// text).</summary>
    public static int Procedure(string profile, string name, bool text, string? project, string? configuration)
    {
        project ??= ExperimentsProject;
        configuration ??= "Release";
        var runner = new HW1.Research.Pipeline.ExperimentRunner(new HW1.Research.Pipeline.RunnerOptions(profile, project, configuration),
            Console.WriteLine);
        var experiment = runner.ListExperiments().FirstOrDefault(n => n.Split('.')[^2] == name)
            ??
            throw new UsageException($"--experiment {name}: no such experiment; the built assembly declares " +
                $"{string.Join(", ", runner.ListExperiments().Select(n => n.Split('.')[^2]))}.");
        var bin = runner.BinFolder();
        var (hash, methods, hashed) = HW1.Research.Pipeline.ProcedureHash.Walk(Path.Combine(bin, Path.GetFileNameWithoutExtension(project) + ".dll"),
            [Path.Combine(bin, HW1.Research.Pipeline.RunKey.ReportingAssembly + ".dll")], experiment[..experiment.LastIndexOf('.')]);
        if (text)
        {
            Console.Write(hashed);
            return 0;
        }
        Console.WriteLine($"compute key {runner.ComputeKeyOf(experiment)} ({profile} profile)");
        Console.WriteLine($"compute files {HW1.Research.Pipeline.RunKey.ComputeFiles(bin)}");
        Console.WriteLine($"procedure {hash}: {methods.Count} methods walked");
        foreach (var m in methods) Console.WriteLine("  " + m);
        return 0;
    }

    public static int Kernels(bool json, string? threadsText)
    {
        var threads = threadsText is { } t
            ? int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw new UsageException($"--threads is '{t}', expected a whole number of at least 1.")
            : 1;
        TorchRuntime.EnsureLoaded();
        var state = CpuKernels.State;
        var fingerprint = KernelFingerprint.Compute(threads);
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                mode = state.Mode.ToString().ToLowerInvariant(),
                pinned = state.Pinned,
                kernels = state.Description,
                variables = state.InForce,
                cpu = state.Cpu.ToString(),
                threads,
                fingerprint = fingerprint.Parts,
            }));
            return 0;
        }
        Console.WriteLine($"CPU:         {state.Cpu}");
        Console.WriteLine($"Kernels:     {state.Description}");
        if (state.Warning is { } warning) Console.WriteLine($"Note:        {warning}");
        Console.WriteLine($"{TorchRuntime.Versions}; fingerprint on {threads} thread(s):");
        foreach (var (name, digest) in fingerprint.Parts) Console.WriteLine($"  {name,-12} {digest}");
        return 0;
    }

    public static int Check(string profile)
    {
        var folder = ReportWriter.FolderOf(profile);
        var (sections, _) = ReportBuilder.Select(SectionStore.ReadAll(profile), PipelineLog.Read(profile));
        var expected = new List<string> { ReportBuilder.Title, "Contents" };
        expected.AddRange(sections.Select(ReportBuilder.HeadingOf));
        int figures = sections.Sum(s => s.Figures.Count);
        expected.AddRange(Enumerable.Range(1, figures).Select(n => $"Figure {n}."));
        var pdf = Path.Combine(folder, ReportWriter.PdfName);
        PdfCheck.Span[] ledger = sections.Count == 0 ? []
            : [new PdfCheck.Span("the claims ledger", ClaimsLedger.Explanation[..60],
                ReportBuilder.PartHeading(sections[0].Part, sections.Where(s => s.Part == sections[0].Part)),
            ReportBuilder.LedgerPages)];
        var problems = PdfCheck.Problems(pdf, expected, ledger);
        foreach (var p in problems) Console.Error.WriteLine($"check: {p}");
        if (problems.Count > 0) return 1;
        Console.WriteLine($"check: {pdf} has all {sections.Count} section headings and {figures} figure captions, a footer on every page, no text " +
            $"off the page, " +
            $"and the claims ledger within {ReportBuilder.LedgerPages} pages.");
        return 0;
    }

    /// <summary>Opens the rendered HTML report in headless Chromium and checks what a reader sees; --screenshot saves the first screen.</summary>
    public static int HtmlCheck(string profile, string? screenshot, bool ifAvailable)
    {
        if (ifAvailable && HW1.Research.Reporting.HtmlCheck.FindChromium() == null)
        {
            Console.WriteLine($"html-check: no Chromium installed (apt-get install chromium, or set " +
                $"{HW1.Research.Reporting.HtmlCheck.ChromiumVariable}): the HTML report was written but not opened in a browser.");
            return 0;
        }
        var chromium = HW1.Research.Reporting.HtmlCheck.FindChromium()
            ?? throw new InvalidOperationException(
                $"No Chromium to open the HTML report with: install Debian's chromium (apt-get install chromium) or set " +
                $"{HW1.Research.Reporting.HtmlCheck.ChromiumVariable} to its executable.");
        var html = Path.Combine(ReportWriter.FolderOf(profile), HtmlReport.FileName);
        if (!File.Exists(html)) throw new InvalidOperationException($"{html} does not exist: render the report first (dotnet cake " +
            $"--profile={profile} --target=Report).");
        var (sections, _) = ReportBuilder.Select(SectionStore.ReadAll(profile), PipelineLog.Read(profile));
        var problems = HW1.Research.Reporting.HtmlCheck.Problems(html, sections, chromium, screenshot);
        foreach (var p in problems) Console.Error.WriteLine($"html-check: {p}");
        if (problems.Count > 0) return 1;
        Console.WriteLine($"html-check: {html} in {chromium}: all {sections.Count} section headings, {sections.Sum(s => s.Figures.Count)} figures " +
            $"drawn " +
            $"with their captions, no console message, laid out at {string.Join(" and ", HtmlReport.CheckedWidths)} px without sideways scrolling" +
            (screenshot == null ? "." : $"; first screen saved to {screenshot}."));
        return 0;
    }

    private static List<string> OnlyInOne(IEnumerable<string> first, IEnumerable<string> second)
    {
        var set = new HashSet<string>(first, StringComparer.Ordinal);
        set.SymmetricExceptWith(second);
        return set.Order(StringComparer.Ordinal).ToList();
    }

    private static string FirstLine(string? text) => (text ?? "").Split('\n')[0].Trim();
}
