namespace HW1.Research.Artifacts;

/// <summary>One row of a section's settings table: what was used, as the reader should see it.</summary>
public sealed record Setting(string Name, string Value);
