namespace HW1.Research.Artifacts;

/// <summary>
/// Writes files so that a reader sees either the old content or the whole new content, never a part:
/// the bytes go to a temporary file in the same folder, are flushed to disk, and are renamed over the target.
/// A write that fails (no space left, permission lost mid-write) is one <see cref="ArtifactWriteException"/> naming the file
/// and the cause; the old file stays and the temporary is removed. Temporaries that a crashed process left behind (their
/// process no longer runs, written more than ten minutes ago) are removed by the next write into the same folder.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var buffer = bytes.ToArray();
        Write(path, stream => stream.Write(buffer));
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Streams content into a temporary file, then renames it to <paramref name="path"/>. The stream is a managed file stream:
    /// native writers (SkiaSharp's PDF and image encoders) must render into memory first, because an I/O error thrown through
    /// their native callbacks would abort the process instead of reaching this method.
    /// </summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, openTemporary: null);

    /// <summary>As <see cref="Write(string, Action{Stream})"/>; tests pass <paramref name="openTemporary"/> to make the temporary fail like a full
    /// disk.</summary>
    internal static void Write(string path, Action<Stream> write, Func<string, Stream>? openTemporary)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            RemoveStaleTemporaries(folder);
            using (var stream = openTemporary?.Invoke(temp) ?? new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactWriteException(
                $"{full} could not be written: {e.Message}{(IsDiskFull(e) ? " (the disk is full)" : "")}. " +
                (File.Exists(full) ? "The previous version of the file is unchanged." : "Nothing was written in its place.") +
                    " Free space or fix the folder's permissions (or point HW1_ARTIFACTS_DIR elsewhere) and run again.", e);
        }
        finally
        {
            try
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            catch (IOException)
            {
                // The next write into this folder removes it (its process will no longer run).
            }
        }
    }

    /// <summary>ENOSPC (28) or EDQUOT (122) on Linux, ERROR_HANDLE_DISK_FULL (0x27) or ERROR_DISK_FULL (0x70) on Windows.</summary>
    private static bool IsDiskFull(Exception e) =>
        (OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 0x27 or 0x70 : (e.HResult & 0xFFFF) is 28 or 122)
        || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase);

    /// <summary>A temporary this old is no write in progress, even by a process this one cannot see (another host or PID namespace).</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes <c>.NAME.PID.GUID.tmp</c> files in <paramref name="folder"/> whose process no longer runs and that are older than
    /// <see cref="StaleAfter"/> (so that a writer on another host sharing the folder, whose PID means nothing here, is left alone).
    /// </summary>
    internal static int RemoveStaleTemporaries(string folder)
    {
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            var parts = Path.GetFileName(file).Split('.');
            // ".", NAME (may contain dots), PID, GUID, "tmp": the PID is third from the end.
            if (parts.Length < 5 || !int.TryParse(parts[^3], out var pid) || parts[^2].Length != 32) continue;
            if (pid == Environment.ProcessId || ProcessRuns(pid)) continue;
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < StaleAfter) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException)
            {
                // Another process removed it first.
            }
        }
        return removed;
    }

    private static bool ProcessRuns(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>An artifact could not be written; the message names the file, the cause and what is left in place.</summary>
public sealed class ArtifactWriteException(string message, Exception inner) : IOException(message, inner);
