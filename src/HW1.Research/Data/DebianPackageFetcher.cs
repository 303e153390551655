
namespace HW1.Research.Data;

/// <summary>
/// Fetches files shipped in a Debian package: copies them from the installed package when it is installed,
/// else downloads the .deb with <c>apt-get download</c> (no root needed; as root, a missing package list is
/// refreshed once with <c>apt-get update</c>) and unpacks it with <c>dpkg -x</c>.
/// </summary>
public sealed class DebianPackageFetcher(string package, string folderInPackage) : IDatasetFetcher
{
    public string Source => $"Debian package {package} (/{folderInPackage.Trim('/')}/)";

    public void FetchInto(string folder, IReadOnlyList<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var installed = "/" + folderInPackage.Trim('/');
        if (fileNames.All(n => File.Exists(Path.Combine(installed, n))))
        {
            foreach (var name in fileNames) File.Copy(Path.Combine(installed, name), Path.Combine(folder, name), overwrite: true);
            return;
        }

        var work = Path.Combine(folder, ".deb");
        Directory.CreateDirectory(work);
        var download = Run("apt-get", work, "download", package);
        if (download.ExitCode != 0 && IsRoot())
        {
            // A fresh machine has no package lists yet; as root they can be fetched.
            Run("apt-get", work, "update", "-qq");
            download = Run("apt-get", work, "download", package);
        }
        if (download.ExitCode != 0)
            throw new DatasetException(
                $"'apt-get download {package}' failed with exit code {download.ExitCode}: {download.Output.Trim()} " +
                (IsRoot() ? "" : "Run 'apt-get update' as root once, then try again. "));
        var deb = Directory.GetFiles(work, "*.deb").SingleOrDefault()
            ?? throw new DatasetException($"'apt-get download {package}' left no .deb file in {work}.");
        var root = Path.Combine(work, "root");
        var unpack = Run("dpkg", work, "-x", deb, root);
        if (unpack.ExitCode != 0)
            throw new DatasetException($"'dpkg -x {deb}' failed with exit code {unpack.ExitCode}: {unpack.Output.Trim()}");
        foreach (var name in fileNames)
        {
            var source = Path.Combine(root, folderInPackage.Trim('/'), name);
            if (!File.Exists(source))
                throw new DatasetException($"The package {package} has no {installed}/{name}.");
            File.Move(source, Path.Combine(folder, name), overwrite: true);
        }
        Directory.Delete(work, recursive: true);
    }

    private static (int ExitCode, string Output) Run(string command, string workingDirectory, params string[] arguments) =>
        ExternalCommand.Run(command, arguments, workingDirectory, ExternalCommand.Timeout,
            "It is needed to fetch a Debian package; on a Debian or Ubuntu machine it is part of the base system.");

    // Environment.UserName is the effective user's name on Unix.
    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";
}
