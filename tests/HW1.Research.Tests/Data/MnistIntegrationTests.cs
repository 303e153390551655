using HW1.Research.Data;

namespace HW1.Research.Tests.Data;

/// <summary>The real MNIST files: fetched into the data folder on first use, verified on every use.</summary>
public class MnistIntegrationTests
{
    [Fact]
    public void Real_mnist_has_the_documented_sizes_labels_and_pixel_range()
    {
        using var mnist = Mnist.Load();

        Assert.Equal(new long[] { 60000, 1, 28, 28 }, mnist.Train.Images.shape);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, mnist.Test.Images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, mnist.Train.Labels.dtype);
        // First labels as published for the original files (PLATFORM.md).
        Assert.Equal(new long[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, mnist.Train.Labels[..10].data<long>().ToArray());
        Assert.Equal(new long[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, mnist.Test.Labels[..10].data<long>().ToArray());
        // Pixels are bytes divided by 255: the full range [0, 1] occurs in both sets.
        foreach (var images in new[] { mnist.Train.Images, mnist.Test.Images })
        {
            Assert.Equal(0f, images.min().item<float>());
            Assert.Equal(1f, images.max().item<float>());
        }
        // Every class occurs in both sets; MNIST's rarest training class (5) has 5421 examples.
        Assert.Equal(5421, mnist.Train.Labels.eq(5).sum().item<long>());
        Assert.Equal(10, mnist.Test.Labels.unique().Item1.shape[0]);
    }
}
