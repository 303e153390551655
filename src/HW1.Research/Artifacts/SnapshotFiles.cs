using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HW1.Research.Artifacts;

/// <summary>A changed value between two snapshots: where it is, the committed and the new value, and the relative change when both are numbers.</summary>
public sealed record SnapshotChange(string Path, string Old, string New, double? Relative)
{
    public override string ToString() =>
        $"{Path}: {Old} → {New}" + (Relative is { } r ? string.Create(CultureInfo.InvariantCulture, $" ({r:+0.0%;-0.0%})") : "");
}

/// <summary>A snapshot whose test produced other values: the committed file and the mismatch file the test wrote beside it.</summary>
public sealed record SnapshotMismatch(string Committed, string Mismatch);

/// <summary>
/// Committed experiment snapshots (<c>__snapshots__/*.snap</c>, JSON) and the mismatch files a failing test writes to
/// <c>__snapshots__/__mismatch__/</c>: what changed, value by value, and accepting a change by moving the mismatch over the snapshot.
/// </summary>
public static class SnapshotFiles
{
    /// <summary>Every value that differs between two snapshot documents, in document order.</summary>
    public static IReadOnlyList<SnapshotChange> Differences(JsonNode? committed, JsonNode? actual)
    {
        var result = new List<SnapshotChange>();
        Compare(committed, actual, "", result);
        return result;
    }

    /// <summary>The snapshot at <paramref name="path"/> as JSON; a file that is not valid JSON is an error naming it.</summary>
    public static JsonNode? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{path} is not valid JSON ({e.Message}). Restore it from git (git checkout -- \"{path}\"), or delete it and run its test " +
                "once without CI set to record it again, then review and commit the new file.", e);
        }
    }

    /// <summary>Every mismatch file under <paramref name="root"/> with the committed snapshot it belongs to, in path order.</summary>
    public static IReadOnlyList<SnapshotMismatch> Mismatches(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*.snap", SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "__mismatch__")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => new SnapshotMismatch(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(p)!)!, Path.GetFileName(p)), p))
                .ToList()
            : [];

    /// <summary>
    /// Moves every mismatch under <paramref name="root"/> over its committed snapshot (a new snapshot when none was committed),
    /// reports each changed value through <paramref name="log"/>, removes emptied mismatch folders, and returns how many were accepted.
    /// A mismatch file that is not valid JSON is an error naming it, and nothing is moved.
    /// </summary>
    public static int Accept(string root, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var mismatches = Mismatches(root);
        var changes = mismatches.Select(m => (m, Changes: Differences(File.Exists(m.Committed) ? Read(m.Committed) : null, Read(m.Mismatch)))).ToList();
        foreach (var (m, list) in changes)
        {
            log($"{Path.GetRelativePath(root, m.Committed)}: {(File.Exists(m.Committed) ? $"{list.Count} value(s) changed" : "new snapshot")}");
            foreach (var change in list) log($"  {change}");
            File.Move(m.Mismatch, m.Committed, overwrite: true);
            var folder = Path.GetDirectoryName(m.Mismatch)!;
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        log(mismatches.Count == 0
            ? $"No snapshot mismatches under {root}: nothing to accept."
            : $"Accepted {mismatches.Count} snapshot(s). Review the diff (git diff -- '*.snap') and say in the commit why the numbers moved.");
        return mismatches.Count;
    }

    private static void Compare(JsonNode? old, JsonNode? now, string path, List<SnapshotChange> result)
    {
        var where = path.Length == 0 ? "(root)" : path;
        if (old is JsonObject a && now is JsonObject b)
        {
            foreach (var name in a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
                Compare(a[name], b[name], path.Length == 0 ? name : $"{path}.{name}", result);
            return;
        }
        if (old is JsonArray x && now is JsonArray y)
        {
            if (x.Count != y.Count) result.Add(new SnapshotChange(where, $"{x.Count} items", $"{y.Count} items", null));
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++) Compare(x[i], y[i], $"{path}[{i}]", result);
            return;
        }
        if (old != null && now != null && JsonNode.DeepEquals(old, now)) return;
        double? relative = Number(old) is { } o && Number(now) is { } n && o != 0 ? (n - o) / Math.Abs(o) : null;
        result.Add(new SnapshotChange(where, Show(old), Show(now), relative));
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    private static string Show(JsonNode? node) => node == null ? "(absent)" : node.ToJsonString();
}
