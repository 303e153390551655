namespace HW1.Research.Training;

/// <summary>
/// How much work an experiment does: <see cref="Quick"/> (subsets and few epochs, what <c>dotnet test</c>
/// runs) or <see cref="Full"/> (the assignment's settings, what <c>dotnet cake</c> runs for the report).
/// </summary>
public sealed record Profile
{
    /// <summary>The environment variable that selects the profile.</summary>
    public const string Variable = "HW1_PROFILE";

    public static readonly Profile Quick = new("quick");
    public static readonly Profile Full = new("full");

    /// <summary>Every valid profile, in order of cost.</summary>
    public static IReadOnlyList<Profile> All { get; } = [Quick, Full];

    private Profile(string name) => Name = name;

    public string Name { get; }

    public bool IsFull => ReferenceEquals(this, Full);

    public static Profile FromEnvironment(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Quick : Parse(value, $"environment variable {Variable}");

    /// <summary>Parses a profile name; an unknown one is an error that names the source and the valid names.</summary>
    public static Profile Parse(string value, string source = "profile")
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return All.FirstOrDefault(p => string.Equals(p.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"Unknown profile '{value}' in {source}. Valid profiles: {string.Join(", ", All.Select(p => p.Name))}.");
    }

    /// <summary>Picks the setting of the active profile.</summary>
    public T Pick<T>(T quick, T full) => IsFull ? full : quick;

    public override string ToString() => Name;
}
