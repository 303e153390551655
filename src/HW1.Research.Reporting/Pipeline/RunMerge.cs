using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>
/// Collects the results of several runs of one commit (shards made on other machines, each in its own artifacts folder) into one
/// run the report can be rendered from: the same commit, profile, code hash, seed offset and CPU kernels everywhere, every
/// experiment once (or with the same key wherever it ran twice), every section intact and sealed by the digest its run recorded.
/// A mixture is refused with the folder and the value that disagree; nothing is written then. A replicated experiment whose seeds the
/// shards shared comes out <see cref="PipelineExperiment.Partial"/> with every shard's seed replicas (each checked against the digest
/// its run recorded and copied into the merged folder); <see cref="ExperimentRunner"/> with <see cref="RunnerOptions.Completes"/>
/// then completes it from them.
/// </summary>
public static class RunMerge
{
    /// <summary>Merges the runs under <paramref name="sources"/> into <paramref name="target"/> (its pipeline log and sections); returns the merged
    /// log.</summary>
    public static PipelineLog Merge(string profile, IReadOnlyList<string> sources, string target, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(log);
        if (sources.Count == 0) throw new ArgumentException("Nothing to merge: name the artifacts folders of the runs.");
        var runs = ReadRuns(profile, sources, log);
        var (experiments, shares, sections) = CollectRuns(profile, runs);
        var (partial, replicas) = CollectShares(profile, experiments, shares, log);
        WarnOfMissingShards(runs, log);
        return Write(profile, target, runs, experiments, partial, sections, replicas, log);
    }

