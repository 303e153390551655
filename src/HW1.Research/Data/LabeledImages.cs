using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Data;

/// <summary>Images as float32 in [0, 1] with shape [N, 1, H, W], and their labels as int64 with shape [N].</summary>
public sealed class LabeledImages : IDisposable
{
    public LabeledImages(Tensor images, Tensor labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"{images.shape[0]} images but {labels.shape[0]} labels.");
        Images = images;
        Labels = labels;
        Classes = classes;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int Classes { get; }
    public long Count => Labels.shape[0];

    /// <summary>Builds the tensors from IDX arrays of images [N, H, W] and labels [N].</summary>
    public static LabeledImages FromIdx(IdxArray images, IdxArray labels, int classes, string what)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Shape.Count != 3 || labels.Shape.Count != 1 || images.Shape[0] != labels.Shape[0])
            throw new DatasetException($"{what}: images of shape [{string.Join(", ", images.Shape)}] do not pair with labels of shape " +
                $"[{string.Join(", ", labels.Shape)}].");
        int bad = Array.FindIndex(labels.Data, l => l >= classes);
        if (bad >= 0)
            throw new DatasetException($"{what}: label {labels.Data[bad]} at index {bad}, expected labels 0 to {classes - 1}.");
        using var scope = NewDisposeScope();
        var pixels = tensor(images.Data, new long[] { images.Shape[0], 1, images.Shape[1], images.Shape[2] }, ScalarType.Byte);
        using var levels = 255f.ToScalar();
        var x = pixels.to_type(ScalarType.Float32).div_(levels);
        var y = tensor(labels.Data, new long[] { labels.Shape[0] }, ScalarType.Byte).to_type(ScalarType.Int64);
        return new LabeledImages(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), classes);
    }

    /// <summary>The first <paramref name="count"/> examples (a view that shares storage), or all when count is larger.</summary>
    public LabeledImages Take(long count)
    {
        var n = Math.Min(count, Count);
        return new LabeledImages(Images.narrow(0, 0, n), Labels.narrow(0, 0, n), Classes);
    }

    /// <summary>
    /// The <paramref name="count"/> examples from index <paramref name="start"/> on (a view that shares storage): e.g. images held out from
    /// the first ones an experiment trains on. It is an error for the range to run past the end, so a held-out set is never silently short.
    /// </summary>
    public LabeledImages Slice(long start, long count)
    {
        if (start < 0 || count < 1 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"Examples {start} to {start + count - 1} do not lie within the {Count} examples of this set.");
        return new LabeledImages(Images.narrow(0, start, count), Labels.narrow(0, start, count), Classes);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>A training split and a test split.</summary>
public sealed class ImageDataset(string name, LabeledImages train, LabeledImages test) : IDisposable
{
    public string Name { get; } = name;
    public LabeledImages Train { get; } = train;
    public LabeledImages Test { get; } = test;

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
