using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;

namespace HW1.Research.Tests.Training;

public class IndependentRunsTests
{
    private static IReadOnlyList<double[]> Losses(int workers)
    {
        var (x, y) = TargetFunction.Sinc.Sample(50);
        try
        {
            return IndependentRuns.Run(6, workers,
                i =>
                {
                    using var random = Reproducibility.Seed(100 + i, threads: 1);
                    return Mlp.Create(1, [8, 8], 1);
                },
                (i, model) =>
                RegressionTrainer.Train(model, x, y, new RegressionTraining(300, 1e-2, new ConvergenceCriterion(50, 0.01))).Losses.ToArray());
        }
        finally
        {
            x.Dispose();
            y.Dispose();
        }
    }

    [Fact]
    public void Two_at_a_time_gives_the_numbers_of_one_after_another_in_index_order()
    {
        var sequential = Losses(workers: 1);
        var parallel = Losses(workers: 2);
        Assert.Equal(6, parallel.Count);
        for (int i = 0; i < sequential.Count; i++)
            Assert.Equal(sequential[i], parallel[i]); // exact: same seeds, same single-threaded arithmetic
        Assert.NotEqual(sequential[0], sequential[1]); // and the runs really differ from each other
    }

    private sealed class Tracked : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void An_exception_in_one_run_is_rethrown_and_every_prepared_model_is_disposed()
    {
        var made = new List<Tracked>();
        var error = Assert.Throws<InvalidOperationException>(() => IndependentRuns.Run(5, 2,
            i =>
            {
                var model = new Tracked();
                lock (made) made.Add(model);
                return model;
            },
            (i, _) => i == 2 ? throw new InvalidOperationException("run 2 failed") : i));
        Assert.Equal("run 2 failed", error.Message);
        Assert.NotEmpty(made);
        Assert.All(made, m => Assert.True(m.Disposed, "a prepared model was not disposed"));
    }

    [Fact]
    public void A_tensor_made_in_a_run_is_disposed_when_the_run_ends()
    {
        // Each run holds a dispose scope: its temporaries stay reachable (no finalizer can free one under a native call that another
        // run's collection interrupts) and are disposed together when it returns, on both paths (one worker and two).
        foreach (var workers in new[] { 1, 2 })
        {
            var made = IndependentRuns.Run(2, workers, _ => new Tracked(), (_, _) => TorchSharp.torch.ones(1));
            Assert.All(made, t => Assert.True(t.IsInvalid, "a tensor made in a run outlived it"));
        }
    }
}
