using HW1.Research.Data;
using HW1.Research.Models;
using HW1.Research.Training;

namespace HW1.Research.Tests.Training;

public class RegressionTrainerTests
{
    [Fact]
    public void The_criterion_holds_on_a_plateau_and_not_while_the_loss_still_falls()
    {
        var criterion = new ConvergenceCriterion(Window: 10, RelativeImprovement: 0.05);
        var falling = Enumerable.Range(0, 40).Select(i => Math.Pow(0.9, i)).ToList(); // 10 epochs cut it by 65%
        var flat = Enumerable.Range(0, 40).Select(i => 1.0 + (0.001 * Math.Sin(i))).ToList();
        Assert.False(criterion.IsMet(falling));
        Assert.True(criterion.IsMet(flat));
        Assert.False(criterion.IsMet(flat.Take(19).ToList())); // needs two windows of history
        Assert.False(criterion.IsMet([.. flat, .. falling.Select(v => v / 2)], start: 40)); // only the stage from 'start' counts
    }

    [Fact]
    public void A_small_network_fits_a_smooth_function_and_the_rate_drops_before_convergence()
    {
        using var random = Reproducibility.Seed(3, threads: 1);
        var (x, y) = TargetFunction.Sinc.Sample(64);
        using var model = Mlp.Create(1, [32], 1);
        var history = RegressionTrainer.Train(model, x, y, new RegressionTraining(6000, 1e-2, new ConvergenceCriterion(100, 0.05)));

        Assert.True(history.Converged);
        Assert.Equal(2, history.DropEpochs.Count);
        // A 32-unit ReLU layer can follow this curve closely: under 1% of its variance (R² above 0.99).
        Assert.True(history.FinalLoss < 0.01 * TargetFunction.Sinc.Variance(64), $"final MSE {history.FinalLoss}");
        Assert.Equal(64, RegressionTrainer.Predict(model, x).Length);
        x.Dispose();
        y.Dispose();
    }
}
