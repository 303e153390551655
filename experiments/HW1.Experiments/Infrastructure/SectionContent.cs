namespace HW1.Experiments.Infrastructure;

/// <summary>What a section shows besides its identity: the settings used, tables, figures, comments and headline numbers.</summary>
public sealed record SectionContent
{
    public IReadOnlyList<Setting> Settings { get; init; } = [];
    public IReadOnlyList<Table> Tables { get; init; } = [];
    public IReadOnlyList<Figure> Figures { get; init; } = [];
    public IReadOnlyList<string> Comments { get; init; } = [];
    public IReadOnlyList<Metric> Headline { get; init; } = [];
}
