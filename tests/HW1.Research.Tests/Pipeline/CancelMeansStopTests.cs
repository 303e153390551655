using System.Diagnostics;
using HW1.Research.Artifacts;
using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// Cancel means stop: a SIGTERM to the pipeline's top process alone (as <c>docker stop</c> and some supervisors send it) ends its whole
/// process tree within seconds and records the run as interrupted, whether the top process is <c>dotnet cake</c> or the report tool; so
/// does a SIGINT to the report tool alone, and Ctrl-C (SIGINT to the whole process group) under <c>dotnet cake</c>. A SIGINT to the
/// <c>dotnet cake</c> process alone never reaches the pipeline: the .NET SDK's launcher, which runs Cake as its child, forwards SIGTERM
/// and drops SIGINT, leaving it to the terminal's process group (docs/usage.md).
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

    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGINT")]
    public void A_signal_to_the_report_tool_alone_stops_its_experiment_and_records_the_run_as_interrupted(string signal)
    {
        using var tool = ReportTool.Start(["experiments", "--only", Only, "--force", "--configuration", ReportTool.Configuration, "--profile",
            Profile],
            new Dictionary<string, string?> { [RepoPaths.ArtifactsDirVariable] = _artifacts, [RepoPaths.DataDirVariable] = RepoPaths.DataDir });
        var sigint = signal == "SIGINT";
        StopWhileTraining(tool, "the report tool", signal, sigint ? ProcessTree.Interrupt : ProcessTree.Terminate, sigint ? 130 : 143);
    }

    [Fact]
    public void A_SIGTERM_to_dotnet_cake_alone_stops_its_whole_tree_and_records_the_run_as_interrupted()
    {
        using var cake = StartCake(inOwnGroup: false);
        StopWhileTraining(cake, "dotnet cake", "SIGTERM", ProcessTree.Terminate, 143);
    }

    [Fact]
    public void Ctrl_C_under_dotnet_cake_stops_its_whole_tree_and_records_the_run_as_interrupted()
    {
        // setsid makes dotnet cake (the same process: setsid execs it) the leader of its own group, so that the SIGINT a terminal would
        // send to its foreground group reaches the pipeline's processes and not this test host.
        using var cake = StartCake(inOwnGroup: true);
        StopWhileTraining(cake, "dotnet cake's process group", "SIGINT", ProcessTree.InterruptGroup, 130);
    }

    private Process StartCake(bool inOwnGroup)
    {
        var restore = ReportTool.RunProgram("dotnet", ["tool", "restore"], TimeSpan.FromMinutes(5), RepoPaths.Root);
        Assert.True(restore.Code == 0, restore.Output + restore.Error);
        // --exclusive: the Experiments task alone, on the build this test runs from (no restore, no build, no data step).
        var info = new ProcessStartInfo(inOwnGroup ? "setsid" : "dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        if (inOwnGroup) info.ArgumentList.Add("dotnet");
        foreach (var a in new[] { "cake", "--target=Experiments", "--exclusive", $"--profile={Profile}", $"--only={Only}", "--force",
            $"--configuration={ReportTool.Configuration}" })
            info.ArgumentList.Add(a);
        info.Environment[RepoPaths.ArtifactsDirVariable] = _artifacts;
        info.Environment[RepoPaths.DataDirVariable] = RepoPaths.DataDir;
        return Process.Start(info)!;
    }

    /// <summary>
    /// Waits until the experiment trains (it has logged progress), sends <paramref name="signal"/> to the top process (or its group), and
    /// checks the ending: every process gone, exit 128 + the signal's number, the run recorded as interrupted by that signal.
    /// </summary>
    private void StopWhileTraining(Process top, string what, string signal, Func<int, bool> send, int exitCode)
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

            Assert.True(send(top.Id), $"{what} was not there to receive {signal}");
            Assert.True(top.WaitForExit(Ended), $"{what} still runs {Ended.TotalSeconds} s after {signal}");
            var clockAfter = Stopwatch.StartNew();
            while (tree.Any(ProcessTree.IsAlive) && clockAfter.Elapsed < Ended) Thread.Sleep(100);
            Assert.True(!tree.Any(ProcessTree.IsAlive), $"still running after {signal} to {what}: " +
                string.Join("; ", tree.Where(ProcessTree.IsAlive).Select(p => $"{p.Pid} {ReadCommandLine(p.Pid)}")));
            top.WaitForExit();
            Assert.True(top.ExitCode == exitCode, $"{what} exited {top.ExitCode}, not {exitCode} (128 + {signal}'s number): {Output()}");

            var log = PipelineLog.Read(Profile, _artifacts);
            Assert.NotNull(log);
            Assert.StartsWith($"{signal} at ", log.Interrupted, StringComparison.Ordinal);
            var stopped = log.Experiments.Single(e => e.Name.Contains(Only, StringComparison.Ordinal));
            Assert.Equal(PipelineExperiment.Interrupted, stopped.Outcome);
            // The console says so too, and never calls the stopped experiment failed (its own line may or may not come before the tool
            // exits: the handler ends the process once the tree has stopped).
            var said = Output();
            Assert.Contains($"{signal}: the run is recorded as interrupted", said, StringComparison.Ordinal);
            Assert.Contains($"stopped: {Only}.Reproduces", said, StringComparison.Ordinal);
            Assert.DoesNotContain("FAILED", said, StringComparison.Ordinal);
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
