using System.Text.Json;
using HW1.Research.Artifacts;

namespace HW1.Research.Pipeline;

/// <summary>What the runner tells one experiment of a process that runs several: its run key, compute key and progress file.</summary>
public sealed record PlannedExperiment(string RunKey, string ComputeKey, string ProgressFile);

/// <summary>
/// The keys of every experiment one <c>dotnet test</c> process runs, by class name, in a file the runner writes and names in
/// <see cref="Variable"/>: the experiments that only decide and describe again from stored results share one process (one start-up
/// instead of one each), so their keys cannot travel in the process's environment.
/// </summary>
public static class ExperimentPlan
{
    public const string Variable = "HW1_RUN_PLAN";

    /// <summary>Writes the plan atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, PlannedExperiment> plan) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(plan, ArtifactJson.Options));

    /// <summary>The plan at <paramref name="path"/>; a file that is not one is an error naming it.</summary>
    public static IReadOnlyDictionary<string, PlannedExperiment> Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, PlannedExperiment>>(File.ReadAllBytes(path), ArtifactJson.Options)
                ?? throw new InvalidDataException($"{path} ({Variable}): an empty experiment plan.");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new InvalidDataException($"{path} ({Variable}): not an experiment plan the runner wrote ({e.Message}).", e);
        }
    }

    /// <summary>The plan this process was given (<see cref="Variable"/>), or null.</summary>
    public static IReadOnlyDictionary<string, PlannedExperiment>? Current => Lazy.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, PlannedExperiment>?> Lazy =
        new(() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Read(path) : null);
}
