using HW1.Research.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>Mean per-example sensitivities of a classifier to its input, in two definitions.</summary>
public sealed record SensitivityResult(double LossGradient, double SoftmaxJacobian);

/// <summary>
/// How strongly a classifier's output reacts to its input, averaged over examples:
/// the assignment's definition, the norm of ∂ℓ/∂x (the loss gradient with respect to the input), and
/// Novak et al. 2018's, the Frobenius norm of ∂softmax(f(x))/∂x (the Jacobian of the class probabilities).
/// </summary>
public static class Sensitivity
{
    /// <summary>
    /// Mean over <paramref name="data"/> of ‖∂ℓ(x, y)/∂x‖ (Frobenius over the input's entries) and of
    /// ‖∂p(x)/∂x‖_F, where p is the softmax output. Per-example gradients come from the summed loss, which is
    /// exact for models without cross-example coupling (no batch normalization in training mode): the model is
    /// put in eval mode.
    /// </summary>
    public static SensitivityResult Measure(nn.Module<Tensor, Tensor> model, LabeledImages data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        model.eval();
        double lossSum = 0, jacobianSum = 0;
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(batchSize, data.Count - start);
            var x = data.Images.narrow(0, start, n).detach().clone().requires_grad_();
            var y = data.Labels.narrow(0, start, n);
            var logits = model.call(x);

            var loss = nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum);
            var lossGradient = autograd.grad([loss], [x], retain_graph: true)[0];
            lossSum += lossGradient.reshape(n, -1).norm(1).to_type(ScalarType.Float64).sum().item<double>();

            var probabilities = nn.functional.softmax(logits, 1);
            var squares = zeros(n, dtype: ScalarType.Float64);
            long classes = probabilities.shape[1];
            for (long c = 0; c < classes; c++)
            {
                var row = autograd.grad([probabilities[.., c].sum()], [x], retain_graph: c < classes - 1)[0];
                squares = squares.add(row.reshape(n, -1).pow(TensorValues.Two).sum(1).to_type(ScalarType.Float64), TensorValues.One);
            }
            jacobianSum += squares.sqrt().sum().item<double>();
        }
        return new SensitivityResult(lossSum / data.Count, jacobianSum / data.Count);
    }
}
