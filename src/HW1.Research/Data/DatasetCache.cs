using System.Security.Cryptography;

namespace HW1.Research.Data;

/// <summary>
/// Keeps data sets in the data folder: every use re-checks each file's SHA-256; a missing or damaged file is
/// fetched (a file whose fetched copy is still wrong is fetched once more), and a file is only ever moved into
/// place whole and verified, so nothing half-written or wrong is trusted later.
/// </summary>
public static class DatasetCache
{
    /// <summary>How many times a fetch is tried before a wrong checksum is an error.</summary>
    public const int FetchAttempts = 2;

    /// <summary>How long a process waits for another one that is fetching the same data set.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(20);

    /// <summary>Makes sure every file of <paramref name="spec"/> is present and verified; returns the data set's folder.</summary>
    public static string Ensure(DatasetSpec spec, string? dataRoot = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        log ??= _ => { };
        var root = dataRoot ?? RepoPaths.DataDir;
        var folder = Path.Combine(root, spec.FolderName);
        PrepareFolder(spec, folder);
        // Test projects run in parallel processes: one fetches while the others wait, then find the files valid.
        using var folderLock = FolderLock.Acquire(Path.Combine(folder, ".lock"), LockTimeout, spec.Name, log);

        var wrong = spec.Files.Where(f => !IsValid(Path.Combine(folder, f.Name), f)).ToList();
        for (int attempt = 1; wrong.Count > 0 && attempt <= FetchAttempts; attempt++)
        {
            log($"{spec.Name}: fetching {string.Join(", ", wrong.Select(f => f.Name))} from {spec.Fetcher.Source} (attempt {attempt} of " +
                $"{FetchAttempts}; " +
                $"each outside command may take up to {ExternalCommand.Timeout.TotalSeconds:0} s, {ExternalCommand.TimeoutVariable}).");
            var staging = Path.Combine(folder, $".fetch-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                try
                {
                    spec.Fetcher.FetchInto(staging, wrong.Select(f => f.Name).ToList());
                }
                catch (DatasetException e)
                {
                    throw new DatasetException($"{spec.Name}: {e.Message} {spec.ManualHelp(folder)}", e);
                }
                foreach (var file in wrong)
                {
                    var fetched = Path.Combine(staging, file.Name);
                    if (File.Exists(fetched) && IsValid(fetched, file))
                        File.Move(fetched, Path.Combine(folder, file.Name), overwrite: true);
                }
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
            wrong = spec.Files.Where(f => !IsValid(Path.Combine(folder, f.Name), f)).ToList();
        }

        if (wrong.Count > 0)
        {
            var details = string.Join("; ", wrong.Select(f => Describe(Path.Combine(folder, f.Name), f)));
            throw new DatasetException(
                $"{spec.Name}: after {FetchAttempts} fetches from {spec.Fetcher.Source}, files are still wrong: {details}. " +
                $"{spec.ManualHelp(folder)}");
        }
        return folder;
    }

    /// <summary>The SHA-256 of a file as lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static bool IsValid(string path, DatasetFile file) =>
        File.Exists(path) && string.Equals(Sha256Of(path), file.Sha256, StringComparison.OrdinalIgnoreCase);

    private static string Describe(string path, DatasetFile file) =>
        File.Exists(path)
            ? $"{path} has SHA-256 {Sha256Of(path)}, expected {file.Sha256}"
            : $"{path} is missing (expected SHA-256 {file.Sha256})";

    private static void PrepareFolder(DatasetSpec spec, string folder)
    {
        try
        {
            RepoPaths.EnsureWritableFolder(folder, "data folder", RepoPaths.DataDirVariable);
        }
        catch (FolderNotWritableException e)
        {
            throw new DatasetException($"{spec.Name}: {e.Message} {spec.ManualHelp(folder)}", e);
        }
    }
}

/// <summary>An exclusive lock on a file, held across processes for as long as the handle is open.</summary>
internal static class FolderLock
{
    public static FileStream Acquire(string path, TimeSpan timeout, string what, Action<string> log)
    {
        var deadline = DateTime.UtcNow + timeout;
        bool told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told) log($"{what}: another process is fetching or checking it; waiting for {path}.");
                told = true;
                Thread.Sleep(500);
            }
            catch (IOException e)
            {
                throw new DatasetException($"{what}: {path} stayed locked by another process for {timeout.TotalMinutes} minutes. If no other run " +
                    $"is active, delete it.", e);
            }
        }
    }
}
