using System.Security.Cryptography;
using System.Text;

namespace HW1.Research.Pipeline;

/// <summary>
/// The key a pipeline run gives each experiment: a hash of what its results depend on (<see cref="SharedHash"/>: the library and every
/// other assembly, the experiments' shared sources; <see cref="ExperimentHash"/>: its own source file and snapshots), the profile, the seed offset,
/// the CPU kernels and the experiment's name. A stored result is reused only under the same key, so a change to the library re-runs
/// every experiment and a change to one experiment's file re-runs that one. <see cref="CodeHash"/> identifies the whole build (a
/// merge checks that shards share it). The build maps source paths (Directory.Build.props), so both are the same in any folder.
/// </summary>
public static class RunKey
{
    /// <summary>The hash of the built code: the assemblies in <paramref name="binFolder"/> and the snapshot files under
    /// <paramref name="snapshotRoot"/>.</summary>
    public static string CodeHash(string binFolder, string snapshotRoot)
    {
        var files = Assemblies(binFolder).Select(f => ("bin/" + Path.GetRelativePath(binFolder, f), f))
            .Concat(Directory.Exists(snapshotRoot)
                ? Directory.GetFiles(snapshotRoot, "*.snap", SearchOption.AllDirectories)
            .Where(p => !p.Contains("__mismatch__", StringComparison.Ordinal))
                    .Select(f => (Path.GetRelativePath(snapshotRoot, f), f))
                : []);
        return HashFiles(files);
    }

