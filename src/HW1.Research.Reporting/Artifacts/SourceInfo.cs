using System.Diagnostics;

namespace HW1.Research.Artifacts;

/// <summary>The source a run was built from: the git commit and whether the working tree had uncommitted changes.</summary>
public sealed record SourceInfo(string Commit, bool? Dirty)
{
    public override string ToString() => Dirty switch
    {
        true => $"{Commit} (working tree had uncommitted changes)",
        false => $"{Commit} (clean working tree)",
        null => Commit,
    };

    /// <summary>Asks git in <paramref name="repository"/>; without git or outside a repository the commit is "unknown".</summary>
    public static SourceInfo Current(string repository)
    {
        var commit = Git(repository, "rev-parse", "HEAD");
        if (commit == null) return new SourceInfo("unknown (not a git checkout, or git is not installed)", null);
        var status = Git(repository, "status", "--porcelain", "--untracked-files=no");
        return new SourceInfo(commit, status == null ? null : status.Length > 0);
    }

    private static string? Git(string repository, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git")
            {
                WorkingDirectory = repository,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false
            };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var process = Process.Start(info);
            if (process == null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
