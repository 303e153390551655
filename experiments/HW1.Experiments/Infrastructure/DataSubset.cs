using HW1.Research.Data;

namespace HW1.Experiments.Infrastructure;

/// <summary>A data set with the subsets an experiment trains and tests on; disposing it frees all three.</summary>
public sealed class DataSubset : IDisposable
{
    private DataSubset(ImageDataset all, LabeledImages train, LabeledImages test)
    {
        All = all;
        Train = train;
        Test = test;
    }

    /// <summary>The whole data set (for further subsets, e.g. the images a Hessian is measured on).</summary>
    public ImageDataset All { get; }
    public LabeledImages Train { get; }
    public LabeledImages Test { get; }

    public static DataSubset Of(ImageDataset data, int train, int test)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DataSubset(data, data.Train.Take(train), data.Test.Take(test));
    }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
        All.Dispose();
    }
}
