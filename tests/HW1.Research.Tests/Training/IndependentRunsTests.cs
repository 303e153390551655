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
}
