namespace HW1.Research;

/// <summary>Where the suite keeps its data and artifacts: one place, overridable by environment variables.</summary>
public static class RepoPaths
{
    /// <summary>Environment variable naming the data folder (default: <c>data/</c> in the repository).</summary>
    public const string DataDirVariable = "HW1_DATA_DIR";

    /// <summary>Environment variable naming the artifacts folder (default: <c>artifacts/</c> in the repository).</summary>
    public const string ArtifactsDirVariable = "HW1_ARTIFACTS_DIR";

    private const string SolutionFile = "HW1.Research.sln";

    /// <summary>The repository root: the nearest folder above the running assembly that holds the solution file.</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    public static string DataDir => FromVariable(DataDirVariable) ?? Path.Combine(Root, "data");

    public static string ArtifactsDir => FromVariable(ArtifactsDirVariable) ?? Path.Combine(Root, "artifacts");

    internal static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        // Outside the repository (a copied build): fall back to the working directory.
        return Directory.GetCurrentDirectory();
    }

    private static string? FromVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value);
    }
}
