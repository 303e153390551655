// The HW1.Research pipeline: data -> build -> tests -> experiments -> report. Every step is one call of the report tool
// (report/HW1.Report), where the logic lives; `dotnet cake --target=Help` lists the tasks and arguments.
// Run with: dotnet tool restore && dotnet cake [--target=<task>] [--profile=quick|full] [--only=<text>] [--force] [--parallel=N] [--shard=i/n]

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var profile = Argument("profile", "full");
var only = Argument("only", "");
var force = HasArgument("force");
var parallel = Argument("parallel", "");
var baseRun = Argument("base", "");
var first = Argument("first", "");
var second = Argument("second", "");
var shard = Argument("shard", "");
var shardPlan = Argument("shard-plan", "");
// Where this run can be seen: --run-url, or on GitHub Actions the workflow run's page; the report's job summary links there.
var runUrl = Argument("run-url", EnvironmentVariable("GITHUB_RUN_ID") is string runId && runId != ""
    ? $"{EnvironmentVariable("GITHUB_SERVER_URL")}/{EnvironmentVariable("GITHUB_REPOSITORY")}/actions/runs/{runId}" : "");

var solution = "./HW1.Research.sln";
var reportProject = "./report/HW1.Report/HW1.Report.csproj";
var pipelineStarted = DateTimeOffset.UtcNow;
var pipelineClock = Stopwatch.StartNew();
var failures = new List<string>();

string Only() => only != "" ? $" --only \"{only}\"" : "";

// Cancel means stop: a SIGTERM or SIGINT to this process alone (as `docker stop` and some supervisors send it) stops every process
// under it. SIGTERM to this process's children first (`dotnet run` passes it on to the report tool, which records the run as
// interrupted and stops its own children), then SIGKILL after 5 s for whatever under it is left.
var stopping = 0;
void StopTree(PosixSignalContext context, int exitCode)
{
    context.Cancel = true;
    if (Interlocked.Exchange(ref stopping, 1) == 1) return;
    var self = Environment.ProcessId;
    var tree = Descendants(self);
    Console.Error.WriteLine($"{context.Signal}: stopping the pipeline and the {tree.Count} process(es) under it.");
    var children = tree.Where(p => p.Parent == self).ToList();
    if (children.Count > 0)
    {
        var term = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "kill -TERM \"$@\" 2>/dev/null",
            "kill" }.Concat(children.Select(p => p.Pid.ToString()))) term.ArgumentList.Add(a);
        Process.Start(term)?.WaitForExit();
        var until = DateTime.UtcNow.AddSeconds(5);
        while (tree.Any(Alive) && DateTime.UtcNow < until) Thread.Sleep(100);
        foreach (var p in tree.Where(Alive))
        {
            try { Process.GetProcessById(p.Pid).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }
    Environment.Exit(exitCode);
}
// Processes under a process from Linux's /proc: id, parent and start time (so that a reused id is not taken for one of them).
List<(int Pid, int Parent, string Started)> Descendants(int root)
{
    var stats = System.IO.Directory.Exists("/proc")
        ? System.IO.Directory.GetDirectories("/proc").Select(d => System.IO.Path.GetFileName(d)).Where(n => n.All(char.IsDigit))
        .Select(n => Stat(int.Parse(n))).Where(s => s != null).ToList()
        : new List<string[]>();
    var result = new List<(int Pid, int Parent, string Started)>();
    var queue = new Queue<int>(new[] { root });
    while (queue.Count > 0)
    {
        var parent = queue.Dequeue();
        foreach (var s in stats.Where(s =>
            s[2] == parent.ToString())) { result.Add((int.Parse(s[0]), parent, s[20])); queue.Enqueue(int.Parse(s[0])); }
    }
    return result;
}
// The pid, then the fields after the command name (which may hold spaces): state, parent, …; the start time is the 22nd field.
string[] Stat(int pid)
{
    try
    {
        var text = System.IO.File.ReadAllText($"/proc/{pid}/stat");
        return new[] { pid.ToString() }.Concat(text.Substring(text.LastIndexOf(')') + 2).Split(' ')).ToArray();
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
}
bool Alive((int Pid, int Parent, string Started) p) => Stat(p.Pid) is { } s && s[20] == p.Started && s[1] != "Z";
var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => StopTree(c, 143));
var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => StopTree(c, 130));

Setup(ctx =>
    Information($"HW1 pipeline: target {target}, profile {profile}, configuration " +
        $"{configuration}{(only != "" ? $", only '{only}'" : "")}{(force ? ", forced" : "")}"));
TaskSetup(ctx =>
{
    // Once stopping (a signal, see StopTree), no task starts anything new; the handler ends the process.
    if (Volatile.Read(ref stopping) == 1) Thread.Sleep(Timeout.Infinite);
    Information($"==> {ctx.Task.Name} (profile {profile}; pipeline elapsed {pipelineClock.Elapsed:m\\:ss})");
});

