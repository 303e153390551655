using System.Diagnostics;
using HW1.Research.Artifacts;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// Cancel means stop: a SIGTERM to the pipeline's top process alone (as <c>docker stop</c> and some supervisors send it) ends its whole
/// process tree within seconds and records the run as interrupted, whether the top process is <c>dotnet cake</c> or the report tool.
/// </summary>
public sealed class CancelMeansStopTests : IDisposable
{
    private const string Profile = "quick";

    /// <summary>An experiment that trains for about half a minute in the quick profile, long enough to be stopped in the middle.</summary>
    private const string Only = "MinimalRatioTests";

    /// <summary>
    /// How long the whole tree may take to end after the SIGTERM: the report tool gives its children 3 s before SIGKILL, build.cake
    /// gives its own 5 s; 15 s leaves room for a loaded CI machine and still tells "stopped" from "ran on" (the experiment trains ~30 s).
    /// </summary>
    private static readonly TimeSpan Ended = TimeSpan.FromSeconds(15);

    private readonly string _artifacts = Directory.CreateTempSubdirectory("hw1-cancel-").FullName;

    public void Dispose() => Directory.Delete(_artifacts, recursive: true);

    [Fact]
    public void The_process_tree_holds_every_process_under_one_and_Stop_ends_them_all()
    {
        var info = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "sleep 60 & sleep 60 & wait" }) info.ArgumentList.Add(a);
        using var shell = Process.Start(info)!;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ProcessTree.Entry> tree;
        while ((tree = ProcessTree.Descendants(shell.Id)).Count < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the shell started no two children within 10 s");
            Thread.Sleep(50);
        }
        var all = tree.Prepend(ProcessTree.Descendants(Environment.ProcessId).Single(p => p.Pid == shell.Id)).ToList();
        Assert.All(all, p => Assert.True(ProcessTree.IsAlive(p)));

        Assert.Empty(ProcessTree.Stop(all, TimeSpan.FromSeconds(3)));
        Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(5)), "the shell is still running");
        Assert.All(all, p => Assert.False(ProcessTree.IsAlive(p), $"process {p.Pid} is still running"));
    }

    [Fact]
    public void A_SIGTERM_to_the_report_tool_alone_stops_its_experiment_and_records_the_run_as_interrupted()
    {
        using var tool = ReportTool.Start(["experiments", "--only", Only, "--force", "--configuration", ReportTool.Configuration, "--profile",
            Profile],
            new Dictionary<string, string?> { [RepoPaths.ArtifactsDirVariable] = _artifacts, [RepoPaths.DataDirVariable] = RepoPaths.DataDir });
        StopWhileTraining(tool, "the report tool");
    }

    [Fact]
    public void A_SIGTERM_to_dotnet_cake_alone_stops_its_whole_tree_and_records_the_run_as_interrupted()
    {
        var restore = ReportTool.RunProgram("dotnet", ["tool", "restore"], TimeSpan.FromMinutes(5), RepoPaths.Root);
        Assert.True(restore.Code == 0, restore.Output + restore.Error);
        // --exclusive: the Experiments task alone, on the build this test runs from (no restore, no build, no data step).
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        foreach (var a in new[] { "cake", "--target=Experiments", "--exclusive", $"--profile={Profile}", $"--only={Only}", "--force",
            $"--configuration={ReportTool.Configuration}" })
            info.ArgumentList.Add(a);
        info.Environment[RepoPaths.ArtifactsDirVariable] = _artifacts;
        info.Environment[RepoPaths.DataDirVariable] = RepoPaths.DataDir;
        using var cake = Process.Start(info)!;
        StopWhileTraining(cake, "dotnet cake");
    }

    /// <summary>Waits until the experiment trains (it has logged progress), sends SIGTERM to the top process only, and checks the ending.</summary>
    private void StopWhileTraining(Process top, string what)
    {
        var stdout = top.StandardOutput.ReadToEndAsync();
        var stderr = top.StandardError.ReadToEndAsync();
        string Output() => top.HasExited ? stdout.Result + stderr.Result : "(still running)";
        try
        {
            var progress = Path.Combine(_artifacts, Profile, "progress");
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(progress) && Directory.GetFiles(progress, "*.log").Any(f => new FileInfo(f).Length > 0)))
            {
                Assert.False(top.HasExited, $"{what} ended before the experiment started training: {Output()}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"{Only} logged no progress within 5 minutes under {what}");
                Thread.Sleep(200);
            }
            var tree = ProcessTree.Descendants(top.Id);
            Assert.Contains(tree,
                p => File.Exists($"/proc/{p.Pid}/cmdline") && ReadCommandLine(p.Pid).Contains("testhost", StringComparison.Ordinal));

            Assert.True(ProcessTree.Terminate(top.Id), $"{what} was not there to receive SIGTERM");
            Assert.True(top.WaitForExit(Ended), $"{what} still runs {Ended.TotalSeconds} s after SIGTERM");
            var clockAfter = Stopwatch.StartNew();
            while (tree.Any(ProcessTree.IsAlive) && clockAfter.Elapsed < Ended) Thread.Sleep(100);
            Assert.True(!tree.Any(ProcessTree.IsAlive), $"still running after SIGTERM to {what}: " +
                string.Join("; ", tree.Where(ProcessTree.IsAlive).Select(p => $"{p.Pid} {ReadCommandLine(p.Pid)}")));
            top.WaitForExit();
            Assert.True(top.ExitCode == 143, $"{what} exited {top.ExitCode}, not 128 + 15: {Output()}");

            var log = PipelineLog.Read(Profile, _artifacts);
            Assert.NotNull(log);
            Assert.StartsWith("SIGTERM at ", log.Interrupted, StringComparison.Ordinal);
            var stopped = log.Experiments.Single(e => e.Name.Contains(Only, StringComparison.Ordinal));
            Assert.Equal(PipelineExperiment.Interrupted, stopped.Outcome);
        }
        finally
        {
            if (!top.HasExited) top.Kill(entireProcessTree: true);
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }
}
