using System.ComponentModel;
using System.Diagnostics;

namespace HW1.Research.Data;

/// <summary>Runs an outside program (npm, apt-get, dpkg) with a time limit and clear errors when it is missing or hangs.</summary>
internal static class ExternalCommand
{
    /// <summary>
    /// Runs <paramref name="command"/> in <paramref name="workingDirectory"/> and returns its exit code and its
    /// standard error and output. A command that cannot start is a <see cref="DatasetException"/> that ends with
    /// <paramref name="whenMissing"/>; one that outlives <paramref name="timeout"/> is killed and reported.
    /// </summary>
    public static (int ExitCode, string Output) Run(string command, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, string whenMissing)
    {
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var line = $"{command} {string.Join(' ', arguments)}";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new DatasetException($"'{line}' could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new DatasetException($"The command '{command}' was not found or could not run ({e.Message}). {whenMissing}", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new DatasetException($"'{line}' did not finish within {timeout.TotalMinutes} minutes.");
            }
            return (process.ExitCode, $"{stderr.Result.Trim()} {stdout.Result.Trim()}".Trim());
        }
    }
}
