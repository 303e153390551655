using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;

namespace HW1.Research.Training;

/// <summary>
/// Runs independent trainings several at a time, each on its own thread. Small models are overhead-bound, so two
/// single-threaded trainings side by side use two cores far better than one training with two intra-op threads.
/// </summary>
/// <remarks>
/// Results are exactly those of running the same calls one after another, provided that
/// <list type="bullet">
/// <item><c>prepare</c> does all of a run's draws from TorchSharp's global generator (seeding it with
/// <see cref="Reproducibility.Seed"/>, then building the model): preparations run one at a time under a lock, in
/// index order, so no other run can draw in between;</item>
/// <item><c>run</c> draws nothing from the global generator and uses one intra-op thread (seed with
/// <c>threads: 1</c>), so its arithmetic does not depend on what else runs;</item>
/// <item>tensors shared between runs are only read;</item>
/// <item>a result holds no tensor made by its run: each run has its own dispose scope, disposed when the run returns.</item>
/// </list>
/// Results come back in index order. The first exception of any run is rethrown after all threads have stopped.
/// </remarks>
public static class IndependentRuns
{
    public static IReadOnlyList<TResult> Run<TModel, TResult>(int count, int workers, Func<int, TModel> prepare, Func<int, TModel, TResult> run)
        where TModel : IDisposable
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var results = new TResult[count];
        var gate = new object();
        int next = 0;
        var errors = new ConcurrentQueue<ExceptionDispatchInfo>();

        void Work()
        {
            try
            {
                while (errors.IsEmpty)
                {
                    int index;
                    TModel model;
                    lock (gate)
                    {
                        if (next >= count || !errors.IsEmpty) return;
                        index = next++;
                        model = prepare(index);
                    }
                    // The run's own dispose scope holds every tensor it makes and does not move out, so no temporary of one run can be
                    // finalized, by a collection another run starts, while a native call still reads it; they are freed when the run ends.
                    using (model)
                    using (torch.NewDisposeScope())
                        results[index] = run(index, model);
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(ExceptionDispatchInfo.Capture(e));
            }
        }

        if (workers == 1 || count <= 1)
        {
            Work();
        }
        else
        {
            // Dedicated threads, not pool threads: each sets its own intra-op thread count when it seeds, and that
            // setting must not outlive the run on a thread that later serves other work.
            var threads = Enumerable.Range(0, Math.Min(workers, count))
                .Select(i => new Thread(Work) { Name = $"independent run {i + 1}", IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        if (errors.TryPeek(out var first)) first.Throw();
        return results;
    }
}
