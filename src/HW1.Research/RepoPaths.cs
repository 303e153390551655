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

    /// <summary>
    /// Makes sure <paramref name="folder"/> exists and can be written before any work that writes there starts: creates
    /// it when missing, then writes and deletes a probe file. When it cannot, throws a
    /// <see cref="FolderNotWritableException"/> that names the folder, what is wrong with it, and
    /// <paramref name="variable"/>, the environment variable that chooses another folder.
    /// </summary>
    /// <param name="what">What the folder is, for the message (e.g. "data folder").</param>
    public static void EnsureWritableFolder(string folder, string what, string variable)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = Path.GetFullPath(folder);
        // A file in the way (the folder itself or a parent) cannot hold a folder, whatever the permissions.
        for (var path = full; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (!File.Exists(path)) continue;
            throw new FolderNotWritableException(path == full
                ? $"The {what} {full} is a file, expected a folder. Remove the file or set {variable} to a folder."
                : $"The {what} {full} cannot be created: {path} is a file, expected a folder. Remove the file or set {variable} to a writable " +
                    $"folder.");
        }
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new FolderNotWritableException(
                $"The {what} {full} is not writable ({e.Message.TrimEnd('.')}). Make it writable or set {variable} to a writable folder.", e);
        }
    }

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

/// <summary>A folder the suite must write to is a file, lies below a file, or cannot be written; the message names it and the setting to
/// change.</summary>
public sealed class FolderNotWritableException(string message, Exception? inner = null) : IOException(message, inner);
