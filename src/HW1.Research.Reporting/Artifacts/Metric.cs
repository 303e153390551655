namespace HW1.Research.Artifacts;

/// <summary>A headline number of a section, for the summary table.</summary>
public sealed record Metric(string Name, double Value);
