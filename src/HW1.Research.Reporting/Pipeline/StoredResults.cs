using System.Text.Json;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>
/// What an experiment's procedure returned, stored under its compute key (<see cref="RunKey.ComputeKey"/>): the key covers what can change
/// a number (the compute assembly, the procedure, the configuration, profile, seeds, kernels and threads) and nothing that only presents
/// it, so a run whose claims, sentences, snapshot or figures changed decides and describes again from this file without training.
/// </summary>
/// <param name="Seconds">How long the procedure took where it ran (seeds read from replicas counted at the time they took).</param>
/// <param name="Threads">The intra-op threads it trained with.</param>
public sealed record StoredResult(string Experiment, string Key, string Profile, long SeedOffset, JsonElement Result, double Seconds = 0,
    int Threads = 0);

/// <summary>Where stored results live, and reading them as a cache that heals: a file that cannot be used is set aside and the work done
/// again.</summary>
public static class StoredResults
{
    /// <summary>The variable the pipeline passes each experiment process its compute key in; unset under plain <c>dotnet test</c>, which stores
    /// nothing.</summary>
    public const string ComputeKeyVariable = "HW1_COMPUTE_KEY";

    /// <summary>The suffix a stored file that could not be used gets (it is kept for a look, never read again).</summary>
    public const string SetAsideSuffix = ".set-aside";

    /// <summary><c>artifacts/&lt;profile&gt;/results</c>.</summary>
    public static string FolderOf(string profile, string artifactsRoot) => Path.Combine(artifactsRoot, profile, "results");

    /// <summary>The file of <paramref name="experiment"/> (its class name) under <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, string experiment) => Path.Combine(folder, experiment + ".json");

    /// <summary>Stores <paramref name="result"/> at <paramref name="path"/> atomically.</summary>
    public static void Write(string path, StoredResult result) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, ArtifactJson.Options));

    /// <summary>
    /// The stored result at <paramref name="path"/> when it is <paramref name="experiment"/>'s under <paramref name="key"/> and reads back as a
    /// <typeparamref name="T"/>; otherwise null. A file that cannot be read, or belongs to another experiment or key, is set aside
    /// (<see cref="SetAside"/>) with a warning naming it, so the caller measures again and stores a good one in its place.
    /// </summary>
    public static (T Value, StoredResult Stored)? TryRead<T>(string path, string experiment, string key, Action<string> warn) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(warn);
        if (!File.Exists(path)) return null;
        string? problem;
        try
        {
            var stored = JsonSerializer.Deserialize<StoredResult>(File.ReadAllBytes(path), ArtifactJson.Options);
            problem = stored == null ? "it holds nothing"
                : stored.Experiment != experiment ? $"it holds {stored.Experiment ?? "no experiment"}'s result, not {experiment}'s"
                : stored.Key != key
                ? $"it was measured under compute key {Short(stored.Key)}, this run's is {Short(key)} (the procedure, its configuration or the " +
                    $"compute code changed)"
                : stored.Result.ValueKind == JsonValueKind.Undefined ? "it has no result" : null;
            if (problem == null)
                return (stored!.Result.Deserialize<T>(ArtifactJson.Results) ?? throw new JsonException("it reads back as null"), stored);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or IOException
            or UnauthorizedAccessException)
        {
            problem = $"it cannot be read as a stored {typeof(T).Name} ({e.Message})";
        }
        warn($"stored result {path} set aside: {problem}; measuring again");
        SetAside(path, warn);
        return null;
    }

    /// <summary>Moves <paramref name="path"/> to <paramref name="path"/><see cref="SetAsideSuffix"/> (replacing an older one), so it is never read
    /// again.</summary>
    public static void SetAside(string path, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        try
        {
            File.Move(path, path + SetAsideSuffix, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"could not set {path} aside ({e.Message}); it will be written over");
        }
    }

    /// <summary>
    /// The compute key a stored result file carries, or null when there is none or it cannot be read (the runner's look before it runs).
    /// The key is written before the result, so it is read from the file's start without parsing the rest (a full profile's result can
    /// be hundreds of megabytes); the whole file is checked when the result is read (<see cref="TryRead{T}"/>).
    /// </summary>
    public static string? KeyOf(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            if (KeyFromStart(path) is { } early) return early;
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("key", out var key) &&
                key.ValueKind == JsonValueKind.String
                ? key.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The top-level "key" string among the first 64 KiB of <paramref name="path"/>; null when it is not there (then the whole file is
    /// parsed).</summary>
    private static string? KeyFromStart(string path)
    {
        var buffer = new byte[64 * 1024];
        int length;
        using (var stream = File.OpenRead(path))
        {
            length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        }
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("key"))
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                // Skip a top-level property's value whole: a "key" inside the result is not the file's key.
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1 &&
                    !reader.TrySkip()) return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static string Short(string? key) => key == null ? "none" : key[..Math.Min(12, key.Length)];
}
