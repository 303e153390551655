namespace HW1.Research.Pipeline;

/// <summary>
/// What the quick tests' verdict depends on: the built test and experiment assemblies, the committed snapshots and the CPU kernel
/// mode. The pipeline's Test step records this hash when the tests pass and skips them when it is unchanged.
/// </summary>
public static class TestInputs
{
    /// <summary>The marker the Test step writes: <c>artifacts/quick/tests-passed.sha256</c>.</summary>
    public static string MarkerPath(string artifactsRoot) => Path.Combine(artifactsRoot, "quick", "tests-passed.sha256");

    /// <summary>SHA-256 over every assembly under <c>tests/**/bin/&lt;configuration&gt;</c> and <c>experiments/**/bin/&lt;configuration&gt;</c>,
    /// every committed snapshot (relative paths and bytes) and the kernel mode.</summary>
    public static string Hash(string root, string configuration, string kernelMode)
    {
        var files = new[] { "tests", "experiments" }
            .Select(folder => Path.Combine(root, folder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            .Where(f =>
            (f.EndsWith(".dll", StringComparison.Ordinal) &&
            f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal))
                        || (f.EndsWith(".snap", StringComparison.Ordinal) && !f.Contains("__mismatch__", StringComparison.Ordinal)))
            .Select(f => (Path.GetRelativePath(root, f), f));
        // Quick tests that passed with native CPU kernels (snapshots not compared) say nothing about the pinned ones.
        return RunKey.HashFiles(files, "kernels=" + kernelMode);
    }
}