// Runs the report tool (built by Build) for the chosen profile; a non-zero exit is recorded, not thrown, when a failure note is given.
void Tool(string arguments, string failureNote = null)
{
    var settings = new DotNetRunSettings { Configuration = configuration, NoBuild = true, NoRestore = true };
    try
    {
        DotNetRun(reportProject, new ProcessArgumentBuilder().Append($"{arguments} --profile {profile}"), settings);
    }
    catch (Exception e) when (failureNote != null)
    {
        if (Volatile.Read(ref stopping) == 1) Thread.Sleep(Timeout.Infinite);
        failures.Add($"{failureNote} ({e.Message})");
        Error($"{failureNote}; the pipeline goes on and fails at the end.");
    }
}

Task("Restore").Description("Restores NuGet packages.").Does(() => DotNetRestore(solution));

Task("Build")
    .Description("Builds the solution (and applies the TorchSharp host fix to its outputs where needed).")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Clean")
    .Description("Removes build outputs, the profile's artifacts and its report (never the data cache).")
    .IsDependentOn("Build")
    .Does(() =>
{
    Tool("clean");
    DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
});

Task("Format")
    .Description("Checks that every file's layout follows .editorconfig (dotnet format whitespace --verify-no-changes; code style and analyzers " +
        "are " +
        "errors in the build itself).")
    .Does(() =>
{
    if (StartProcess("dotnet", "format whitespace --folder --verify-no-changes") != 0)
        throw new Exception("Some files do not follow .editorconfig; run: dotnet format whitespace --folder");
});

Task("Data")
    .Description("Fetches and verifies every data set (MNIST, Fashion-MNIST) into the data folder.")
    .IsDependentOn("Build")
    .Does(() => Tool("data"));

Task("Test")
    .Description("Runs every test in the quick profile; skipped when the same build, snapshots and kernel mode passed before, unless --force.")
    .IsDependentOn("Data")
    .Does(() => Tool("tests --configuration " + configuration + (force ? " --force" : ""), "a test failed"));

Task("Experiments")
    .Description("Runs every experiment (or those matching --only) in the chosen profile, each in its own process, --parallel=N at a time (a " +
        "replicated one as N seed shares and a completion), reusing stored results of the same build unless --force.")
    .IsDependentOn("Data")
    .Does(() =>
    Tool($"experiments --configuration {configuration} --started {pipelineStarted:O}" + Only() + (force ? " --force" : "") +
    (parallel != "" ? $" --parallel {parallel}" : "") + (shard != "" ? $" --shard {shard}" : "") +
    (shardPlan != "" ? $" --shard-plan \"{shardPlan}\"" : ""),
        "an experiment failed or could not run"));

Task("Report")
    .Description("Renders the PDF, the HTML page, the Markdown summary and the figures from the stored sections, reads the PDF back to check it, " +
        "and opens the HTML page in headless Chromium (when installed).")
    .IsDependentOn("Build")
    .Does(() =>
{
    Tool("render" + (runUrl != "" ? $" --run-url \"{runUrl}\"" : ""), "the report has sections that are not reproduced or missing");
    Tool("check", "the rendered PDF failed its check");
    Tool("html-check --if-available", "the HTML report failed its browser check");
});

Task("Pictures")
    .Description("Regenerates the README's pictures from the current report of the profile (render it first): a page of the PDF (--page=N, default " +
        "12) as docs/report-page.png and the HTML page's first screen in headless Chromium as docs/report-html.png.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var page = Argument("page", 12);
    Tool($"render --page-png {page} \"{MakeAbsolute(File("docs/report-page.png"))}\"", "the report could not be rendered");
    Tool($"html-check --screenshot \"{MakeAbsolute(File("docs/report-html.png"))}\"", "the HTML page could not be opened in Chromium");
});

Task("Determinism")
    .Description("Same seeds give the same bits, shifted seeds change them: compares two canonical runs (--first/--second artifacts folders, or " +
        "fresh runs) and a fresh run with every seed shifted.")
    .IsDependentOn("Data")
    .Does(() =>
    Tool($"determinism --configuration {configuration}" + Only() + (first != "" ? $" --first \"{first}\"" : "") +
    (second != "" ? $" --second \"{second}\"" : "") + (target == "CI" && second == "" ? " --second-from-pipeline" : ""),
        "the determinism check failed"));

Task("AcceptSnapshots")
    .Description("Moves every snapshot mismatch that failing tests left in __snapshots__/__mismatch__/ over its committed snapshot (only those " +
        "whose file name contains a --only text; --dry-run lists them and moves nothing), printing each changed value (old -> new, relative " +
    "change), " +
        "and names committed snapshots nothing uses any more. Review the diff and commit it with the reason.")
    .IsDependentOn("Build")
    .Does(() => Tool("accept-snapshots" + Only() + (HasArgument("dry-run") ? " --dry-run" : "")));

