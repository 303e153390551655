using System.Diagnostics;
using System.Reflection;

namespace HW1.Research.Tests;

/// <summary>The report tool built beside this test project (the solution builds both), started as a child process.</summary>
internal static class ReportTool
{
    /// <summary>The build configuration of this test project (the tool is taken from the same one).</summary>
    public static string Configuration =>
        typeof(ReportTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The path of HW1.Report.dll for this configuration.</summary>
    public static string Dll()
    {
        var bin = Path.Combine(RepoPaths.Root, "report", "HW1.Report", "bin", Configuration);
        var dll = Directory.Exists(bin) ? Directory.GetFiles(bin, "HW1.Report.dll", SearchOption.AllDirectories).FirstOrDefault() : null;
        return dll ?? throw new InvalidOperationException($"{bin}: HW1.Report.dll is not built; build the solution (dotnet build) first.");
    }

    /// <summary>Starts the tool with <paramref name="arguments"/> and extra environment variables (a null value removes one).</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll());
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value == null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Runs the tool to its end (at most <paramref name="limit"/>) and returns its exit code, standard output and standard error.</summary>
    public static (int Code, string Output, string Error) Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment,
        TimeSpan limit)
    {
        var list = arguments.ToList();
        using var process = Start(list, environment);
        return Finish(process, $"HW1.Report {string.Join(' ', list)}", limit);
    }

    /// <summary>Runs any program to its end (at most <paramref name="limit"/>): exit code, standard output, standard error.</summary>
    public static (int Code, string Output, string Error) RunProgram(string program, IEnumerable<string> arguments, TimeSpan limit,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory != null) info.WorkingDirectory = workingDirectory;
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        return Finish(process, program, limit);
    }

    private static (int Code, string Output, string Error) Finish(Process process, string what, TimeSpan limit)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{what}' ran for more than {limit.TotalMinutes} minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
