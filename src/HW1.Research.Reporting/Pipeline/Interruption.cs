using System.Globalization;
using System.Runtime.InteropServices;

namespace HW1.Research.Pipeline;

/// <summary>
/// Cancel means stop. The report tool installs this (<see cref="Install"/>): on SIGTERM or SIGINT it lets the work in progress record
/// that it was interrupted (<see cref="OnInterrupt"/>), stops every process under the tool (<see cref="ProcessTree"/>: the
/// <c>dotnet test</c> of an experiment, its vstest and test host, a Chromium), and exits with 128 + the signal's number. Without it a
/// SIGTERM to the tool alone (as <c>docker stop</c> and some supervisors send it) would end the tool and leave its experiment training.
/// </summary>
public static class Interruption
{
    /// <summary>How long the processes under the tool get to end after SIGTERM before they are killed.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private static readonly Lock Gate = new();
    private static readonly List<Action<string>> Handlers = [];
    private static int _raised;
    private static string? _signal;

    /// <summary>The name of the signal that arrived first (SIGTERM or SIGINT), set before anything else the handler does; null before.</summary>
    public static string? Signal => Volatile.Read(ref _signal);

    /// <summary>
    /// True once a signal arrived: the handler ends the process (with 128 + the signal's number) when what runs under it has stopped,
    /// so the main thread must not end it first with another code (see <see cref="WaitIfStopping"/>).
    /// </summary>
    public static bool Raised => Volatile.Read(ref _raised) == 1;

    /// <summary>Blocks for good when a signal arrived, so that the handler's exit code is the process's; returns at once otherwise.</summary>
    public static void WaitIfStopping()
    {
        if (Raised) Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Runs <paramref name="record"/> (with the signal's name) when the process is interrupted, until the returned value is
    /// disposed.</summary>
    public static IDisposable OnInterrupt(Action<string> record)
    {
        lock (Gate) Handlers.Add(record);
        return new Registration(() => { lock (Gate) Handlers.Remove(record); });
    }

    /// <summary>Handles SIGTERM and SIGINT for this process until the returned value is disposed.</summary>
    public static IDisposable Install(TextWriter say)
    {
        ArgumentNullException.ThrowIfNull(say);
        var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, "SIGTERM", 143, say));
        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, "SIGINT", 130, say));
        return new Registration(() => { term.Dispose(); interrupt.Dispose(); });
    }

    private static void Stop(PosixSignalContext context, string signal, int exitCode, TextWriter say)
    {
        // This process ends itself below, once what runs under it has stopped and the interruption is recorded.
        context.Cancel = true;
        Interlocked.CompareExchange(ref _signal, signal, null);
        if (Interlocked.Exchange(ref _raised, 1) == 1) return;
        var tree = ProcessTree.Descendants(Environment.ProcessId);
        say.WriteLine($"{signal}: interrupted; stopping {tree.Count} process(es) under this one and recording the run as interrupted.");
        Action<string>[] handlers;
        lock (Gate) handlers = [.. Handlers];
        foreach (var record in handlers)
        {
            try
            {
                record(signal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                say.WriteLine($"{signal}: the interruption could not be recorded: {e.Message}");
            }
        }
        var left = ProcessTree.Stop(tree, Grace);
        if (left.Count > 0) say.WriteLine($"{signal}: still running after SIGKILL: {string.Join(", ", left)}");
        say.Flush();
        Environment.Exit(exitCode);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

/// <summary>The processes under a process, read from Linux's /proc, and a way to stop them all.</summary>
public static class ProcessTree
{
    /// <summary>A process: its id and its start time in clock ticks after boot (so that a reused id is not taken for it).</summary>
    public readonly record struct Entry(int Pid, ulong Started)
    {
        public override string ToString() => Pid.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Every process under <paramref name="pid"/> (children, their children, …), parents before children; empty without /proc.</summary>
    public static IReadOnlyList<Entry> Descendants(int pid)
    {
        var all = Snapshot();
        var children = all.ToLookup(p => p.Parent);
        var result = new List<Entry>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            foreach (var child in children[queue.Dequeue()])
            {
                result.Add(new Entry(child.Pid, child.Started));
                queue.Enqueue(child.Pid);
            }
        }
        return result;
    }

    /// <summary>Sends SIGTERM to one process, as <c>kill</c>, <c>docker stop</c> or a supervisor would; false when it is not there.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Sends SIGINT to one process, as <c>kill -INT</c> does (Ctrl-C sends it to the whole process group); false when it is not
    /// there.</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    /// <summary>Sends SIGINT to every process of the group <paramref name="group"/>, as Ctrl-C in a terminal does; false when there is
    /// none.</summary>
    public static bool InterruptGroup(int group) => Kill(-group, SigInt) == 0;

    /// <summary>Whether the process is still there (the same one: same id and start time, and not a zombie).</summary>
    public static bool IsAlive(Entry process) => Read(process.Pid) is { } now && now.Started == process.Started && now.State != 'Z';

    /// <summary>
    /// Sends SIGTERM to every process of <paramref name="processes"/>, waits up to <paramref name="grace"/> for them to end, then sends
    /// SIGKILL to those still there; returns the ones that are still alive after that (none, normally).
    /// </summary>
    public static IReadOnlyList<Entry> Stop(IReadOnlyList<Entry> processes, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(processes);
        foreach (var p in processes.Where(IsAlive)) _ = Kill(p.Pid, SigTerm);
        var until = DateTime.UtcNow + grace;
        while (processes.Any(IsAlive) && DateTime.UtcNow < until) Thread.Sleep(50);
        foreach (var p in processes.Where(IsAlive)) _ = Kill(p.Pid, SigKill);
        var killed = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (processes.Any(IsAlive) && DateTime.UtcNow < killed) Thread.Sleep(50);
        return processes.Where(IsAlive).ToList();
    }

    private const int SigTerm = 15;
    private const int SigInt = 2;
    private const int SigKill = 9;

    private readonly record struct Stat(int Pid, int Parent, char State, ulong Started);

    private static List<Stat> Snapshot()
    {
        if (!Directory.Exists("/proc")) return [];
        var result = new List<Stat>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
                result.Add(stat);
        }
        return result;
    }

    /// <summary>/proc/&lt;pid&gt;/stat: the fields after the command name (which may hold spaces and parentheses) are state, parent, …, start time
    /// (22nd).</summary>
    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? new Stat(pid, parent, fields[0][0], started)
            : null;
    }

    // Two ints in, an int out: nothing to marshal, so the classic import serves (LibraryImport would need unsafe code in this assembly).
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
