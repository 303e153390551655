using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HW1.Research.Artifacts;

/// <summary>A changed value between two snapshots: where it is, the committed and the new value, and the relative change when both are
/// numbers.</summary>
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

    /// <summary>
    /// The one text form of a snapshot: UTF-8 without a byte-order mark, LF line ends, two-space indents, every number in plain
    /// decimal notation (0.000022, never 2.2E-05; 45600, never 45600.0), strings with only the characters JSON requires escaped.
    /// </summary>
    public static string Format(JsonNode? node)
    {
        var text = new System.Text.StringBuilder();
        Write(node, text, 0);
        return text.Append('\n').ToString();
    }

    /// <summary>Writes <paramref name="node"/> to <paramref name="path"/> in the one snapshot form, atomically.</summary>
    public static void Write(string path, JsonNode? node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllBytes(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Format(node)));
    }

    /// <summary>
    /// Rewrites every committed snapshot under <paramref name="root"/> that is not in the one snapshot form (a byte-order mark,
    /// exponent notation, CRLF): the same values, checked before writing; returns how many were rewritten.
    /// </summary>
    public static int Normalize(string root, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        int rewritten = 0;
        var files = Directory.Exists(root)
            ? Directory.GetFiles(root, "*.snap", SearchOption.AllDirectories).Where(p => Path.GetFileName(Path.GetDirectoryName(p)) != "__mismatch__")
            .Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        foreach (var file in files)
        {
            var node = Read(file);
            var canonical = Format(node);
            if (File.ReadAllBytes(file).AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(canonical))) continue;
            if (Differences(node, JsonNode.Parse(canonical))
                .Count != 0) throw new InvalidDataException($"{file}: its values would change when rewritten; nothing written.");
            Write(file, node);
            log($"{Path.GetRelativePath(root, file)}: rewritten in the snapshot form, values unchanged");
            rewritten++;
        }
        return rewritten;
    }

    /// <summary>A number in plain decimal notation, round-trip exact for the values snapshots hold (rounded to a few significant digits).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value,
            "A snapshot holds finite numbers only (JSON has no NaN or infinity).");
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15) return value.ToString("0", CultureInfo.InvariantCulture);
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOfAny(['E', 'e']);
        if (e < 0) return shortest;
        // Expand d.dddE±x into plain digits.
        var mantissa = shortest[..e];
        int exponent = int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        bool negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        int point = mantissa.TrimStart('-').IndexOf('.') is var dot && dot >= 0 ? dot : mantissa.TrimStart('-').Length;
        point += exponent;
        string plain = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return (negative ? "-" : "") + plain;
    }

    private static void Write(JsonNode? node, System.Text.StringBuilder text, int depth)
    {
        string indent = new(' ', 2 * (depth + 1)), closing = new(' ', 2 * depth);
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                if (o.Count == 0) { text.Append("{}"); break; }
                text.Append("{\n");
                int i = 0;
                foreach (var (name, value) in o)
                {
                    text.Append(indent).Append(JsonSerializer.Serialize(name, Escaping)).Append(": ");
                    Write(value, text, depth + 1);
                    text.Append(++i < o.Count ? ",\n" : "\n");
                }
                text.Append(closing).Append('}');
                break;
            case JsonArray a:
                if (a.Count == 0) { text.Append("[]"); break; }
                text.Append("[\n");
                for (int k = 0; k < a.Count; k++)
                {
                    text.Append(indent);
                    Write(a[k], text, depth + 1);
                    text.Append(k + 1 < a.Count ? ",\n" : "\n");
                }
                text.Append(closing).Append(']');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                text.Append(Number(v.GetValue<double>()));
                break;
            default:
                text.Append(node.ToJsonString(Escaping));
                break;
        }
    }

    private static readonly JsonSerializerOptions Escaping =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
    /// <param name="only">Comma-separated texts: only mismatches whose file name contains one of them (ignoring case) are taken, e.g.
    /// <c>MinimalRatio</c>, <c>_full</c> or <c>.claims</c>; null or empty takes every one.</param>
    /// <param name="dryRun">List what would change and move nothing.</param>
    public static int Accept(string root, Action<string> log, string? only = null, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        var texts = (only ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = Mismatches(root);
        var mismatches = all.Where(m =>
            texts.Length == 0 || texts.Any(t => Path.GetFileName(m.Mismatch).Contains(t, StringComparison.OrdinalIgnoreCase))).ToList();
        var changes = mismatches.Select(m => (m, Changes: Differences(File.Exists(m.Committed) ? Read(m.Committed) : null, Read(m.Mismatch))))
            .ToList();
        foreach (var (m, list) in changes)
        {
            log($"{Path.GetRelativePath(root, m.Committed)}: " +
                $"{(File.Exists(m.Committed) ? $"{list.Count} value(s) changed" : "new snapshot")}{(dryRun ? " (not accepted: dry run)" : "")}");
            foreach (var change in list) log($"  {change}");
            if (dryRun) continue;
            File.Move(m.Mismatch, m.Committed, overwrite: true);
            var folder = Path.GetDirectoryName(m.Mismatch)!;
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        if (all.Count > mismatches.Count)
            log($"{all.Count - mismatches.Count} other mismatch(es) left for review (not matched by --only {only}).");
        log(mismatches.Count == 0
            ? $"No snapshot mismatches{(texts.Length > 0 ? $" matching {only}" : "")} under {root}: nothing to accept."
            : dryRun ? $"{mismatches.Count} snapshot(s) would change; run again without --dry-run to accept them."
            : $"Accepted {mismatches.Count} snapshot(s). Review the diff (git diff -- '*.snap') and say in the commit why the numbers moved.");
        return dryRun ? 0 : mismatches.Count;
    }

    /// <summary>
    /// Committed snapshots under <paramref name="root"/> that nothing uses any more: an experiment's <c>Class_profile.snap</c> (or its
    /// <c>.claims.snap</c>) whose class no source file beside its <c>__snapshots__</c> folder declares, or with a profile other than quick
    /// and full, and a test's <c>Class.Method_profile.snap</c> whose class's file no longer names the method.
    /// </summary>
    public static IReadOnlyList<string> Orphans(string root)
    {
        if (!Directory.Exists(root)) return [];
        var orphans = new List<string>();
        foreach (var path in Directory.GetFiles(root, "*.snap", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(path)!;
            if (Path.GetFileName(folder) != "__snapshots__") continue;
            var name = Path.GetFileName(path);
            name = name.EndsWith(".claims.snap", StringComparison.Ordinal) ? name[..^".claims.snap".Length] : name[..^".snap".Length];
            var underscore = name.LastIndexOf('_');
            var profile = underscore < 0 ? "" : name[(underscore + 1)..];
            var owner = underscore < 0 ? name : name[..underscore];
            var dot = owner.IndexOf('.');
            var (type, method) = dot < 0 ? (owner, null) : (owner[..dot], owner[(dot + 1)..]);
            // The class is declared in a source file beside the __snapshots__ folder (its own, or a file that holds several experiments).
            var declares = Directory.GetFiles(Path.GetDirectoryName(folder)!, "*.cs").Select(File.ReadAllText)
                .Where(text => Regex.IsMatch(text, $@"\bclass\s+{Regex.Escape(type)}\b")).ToList();
            if (profile is not ("quick" or "full") || declares.Count == 0 ||
                (method != null && !declares.Any(text => text.Contains($" {method}(", StringComparison.Ordinal))))
                orphans.Add(path);
        }
        return orphans;
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
        if (old == null && now == null) return; // absent on both sides, or null on both (JSON null reads as no node)
        if (NumberOf(old) is { } p && NumberOf(now) is { } q && p.Equals(q)) return;
        if (old != null && now != null && JsonNode.DeepEquals(old, now)) return;
        double? relative = NumberOf(old) is { } o && NumberOf(now) is { } n && o != 0 ? (n - o) / Math.Abs(o) : null;
        result.Add(new SnapshotChange(where, Show(old), Show(now), relative));
    }

    private static double? NumberOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    private static string Show(JsonNode? node) => node == null ? "(absent)" : node.ToJsonString();
}
