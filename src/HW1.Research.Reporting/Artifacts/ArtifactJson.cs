using System.Text.Json;
using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>The JSON form every stored artifact shares (sections, the pipeline log, the run manifest): camelCase names, indented, and NaN or infinity
/// written as named literals rather than refused.</summary>
public static class ArtifactJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The form of measured results (seed replicas, stored results): <see cref="Options"/> with public fields included, so a value tuple
    /// (whose elements are fields) keeps its values instead of reading back as its default.
    /// </summary>
    public static readonly JsonSerializerOptions Results = new(Options) { IncludeFields = true };
}
