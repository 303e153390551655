using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Training;

/// <summary>
/// "Converged" when the best loss of the last <paramref name="Window"/> epochs is less than
/// <paramref name="RelativeImprovement"/> below the best loss before them.
/// </summary>
public sealed record ConvergenceCriterion(int Window, double RelativeImprovement)
{
    public override string ToString() =>
        $"the best loss of the last {Window} epochs is less than {RelativeImprovement:P1} below the best before them";

    /// <summary>Whether the losses from index <paramref name="start"/> on meet the criterion.</summary>
    public bool IsMet(IReadOnlyList<double> losses, int start = 0)
    {
        ArgumentNullException.ThrowIfNull(losses);
        if (losses.Count - start < 2 * Window) return false;
        double before = double.PositiveInfinity, recent = double.PositiveInfinity;
        int split = losses.Count - Window;
        for (int i = start; i < losses.Count; i++)
        {
            if (i < split) before = Math.Min(before, losses[i]);
            else recent = Math.Min(recent, losses[i]);
        }
        return recent >= (1 - RelativeImprovement) * before;
    }
}

/// <summary>
/// Settings of a full-batch regression run: Adam on the mean squared error, starting at
/// <paramref name="LearningRate"/>; each time the criterion holds the rate is multiplied by
/// <paramref name="DropFactor"/>, up to <paramref name="Drops"/> times; the run has converged when the criterion
/// holds at the last rate. <paramref name="MaxEpochs"/> bounds the whole run.
/// </summary>
public sealed record RegressionTraining(int MaxEpochs, double LearningRate, ConvergenceCriterion Criterion, int Drops = 2, double DropFactor = 0.1)
{
    /// <summary>Names the run in error messages, e.g. the experiment's section id, the function and the model.</summary>
    public string? Name { get; init; }
}

/// <summary>The per-epoch training MSE, the epochs at which the learning rate dropped, and whether the run converged.</summary>
public sealed record RegressionHistory(IReadOnlyList<double> Losses, IReadOnlyList<int> DropEpochs, bool Converged)
{
    public int Epochs => Losses.Count;
    public double FinalLoss => Losses[^1];
    public double BestLoss => Losses.Min();
}

/// <summary>
/// Full-batch Adam on the MSE until convergence (see <see cref="RegressionTraining"/>) or the epoch budget. An epoch
/// whose loss or gradient is not finite stops the run with a <see cref="TrainingDivergedException"/> before the
/// optimizer uses it.
/// </summary>
public static class RegressionTrainer
{
    public static RegressionHistory Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, RegressionTraining settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        // FlatAdam: optim.Adam's arithmetic bit for bit (FlatAdamTests), in fewer tensor calls (docs/performance.md).
        using var optimizer = new FlatAdam(model.parameters(), settings.LearningRate);
        var guard = new DivergenceGuard(settings.Name, model.parameters().ToList());
        var losses = new List<double>(settings.MaxEpochs);
        var drops = new List<int>();
        // The criterion scans its window, so it is checked every tenth of a window, not every epoch.
        int checkEvery = Math.Max(1, settings.Criterion.Window / 10);
        int stageStart = 0;
        double rate = settings.LearningRate;
        model.train();
        for (int epoch = 1; epoch <= settings.MaxEpochs; epoch++)
        {
            using (NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var loss = nn.functional.mse_loss(model.call(x), y);
                loss.backward();
                losses.Add(guard.Check(loss, epoch, epoch, rate));
                optimizer.Step();
            }
            if (epoch % checkEvery != 0) continue;
            TrainingProgress.Report(() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{settings.Name ?? "regression"}: epoch {epoch} of at most {settings.MaxEpochs}, MSE {losses[^1]:0.####E+0}, learning rate {rate}"));
            if (!settings.Criterion.IsMet(losses, stageStart)) continue;
            if (drops.Count == settings.Drops) return new RegressionHistory(losses, drops, Converged: true);
            rate *= settings.DropFactor;
            optimizer.LearningRate = rate;
            drops.Add(epoch);
            stageStart = epoch;
        }
        return new RegressionHistory(losses, drops, Converged: false);
    }

    /// <summary>The model's predictions for <paramref name="x"/>, without gradients.</summary>
    public static float[] Predict(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.eval();
        using var noGrad = no_grad();
        using var output = model.call(x);
        return output.data<float>().ToArray();
    }
}
