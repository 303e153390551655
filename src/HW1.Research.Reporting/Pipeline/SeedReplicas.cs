using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>
/// One seed's training of a replicated experiment, stored as a file so that the seeds of one experiment can be trained in several
/// places (the shards of a CI matrix or a job array) and the experiment completed from all of them in one process: its claims
/// need every seed. Each file carries the experiment, its compute key (<see cref="RunKey.ComputeKey"/>), the profile and seed offset, and the seed's
/// result as JSON; doubles round-trip exactly, and the experiment computes from the stored form even when it trained the seed itself, so a
/// merged run and a one-machine run compute from the same bits.
/// </summary>
/// <param name="Seconds">How long the seed took to train and measure where it ran.</param>
/// <param name="Threads">The intra-op threads it was trained with.</param>
public sealed record SeedReplica(string Experiment, string Key, string Profile, long SeedOffset, long Seed, JsonElement Result, double Seconds = 0,
    int Threads = 0);

/// <summary>Where replicas live, which seeds a share trains, and reading and writing them.</summary>
public static class SeedReplicas
{
    /// <summary>"i/n": the experiment process trains only the seeds of share i of n, stores them, and stops (skipped) without a section.</summary>
    public const string ShareVariable = "HW1_SEED_SHARE";

    /// <summary>The folder replicas are stored in and read from; set by the pipeline (with its compute key), unset under plain <c>dotnet
    /// test</c>.</summary>
    public const string FolderVariable = "HW1_REPLICAS_DIR";

    /// <summary>The start of the skip message a share's test ends with; the runner recognizes a share's outcome by it.</summary>
    public const string SkipMarker = "seed share";

    /// <summary><c>artifacts/&lt;profile&gt;/replicas</c>.</summary>
    public static string FolderOf(string profile, string artifactsRoot) => Path.Combine(artifactsRoot, profile, "replicas");

    /// <summary>The file of <paramref name="seed"/> of <paramref name="experiment"/> (its short name) under <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, string experiment, long seed) =>
        Path.Combine(folder, experiment, $"seed-{seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}.json");

