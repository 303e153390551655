using HW1.Research.Analysis;
using HW1.Research.Models;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public class LossLandscapeTests
{
    [Fact]
    public void Directions_are_filter_normalized_and_zero_on_biases()
    {
        using var model = Mlp.Create(6, [5], 3);
        var parameters = model.parameters().Cast<Tensor>().ToList();
        using var generator = new Generator(9);
        var direction = LossLandscape.FilterNormalizedDirection(parameters, generator);

        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].dim() < 2)
            {
                Assert.Equal(0, direction[i].abs().sum().item<float>());
                continue;
            }
            var expected = parameters[i].detach().norm(1).data<float>().ToArray();
            var actual = direction[i].norm(1).data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int r = 0; r < expected.Length; r++) Assert.Equal(expected[r], actual[r], 4);
        }
    }

    [Fact]
    public void The_surface_is_the_loss_along_the_directions_and_the_weights_come_back()
    {
        // One parameter θ = 1, loss (θ)²; directions d1 = 1 and d2 = 2: loss(a, b) = (1 + a + 2b)².
        var theta = tensor(new[] { 1.0f });
        var d1 = new[] { tensor(new[] { 1.0f }) };
        var d2 = new[] { tensor(new[] { 2.0f }) };
        var surface = LossLandscape.Surface([theta], () => theta.pow(2).sum().item<float>(), d1, d2, [-1.0, 0.0, 1.0], [0.0, 1.0]);
        Assert.Equal(new[] { 0.0, 1.0, 4.0 }, surface[0]);
        Assert.Equal(new[] { 4.0, 9.0, 16.0 }, surface[1]);
        Assert.Equal(1.0f, theta.item<float>());
    }
}
