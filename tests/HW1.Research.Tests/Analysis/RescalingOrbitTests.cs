using HW1.Research.Analysis;
using static TorchSharp.torch;

namespace HW1.Research.Tests.Analysis;

public sealed class RescalingOrbitTests
{
    /// <summary>A 6-5-3 ReLU network in float64 with cross-entropy on 40 random points: the parameters and the loss.</summary>
    private static (Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor X, Tensor Y) Network(int seed)
    {
        using var g = new Generator((ulong)seed);
        Tensor P(params long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: g).requires_grad_();
        return (P(5, 6), P(5), P(3, 5), P(3), randn([40, 6], dtype: ScalarType.Float64, generator: g), randint(0, 3, [40], generator: g));
    }

    private static Tensor Logits((Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor X, Tensor Y) n) =>
        nn.functional.relu(n.X.matmul(n.W1.t()) + n.B1).matmul(n.W2.t()) + n.B2;

    private static OrbitSearch Search((Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor X, Tensor Y) n, int maxEvaluations = 60)
    {
        using var g = new Generator(7);
        return RescalingOrbit.Flattest([n.W1, n.B1, n.W2, n.B2], () => nn.functional.cross_entropy(Logits(n), n.Y), n.W1, n.B1, n.W2, g,
            maxEvaluations, powerIterations: 500, powerTolerance: 1e-9);
    }

    [Fact]
    public void An_unbalanced_network_is_rescaled_to_a_much_flatter_point_of_the_same_function()
    {
        using var scope = NewDisposeScope();
        var n = Network(1);
        using (no_grad())
        {
            // Unit 0 carries ten times its share in its incoming weights: a sharp point of the orbit.
            n.W1[0].mul_(10);
            n.B1[0].mul_(10);
            n.W2[.., 0].div_(10);
        }
        var before = Logits(n).detach().clone();

        var search = Search(n);

        Assert.True(search.Ratio < 0.5, $"top eigenvalue {search.StartTopEigenvalue} → {search.TopEigenvalue}, {search}");
        Assert.True(search.SmallestFactor < 0.5, $"unit factors {search.SmallestFactor} … {search.LargestFactor}");
        Assert.True(search.Converged, $"{search.Evaluations} evaluations");
        Assert.True((Logits(n) - before).abs().max().item<double>() < 1e-9 * before.abs().max().item<double>());
    }

    [Fact]
    public void The_search_leaves_the_weights_where_its_reported_eigenvalue_is_measured_and_never_sharper()
    {
        using var scope = NewDisposeScope();
        var n = Network(2);
        var search = Search(n);
        using var g = new Generator(11);
        var again = Sharpness.TopHessianEigenvalue([n.W1, n.B1, n.W2, n.B2], () => nn.functional.cross_entropy(Logits(n), n.Y), g, 500, 1e-10);
        Assert.True(search.TopEigenvalue <= search.StartTopEigenvalue);
        Assert.Equal(search.TopEigenvalue, again.Value, 1e-6 * again.Value);
    }

    [Fact]
    public void A_search_out_of_evaluations_says_it_did_not_converge_and_tensors_outside_the_parameters_are_refused()
    {
        using var scope = NewDisposeScope();
        var n = Network(3);
        using (no_grad()) n.W1[1].mul_(20);
        Assert.False(Search(n, maxEvaluations: 2).Converged);
        using var g = new Generator(1);
        var stranger = zeros([5, 6], dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => RescalingOrbit.Flattest([n.W1, n.B1, n.W2, n.B2], () => Logits(n).sum(), stranger, n.B1, n.W2, g));
    }
}