    /// <summary>The seed a replica file's name (as <see cref="PathOf"/> makes it) stands for, or null for any other name.</summary>
    public static long? SeedOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        const string prefix = "seed-", suffix = ".json";
        return fileName.StartsWith(prefix, StringComparison.Ordinal) && fileName.EndsWith(suffix, StringComparison.Ordinal)
            &&
            long.TryParse(fileName[prefix.Length..^suffix.Length], System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out var seed)
            ? seed : null;
    }

    /// <summary>The share in force (<see cref="ShareVariable"/>), or null; a malformed value is an error naming the variable.</summary>
    public static Shard? Share =>
        Environment.GetEnvironmentVariable(ShareVariable) is { Length: > 0 } text ? Shard.Parse(text, ShareVariable, rotation: true) : null;

    /// <summary>The replica folder in force (<see cref="FolderVariable"/>), or null.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>True when the seed at <paramref name="position"/> (0-based among the experiment's seeds) belongs to <paramref name="share"/>:
    /// the plan's shard for that position when the share carries one (<see cref="Shard.Assignment"/>), else (position + rotation) mod n =
    /// i − 1; either way the n shares of one experiment split its seeds exactly.</summary>
    public static bool Owns(Shard share, int position)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (share.Assignment is { } planned && position < planned.Count) return planned[position] == share.Index;
        return (position + share.Rotation) % share.Count == share.Index - 1;
    }

    /// <summary>Stores <paramref name="replica"/> at <paramref name="path"/> atomically (a reader sees the whole file or none).</summary>
    public static void Write(string path, SeedReplica replica) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(replica, ArtifactJson.Options));

    /// <summary>
    /// The replica at <paramref name="path"/>, or null when there is none. A file that cannot be read or names another experiment or
    /// seed than its path is an error naming the file; a replica of another key (an older build, other settings) is returned, and the
    /// caller decides.
    /// </summary>
    public static SeedReplica? Read(string path, string experiment, long seed) =>
        File.Exists(path) ? Parse(File.ReadAllBytes(path), path, experiment, seed) : null;

    /// <summary>
    /// Seed <paramref name="seed"/>'s result from its replica at <paramref name="path"/> when it was stored under <paramref name="key"/> and
    /// reads back as a <typeparamref name="T"/>; otherwise null, and a replica that cannot be read, holds another seed or experiment, or
    /// belongs to another key is set aside (<see cref="StoredResults.SetAside"/>) with a warning naming it, so the seed is trained again:
    /// a local cache that heals. (A merge still refuses a replica that does not match the digest its shard recorded.)
    /// </summary>
    public static (T Value, SeedReplica Stored)? TryRead<T>(string path, string experiment, long seed, string key,
        Action<string> warn) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(warn);
        string problem;
        try
        {
            var stored = Read(path, experiment, seed);
            if (stored == null) return null;
            if (stored.Key == key)
                return (stored.Result.Deserialize<T>(ArtifactJson.Results) ?? throw new JsonException("it reads back as null"), stored);
            problem = $"it belongs to another compute key ({stored.Key[..Math.Min(12, stored.Key.Length)]}, this run's is " +
                $"{key[..Math.Min(12, key.Length)]})";
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or NotSupportedException or InvalidOperationException or IOException
            or UnauthorizedAccessException)
        {
            problem = $"it cannot be used as seed {seed} of {experiment} ({e.Message})";
        }
        warn($"seed {seed}: replica {path} set aside: {problem}; training the seed again");
        StoredResults.SetAside(path, warn);
        return null;
    }

    /// <summary>The replica in <paramref name="bytes"/>, read from <paramref name="path"/>; checked as <see cref="Read"/> checks it.</summary>
    public static SeedReplica Parse(byte[] bytes, string path, string experiment, long seed)
    {
        SeedReplica? replica;
        try
        {
            replica = JsonSerializer.Deserialize<SeedReplica>(bytes, ArtifactJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a seed replica ({e.Message}); delete it and run the seed again.", e);
        }
        if (replica == null || replica.Experiment != experiment || replica.Seed != seed)
            throw new InvalidDataException($"{path}: holds " +
                $"{(replica == null ? "nothing" : $"seed {replica.Seed} of {replica.Experiment ?? "no experiment"}")}, expected seed {seed} of " +
                $"{experiment}; delete it and run the seed again.");
        if (replica.Key == null || replica.Result.ValueKind == JsonValueKind.Undefined)
            throw new InvalidDataException($"{path}: seed {seed} of {experiment} without {(replica.Key == null ? "a compute key" : "a result")}; " +
                $"delete it and run the seed again.");
        return replica;
    }

    /// <summary>SHA-256 (hex) of a replica file's bytes: what a shard's pipeline log records and a merge checks.</summary>
    public static string DigestOf(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary><see cref="DigestOf(byte[])"/> of the file at <paramref name="path"/>.</summary>
    public static string DigestOf(string path) => DigestOf(File.ReadAllBytes(path));

    /// <summary>
    /// <paramref name="value"/> through its stored form: serialized, read back, and checked to serialize the same again. A type that
    /// would lose data on the way (a settable member marked <see cref="JsonIgnoreAttribute"/>, a value that does not read back as
    /// written) is an error naming it, so nothing a seed measured can be dropped by storing it.
    /// </summary>
    public static (T Value, JsonElement Stored) RoundTrip<T>(T value) where T : notnull
    {
        EnsureLossless(typeof(T), []);
        var stored = JsonSerializer.SerializeToElement(value, ArtifactJson.Results);
        var back = stored.Deserialize<T>(ArtifactJson.Results) ??
            throw new InvalidDataException($"{typeof(T).Name}: its stored form reads back as null.");
        var again = JsonSerializer.Serialize(back, ArtifactJson.Results);
        if (again != JsonSerializer.Serialize(stored, ArtifactJson.Results))
            throw new InvalidDataException($"{typeof(T).FullName}: its stored form does not read back as written, so a seed replica would change " +
                $"it; give it a constructor or settable members for everything it serializes.");
        return (back, stored);
    }

    /// <summary>Refuses types with a settable member that JSON leaves out (see <see cref="RoundTrip{T}"/>), through their members' types.</summary>
    public static void EnsureLossless(Type type, HashSet<Type> seen)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(seen);
        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !seen.Add(type)) return;
        if (type.IsArray)
        {
            EnsureLossless(type.GetElementType()!, seen);
            return;
        }
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) EnsureLossless(argument, seen);
        if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            if (property.IsDefined(typeof(JsonIgnoreAttribute)) && property.CanWrite)
                throw new InvalidOperationException($"{type.FullName}.{property.Name} is settable but marked [JsonIgnore]: a seed replica would " +
                    $"drop it. Store it, or make it a computed member.");
            EnsureLossless(property.PropertyType, seen);
        }
    }
}
