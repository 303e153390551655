using HW1.Research.Data;

namespace HW1.Research.Tests.Data;

/// <summary>The real Fashion-MNIST files from Debian's dataset-fashion-mnist, fetched on first use.</summary>
public class FashionMnistIntegrationTests
{
    [Fact]
    public void Real_fashion_mnist_has_the_documented_sizes_and_labels()
    {
        using var data = FashionMnist.Load();
        Assert.Equal(new long[] { 60000, 1, 28, 28 }, data.Train.Images.shape);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, data.Test.Images.shape);
        // First training labels of the published files (PLATFORM.md).
        Assert.Equal(new long[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, data.Train.Labels[..10].data<long>().ToArray());
        // Fashion-MNIST is balanced: 6000 training and 1000 test images per class.
        Assert.Equal(6000, data.Train.Labels.eq(3).sum().item<long>());
        Assert.Equal(1000, data.Test.Labels.eq(7).sum().item<long>());
    }
}