Task("Diff")
    .Description("Compares this checkout's stored sections with a base run's (--base=<artifacts folder> or --base=<git ref>, run beside this clone " +
        "first): every moved metric, table cell and figure, drawn base under head, and diff.md for a pull-request comment, in " +
    "artifacts/<profile>/diff.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (baseRun == "") throw new Exception("--target=Diff needs --base=<artifacts folder of the base run> or --base=<git ref>, e.g. " +
        "--base=origin/main.");
    Tool($"diff --base \"{baseRun}\"" + Only(), "the diff could not be made");
});

Task("Help")
    .Description("Lists the tasks and the arguments of this pipeline.")
    .Does(() =>
{
    Information("dotnet cake [--target=<task>] [--profile=quick|full] [--only=<text>] [--force] [--parallel=N] [--configuration=Release|Debug]");
    Information("  --profile        quick (minutes) or full (the assignment's settings, the default); reports go to artifacts/report/ (full) or " +
        "artifacts/quick/report/");
    Information("  --only           run only the experiments whose test name contains the text (ignoring case; several texts: comma-separated)");
    Information("  --force          re-run tests and experiments even when stored results of the same build match");
    Information("  --parallel       experiment processes at once (default: cores / 2, each keeps its 2 threads and its seeds; a replicated " +
        "experiment");
    Information("                   runs as N seed shares at once and a completion from their replicas, the others whole, longest first;");
    Information("                   with HW1_THREADS=1 in the environment every experiment runs on 1 thread, cores / 1 at a time, not compared " +
        "with " +
        "the snapshots)");
    Information("  --shard          i/n: run only shard i of n (with --target=Experiments): every n-th whole experiment and the n-th share of each " +
        "replicated one's seeds; merge the shards (and complete the replicated experiments) with the report tool's merge command");
    Information("  --shard-plan     with --shard: a plan by measured time (the report tool's shard-plan) decides which shard runs each " +
        "experiment and seed it names");
    Information("  --configuration  build configuration (default Release)");
    Information("  --base           with --target=Diff: the artifacts folder or git ref of the run to compare with");
    Information("  --first/--second with --target=Determinism or CI: artifacts folders of canonical runs to compare (fresh runs otherwise)");
    Information("  --dry-run        with --target=AcceptSnapshots: list what would move, move nothing");
    Information("  --page           with --target=Pictures: the PDF page shown in the README (default 12)");
    Information("  --run-url        the CI run's page, for job-summary.md's links (default on GitHub Actions: this workflow run)");
    Information("Environment: HW1_KERNELS=pinned|native, HW1_SEED_OFFSET, HW1_DATA_DIR, HW1_ARTIFACTS_DIR, HW1_NPM, HW1_COMMAND_TIMEOUT, " +
        "HW1_THREADS (see docs/usage.md)");
    Information("Report tool behind every task: dotnet run --project report/HW1.Report -- help; <command> --help lists a command's options (--name " +
        "value or --name=value).");
    Information("Tasks:");
    foreach (var task in Tasks.OrderBy(t => t.Name, StringComparer.Ordinal))
        Information($"  {task.Name,-16} {task.Description}");
});

Task("Default")
    .Description("Everything up to the report: tests, experiments, report.")
    .IsDependentOn("Test")
    .IsDependentOn("Experiments")
    .IsDependentOn("Report");

Task("Refresh")
    .Description("Experiments and Report without the quick tests: after an edit of a sentence, a claim, a figure or the report, every experiment " +
        "is " +
        "decided and described again from its stored result (no training) and the report rendered; an experiment whose procedure or configuration " +
        "changed trains.")
    .IsDependentOn("Experiments")
    .IsDependentOn("Report");

Task("CI")
    .Description("What CI proves after `dotnet test`: formatting, the experiments and the report (built and checked), and determinism against " +
        "--first (the tests' run) and the pipeline's own run, with one shifted-seed run.")
    .IsDependentOn("Format")
    .IsDependentOn("Experiments")
    .IsDependentOn("Report")
    .IsDependentOn("Determinism");

Teardown(ctx =>
{
    // Stopped by a signal: the handler ends the process with 128 + the signal's number once the tree is gone; a step that failed
    // because its process was stopped must not end it first with another code.
    if (Volatile.Read(ref stopping) == 1) Thread.Sleep(Timeout.Infinite);
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
    Information($"Pipeline wall time {pipelineClock.Elapsed:h\\:mm\\:ss}; peak memory of this build script {peak:0} MiB (each experiment's own " +
        $"peak is in the table above and in the report).");
    if (failures.Count > 0 || !ctx.Successful)
    {
        foreach (var f in failures) Error($"FAILED: {f}");
        if (failures.Count > 0) throw new Exception($"{failures.Count} step(s) failed: {string.Join("; ", failures)}");
    }
});

RunTarget(target);
