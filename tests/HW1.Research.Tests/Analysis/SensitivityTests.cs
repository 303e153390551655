using HW1.Research.Analysis;
using HW1.Research.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public class SensitivityTests
{
    [Fact]
    public void Both_definitions_match_the_closed_form_of_a_linear_softmax_model()
    {
        // z = Wx + b: ∂ℓ/∂x = Wᵀ(p − e_y) and ∂p/∂x = (diag(p) − ppᵀ)W.
        using var scope = NewDisposeScope();
        using var generator = new Generator(17);
        var model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3));
        var x = rand(new long[] { 6, 1, 2, 2 }, generator: generator);
        var y = tensor(new long[] { 0, 1, 2, 2, 1, 0 });
        using var data = new LabeledImages(x, y, 3);

        var measured = Sensitivity.Measure(model, data, batchSize: 4); // two batches: 4 + 2

        var w = model.parameters().First().detach().to_type(ScalarType.Float64); // [3, 4]
        var flat = x.reshape(6, 4).to_type(ScalarType.Float64);
        var p = nn.functional.softmax(model.call(x).detach().to_type(ScalarType.Float64), 1);
        double lossNorms = 0, jacobianNorms = 0;
        for (int i = 0; i < 6; i++)
        {
            var pi = p[i];
            var residual = pi - nn.functional.one_hot(y[i], 3).to_type(ScalarType.Float64);
            lossNorms += w.t().matmul(residual).norm().item<double>();
            var jacobian = (diag(pi) - pi.outer(pi)).matmul(w);
            jacobianNorms += jacobian.norm().item<double>();
        }
        Assert.Equal(lossNorms / 6, measured.LossGradient, 5);
        Assert.Equal(jacobianNorms / 6, measured.SoftmaxJacobian, 5);
    }
}
