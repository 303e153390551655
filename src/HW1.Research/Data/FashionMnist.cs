namespace HW1.Research.Data;

/// <summary>
/// Fashion-MNIST: the four gzipped IDX files of Debian's package dataset-fashion-mnist
/// (/usr/share/datasets/fashion-mnist/), checked against their SHA-256 on every use.
/// </summary>
public static class FashionMnist
{
    public const string Package = "dataset-fashion-mnist";

    public static DatasetSpec Spec(IDatasetFetcher? fetcher = null) => new(
        "Fashion-MNIST",
        "fashion-mnist",
        [
            new("train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", [60000, 28, 28]),
            new("train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", [60000]),
            new("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", [10000, 28, 28]),
            new("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", [10000]),
        ],
        fetcher ?? new DebianPackageFetcher(Package, "usr/share/datasets/fashion-mnist"));

    /// <summary>Fetches (when needed), verifies and loads Fashion-MNIST.</summary>
    public static ImageDataset Load(string? dataRoot = null, Action<string>? log = null) =>
        IdxImageDatasets.Load(Spec(), dataRoot, log);
}