    /// <summary>
    /// What every experiment's results depend on alike: every assembly of the build except the experiments assembly itself (the
    /// library, TorchSharp, ...), the experiments project's shared sources (its project file, its top-level files and Infrastructure/)
    /// and the repository's build settings. A run hashes it once; <see cref="ExperimentHash"/> adds each experiment's own files.
    /// </summary>
    public static string SharedHash(string binFolder, string projectFolder, string repositoryRoot)
    {
        var projectName = Path.GetFileName(Path.TrimEndingDirectorySeparator(projectFolder));
        var infrastructure = Path.Combine(projectFolder, "Infrastructure");
        var build = Path.Combine(repositoryRoot, "build");
        var files = Assemblies(binFolder).Where(f => Path.GetFileNameWithoutExtension(f) != projectName)
            .Select(f => ("bin/" + Path.GetRelativePath(binFolder, f), f))
            .Concat(Directory.GetFiles(projectFolder, "*.cs*", SearchOption.TopDirectoryOnly)
                .Concat(Directory.Exists(infrastructure) ? Directory.GetFiles(infrastructure, "*.cs") : [])
                .Concat(new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" }.Select(f =>
            Path.Combine(repositoryRoot, f)).Where(File.Exists))
                .Concat(Directory.Exists(build) ? Directory.GetFiles(build) : [])
                .Select(f => (Path.GetRelativePath(repositoryRoot, f), f)));
        return HashFiles(files);
    }

    /// <summary>
    /// What one experiment's results depend on: <paramref name="sharedHash"/> (<see cref="SharedHash"/>), the source file that
    /// declares the experiment's class, and that class's committed snapshots. Editing one experiment's file changes its key only,
    /// so only it re-runs; paths enter relative to the repository, so the hash is the same in any clone of the same commit.
    /// </summary>
    public static string ExperimentHash(string sharedHash, string projectFolder, string repositoryRoot, string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        var projectName = Path.GetFileName(Path.TrimEndingDirectorySeparator(projectFolder));
        var parts = testName.Split('.');
        if (parts.Length < 4 || parts[0] + "." + parts[1] != projectName)
            throw new ArgumentException($"'{testName}' is not an experiment test of {projectName} (expected " +
                $"{projectName}.<Folder>.<Class>.<Method>).");
        var className = parts[^2];
        var folder = Path.Combine([projectFolder, .. parts[2..^2]]);
        var declaration = new System.Text.RegularExpressions.Regex($@"\bclass\s+{System.Text.RegularExpressions.Regex.Escape(className)}\b");
        var own = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.cs").Where(f => declaration.IsMatch(File.ReadAllText(f))).ToList() : [];
        if (own.Count == 0) throw new FileNotFoundException($"No source file in {folder} declares the class {className} of {testName}.");
        var snapshots = Path.Combine(folder, "__snapshots__");
        var files = own.Concat(Directory.Exists(snapshots) ? Directory.GetFiles(snapshots, className + "_*.snap") : [])
            .Select(f => (Path.GetRelativePath(repositoryRoot, f), f));
        return HashFiles(files, "shared=" + sharedHash);
    }

    /// <summary>The compute assembly's name: what can change a measured number (Native, Data, Models, Training, Analysis).</summary>
    public const string ComputeAssembly = "HW1.Research";

    /// <summary>The reporting assembly's name; an experiment's procedure may reach into it (storing seeds), and the procedure hash walks what it
    /// reaches.</summary>
    public const string ReportingAssembly = "HW1.Research.Reporting";

    /// <summary>
    /// The hash of the compute code as built in <paramref name="binFolder"/>: the compute assembly and every assembly in the folder that
    /// it references, directly or not (TorchSharp and what TorchSharp loads), the framework's own excepted (pinned by global.json).
    /// The reporting and experiments assemblies are not among them: the procedure hash covers the part of those a procedure runs.
    /// </summary>
    public static string ComputeFiles(string binFolder)
    {
        var start = Path.Combine(binFolder, ComputeAssembly + ".dll");
        if (!File.Exists(start)) throw new FileNotFoundException($"{start}: the compute assembly is not built. Build first: dotnet build -c Release",
            start);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var path))
        {
            if (!found.Add(path)) continue;
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            if (!pe.HasMetadata) continue;
            var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            foreach (var handle in reader.AssemblyReferences)
            {
                var referenced = Path.Combine(binFolder, reader.GetString(reader.GetAssemblyReference(handle).Name) + ".dll");
                if (File.Exists(referenced)) pending.Push(referenced);
            }
        }
        return HashFiles(found.Select(f => ("bin/" + Path.GetFileName(f), f)));
    }

    /// <summary>
    /// The key of what one experiment measures: the compute code (<see cref="ComputeFiles"/>), its procedure (<see cref="ProcedureHash"/>:
    /// the IL of its Run and configuration and of what they reach in the project's assemblies), the profile, the seed offset, the CPU
    /// kernels and the thread override. A stored result or seed replica is used only under the same key; claims, sentences, the snapshot,
    /// figures and the report are not in it, so changing them decides and describes again from stored results without training.
    /// </summary>
    public static string ComputeKey(string computeFilesHash, string procedureHash, string profile, long seedOffset, string experiment,
        string kernels, string threads = "own") =>
        Of($"compute {computeFilesHash} {procedureHash}", profile, seedOffset, experiment, kernels, threads);

    /// <summary>
    /// SHA-256 over files in name order: each file's name (relative, with forward slashes, never the clone's path) and its bytes,
    /// then <paramref name="suffix"/>. The one file hash of the pipeline (run keys, code hash, the quick tests' marker).
    /// </summary>
    public static string HashFiles(IEnumerable<(string Name, string Path)> files, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var (name, path) in files.DistinctBy(f => f.Name).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name.Replace('\\', '/') + "\n"));
            using var stream = File.OpenRead(path);
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        hash.AppendData(Encoding.UTF8.GetBytes(suffix));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The assemblies of a build output folder; a missing or empty folder is an error saying to build first.</summary>
    private static string[] Assemblies(string binFolder)
    {
        if (!Directory.Exists(binFolder))
            throw new DirectoryNotFoundException($"{binFolder}: the experiments' build output is missing. Build first: dotnet build -c Release");
        var files = Directory.GetFiles(binFolder, "*.dll", SearchOption.TopDirectoryOnly);
        if (files.Length == 0) throw new InvalidOperationException($"{binFolder}: no assemblies to hash. Build first: dotnet build -c Release");
        return files;
    }

    /// <summary>
    /// The key of one experiment: its name, the profile, the seed offset and the CPU kernels (<see cref="KernelState.KeyText"/>:
    /// the same text on every machine when pinned, the CPU as well when not), under the given code hash (16 hex digits).
    /// </summary>
    public static string Of(string codeHash, string profile, long seedOffset, string experiment, string kernels, string threads = "own")
    {
        var text = $"{codeHash}\n{profile}\n{seedOffset}\n{experiment}\n{kernels}" + (threads == "own" ? "" : $"\n{threads}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