    /// <summary>Every run's pipeline log, refused unless commit, code hash, seed offset, kernels and threads agree.</summary>
    private static List<(string Folder, PipelineLog Log)> ReadRuns(string profile, IReadOnlyList<string> sources, Action<string> log)
    {
        var runs = sources.Select(folder => (Folder: folder, Log: PipelineLog.Read(profile, folder)
            ??
            throw new InvalidDataException($"{folder}: no {profile} pipeline log ({PipelineLog.PathOf(profile, folder)}); only runs of the " +
                $"pipeline " +
                $"can be merged."))).ToList();

        var first = runs[0];
        void Agree(string what, Func<PipelineLog, string?> value)
        {
            foreach (var run in runs.Skip(1))
            {
                if (value(run.Log) != value(first.Log))
                    throw new InvalidDataException($"Cannot merge {run.Folder} with {first.Folder}: their {what} differ " +
                        $"({value(run.Log) ?? "not recorded"} vs {value(first.Log) ?? "not recorded"}). " +
                        "Only shards of one run (the same commit, build, profile, seeds and CPU kernels) make one report.");
            }
        }
        Agree("commits", l => l.Source?.Commit);
        Agree("code hashes", l => l.CodeHash);
        Agree("seed offsets", l => l.SeedOffset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Agree("CPU kernels", l => l.Kernels);
        Agree("thread counts", l => l.Threads ?? "own");
        if (first.Log.CodeHash == null) throw new InvalidDataException($"{first.Folder}: its pipeline log records no code hash (written by an " +
            $"older " +
            $"version); run the shards again.");
        foreach (var run in runs.Where(r => r.Log.Source?.Dirty == true))
            log($"merge: {run.Folder} was built from a working tree with uncommitted changes; the code hash still has to agree.");

        return runs;
    }

    /// <summary>Whole experiments (each once, or under one key wherever it ran twice) with their intact sections, and the seed shares by
    /// experiment.</summary>
    private static (Dictionary<string, (string Folder, PipelineExperiment Outcome)> Experiments, Dictionary<string,
        List<(string Folder, PipelineExperiment Outcome)>> Shares, List<(string Folder, ReportSection Section)> Sections) CollectRuns(string profile,
        List<(string Folder, PipelineLog Log)> runs)
    {
        var experiments = new Dictionary<string, (string Folder, PipelineExperiment Outcome)>(StringComparer.Ordinal);
        var shares = new Dictionary<string, List<(string Folder, PipelineExperiment Outcome)>>(StringComparer.Ordinal);
        var sections = new List<(string Folder, ReportSection Section)>();
        foreach (var (folder, run) in runs)
        {
            foreach (var e in run.Experiments)
            {
                // A seed share, finished or failed: its seeds (if any) are collected; a failed share's missing seeds are trained by the
                // completion, so one failed share never stands for the whole experiment.
                if (e.Outcome == PipelineExperiment.Partial || e.Share != null)
                {
                    if (!shares.TryGetValue(e.Name, out var list)) shares[e.Name] = list = [];
                    list.Add((folder, e));
                    continue;
                }
                if (experiments.TryGetValue(e.Name, out var seen))
                {
                    if (seen.Outcome.Key != e.Key)
                        throw new InvalidDataException($"Cannot merge: {RunText.ShortName(e.Name)} ran in {seen.Folder} and in {folder} under " +
                            $"different keys ({seen.Outcome.Key} vs {e.Key}).");
                    continue;
                }
                experiments[e.Name] = (folder, e);
                foreach (var id in e.Sections)
                {
                    var path = SectionStore.PathOf(profile, id, folder);
                    var section = SectionStore.Read(path, profile);
                    if (section.RunKey != e.Key)
                        throw new InvalidDataException($"{path}: stored under key {section.RunKey ?? "none"}, but its run recorded {e.Key} for " +
                            $"{RunText.ShortName(e.Name)}.");
                    if (e.Digests.TryGetValue(id, out var recorded) && recorded != section.Digest)
                        throw new InvalidDataException($"{path}: ALTERED: its digest is not the one its run recorded when it was measured.");
                    sections.Add((folder, section));
                }
            }
        }
        var duplicate = sections.GroupBy(s => s.Section.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new InvalidDataException($"Cannot merge: section {duplicate.Key} comes from two experiments " +
                $"({string.Join(", ", duplicate.Select(d => d.Folder))}).");

        return (experiments, shares, sections);
    }

    /// <summary>Each replicated experiment's seed replicas from all its shares, every one checked against its recorded digest and key.</summary>
    private static (List<PipelineExperiment> Partial, List<(string Name, string File, string Source)> Replicas) CollectShares(string profile,
        Dictionary<string, (string Folder, PipelineExperiment Outcome)> experiments,
        Dictionary<string, List<(string Folder, PipelineExperiment Outcome)>> shares, Action<string> log)
    {
        // Seed shares: one key for all of them (and for a whole run of the same experiment, which then stands on its own); every replica
        // intact; a seed two shares both stored must be the same bytes.
        var replicas = new List<(string Name, string File, string Source)>();
        var partial = new List<PipelineExperiment>();
        foreach (var (name, parts) in shares.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var key = parts[0].Outcome.Key;
            foreach (var (folder, e) in parts.Skip(1).Where(p => p.Outcome.Key != key))
                throw new InvalidDataException($"Cannot merge: the seed shares of {RunText.ShortName(name)} ran under different keys " +
                    $"({parts[0].Folder}: {key}, {folder}: {e.Key}).");
            if (experiments.TryGetValue(name, out var whole))
            {
                if (whole.Outcome.Key != key)
                    throw new InvalidDataException($"Cannot merge: {RunText.ShortName(name)} ran whole in {whole.Folder} and as seed shares in " +
                        $"{parts[0].Folder} under different keys ({whole.Outcome.Key} vs {key}).");
                continue;
            }
            foreach (var (folder, e) in parts.Where(p => p.Outcome.Outcome != PipelineExperiment.Partial))
                log($"merge: WARNING: seed share {e.Share} of {RunText.ShortName(name)} in {folder} failed ({e.Failure}); the seeds it stored are " +
                    $"used, the completion trains the rest");
            var files = new Dictionary<string, (string Digest, string Source, string Result)>(StringComparer.Ordinal);
            foreach (var (folder, e) in parts)
            {
                foreach (var (file, digest) in e.Replicas)
                {
                    var path = Path.Combine(ExperimentRunner.ReplicaFolderOf(profile, folder, name), file);
                    if (!File.Exists(path))
                        throw new InvalidDataException($"{path}: missing; its run recorded this seed replica of {RunText.ShortName(name)}. Copy " +
                            $"the shard's whole artifacts folder, or run the shard again.");
                    var bytes = File.ReadAllBytes(path);
                    if (SeedReplicas.DigestOf(bytes) != digest)
                        throw new InvalidDataException($"{path}: ALTERED: its digest is not the one its run recorded when it was trained.");
                    var seed = SeedReplicas.SeedOf(file)
                        ??
                        throw new InvalidDataException($"{path}: recorded as a seed replica of {RunText.ShortName(name)}, but its name is not " +
                            $"seed-<seed>.json.");
                    var replica = SeedReplicas.Parse(bytes, path, ExperimentRunner.ClassName(name), seed);
                    if (replica.Key != (e.ComputeKey ?? e.Key))
                        throw new InvalidDataException($"{path}: stored under another compute key than its run recorded for " +
                            $"{RunText.ShortName(name)} ({e.ComputeKey ?? e.Key}).");
                    // Two shares may both hold a seed (a shard run again with another count); their results must agree, their timings need not.
                    var result = replica.Result.GetRawText();
                    if (files.TryGetValue(file, out var seen) && seen.Result != result)
                        throw new InvalidDataException($"Cannot merge: {file} of {RunText.ShortName(name)} differs between {seen.Source} and " +
                            $"{path}: the same seed under the same key trained to different numbers.");
                    files[file] = (digest, path, result);
                }
            }
            replicas.AddRange(files.Select(f => (name, f.Key, f.Value.Source)));
            partial.Add(new PipelineExperiment(name, key, PipelineExperiment.Partial, Math.Round(parts.Sum(p => p.Outcome.Seconds), 1))
            {
                ComputeKey = parts[0].Outcome.ComputeKey,
                Replicas = files.ToDictionary(f => f.Key, f => f.Value.Digest, StringComparer.Ordinal),
            });
            log($"merge: {RunText.ShortName(name)}: {files.Count} seed replica(s) from {parts.Count} share(s); it is completed from them");
        }

        return (partial, replicas);
    }

    private static void WarnOfMissingShards(List<(string Folder, PipelineLog Log)> runs, Action<string> log)
    {
        // Every shard of each count should be there; a missing one leaves its whole experiments out and its seeds to the completion.
        foreach (var count in runs.Select(r => r.Log.Shard).OfType<string>().Select(s => Shard.Parse(s, "a shard's pipeline log"))
            .GroupBy(s => s.Count))
        {
            var missing = Enumerable.Range(1, count.Key).Except(count.Select(s => s.Index)).ToList();
            if (missing.Count > 0)
                log($"merge: WARNING: shard(s) {string.Join(", ", missing.Select(i => $"{i}/{count.Key}"))} are not among the folders merged; " +
                    $"their " +
                    $"whole experiments will be missing from the report and their seeds are trained by the completion");
        }
    }

    /// <summary>Writes the merged log, sections and replicas into <paramref name="target"/>.</summary>
    private static PipelineLog Write(string profile, string target, List<(string Folder, PipelineLog Log)> runs,
        Dictionary<string, (string Folder, PipelineExperiment Outcome)> experiments, List<PipelineExperiment> partial,
        List<(string Folder, ReportSection Section)> sections, List<(string Name, string File, string Source)> replicas, Action<string> log)
    {
        var first = runs[0];
        var merged = first.Log with
        {
            StartedUtc = runs.Min(r => r.Log.StartedUtc),
            Seconds = runs.Max(r => r.Log.Seconds),
            Experiments = experiments.Values.Select(v => v.Outcome).Concat(partial).OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
            Shard = null,
            MergedFrom = runs.Select(r => Path.GetFullPath(r.Folder)).ToList(),
        };
        SectionStore.EnsureFolder(profile, target);
        foreach (var (folder, section) in sections)
            AtomicFile.WriteAllBytes(SectionStore.PathOf(profile, section.Id, target),
                File.ReadAllBytes(SectionStore.PathOf(profile, section.Id, folder)));
        foreach (var (name, file, source) in replicas)
        {
            var path = Path.Combine(ExperimentRunner.ReplicaFolderOf(profile, target, name), file);
            if (Path.GetFullPath(path) != Path.GetFullPath(source)) AtomicFile.WriteAllBytes(path, File.ReadAllBytes(source));
        }
        merged.Write(target);
        log($"merge: {experiments.Count} experiment(s) and {sections.Count} section(s) from {runs.Count} run(s) of commit " +
            $"{first.Log.Source?.Commit ?? "unknown"} into {Path.GetFullPath(target)}");
        return merged;
    }
}
