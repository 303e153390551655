using System.Diagnostics;

namespace HW1.Research.Training;

/// <summary>
/// Where the trainers say how a long training is getting on (epoch, step, the latest metrics), at most every
/// <see cref="Interval"/>: an experiment routes it to the pipeline's progress file, so the progress line never repeats a stale
/// result while a model trains for minutes. Unrouted, nothing is formatted or written.
/// </summary>
public static class TrainingProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static Action<string>? _sink;
    private static long _last = long.MinValue / 2;

    /// <summary>Sends progress lines to <paramref name="sink"/> until the returned handle is disposed.</summary>
    public static IDisposable Route(Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        Interlocked.Exchange(ref _last, long.MinValue / 2);
        return new Unroute();
    }

    /// <summary>Reports <paramref name="line"/> when a sink is routed and the last report is at least <see cref="Interval"/> old.</summary>
    public static void Report(Func<string> line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var sink = _sink;
        if (sink == null) return;
        long now = Stopwatch.GetTimestamp(), last = Interlocked.Read(ref _last);
        if (Stopwatch.GetElapsedTime(last, now) < Interval) return;
        // Two trainings may report at once; one of them wins the slot.
        if (Interlocked.CompareExchange(ref _last, now, last) != last) return;
        sink(line());
    }

    private sealed class Unroute : IDisposable
    {
        public void Dispose() => _sink = null;
    }
}
