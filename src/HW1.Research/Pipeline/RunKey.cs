using System.Security.Cryptography;
using System.Text;

namespace HW1.Research.Pipeline;

/// <summary>
/// The key a pipeline run gives each experiment: a hash of the built code (every assembly in the experiments' output
/// folder and every committed snapshot), the profile, the seed offset, the CPU kernels and the experiment's name. A stored result is
/// reused only under the same key, so any change to the code, the snapshots, the configuration (which lives in the
/// code) or the profile re-runs the experiment.
/// </summary>
public static class RunKey
{
    /// <summary>The hash of the built code: the assemblies in <paramref name="binFolder"/> and the snapshot files under <paramref name="snapshotRoot"/>.</summary>
    public static string CodeHash(string binFolder, string snapshotRoot)
    {
        if (!Directory.Exists(binFolder))
            throw new DirectoryNotFoundException($"{binFolder}: the experiments' build output is missing. Build first: dotnet build -c Release");
        var files = Directory.GetFiles(binFolder, "*.dll", SearchOption.TopDirectoryOnly)
            .Concat(Directory.Exists(snapshotRoot)
                ? Directory.GetFiles(snapshotRoot, "*.snap", SearchOption.AllDirectories).Where(p => !p.Contains("__mismatch__", StringComparison.Ordinal))
                : [])
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new InvalidOperationException($"{binFolder}: no assemblies to hash. Build first: dotnet build -c Release");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var file in files)
        {
            // The file's name relative to its root (not the clone's path) and its bytes.
            var root = file.StartsWith(binFolder, StringComparison.Ordinal) ? binFolder : snapshotRoot;
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\n"));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The key of one experiment: its name, the profile, the seed offset and the CPU kernels (<see cref="KernelState.KeyText"/>:
    /// the same text on every machine when pinned, the CPU as well when not), under the given code hash (16 hex digits).
    /// </summary>
    public static string Of(string codeHash, string profile, long seedOffset, string experiment, string kernels)
    {
        var text = $"{codeHash}\n{profile}\n{seedOffset}\n{experiment}\n{kernels}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
