namespace HW1.Experiments.Infrastructure;

/// <summary>A part of the assignment and the topic its heading names.</summary>
public sealed record Part(string Id, string Title)
{
    public static readonly Part DeepVsShallow = new("1-1", "Deep vs shallow");
    public static readonly Part Optimization = new("1-2", "Optimization");
    public static readonly Part Generalization = new("1-3", "Generalization");
}

/// <summary>The question an experiment answers: its section id, part, place in the part, title, and the assignment's words.</summary>
public sealed record Question(string Id, Part Part, int Order, string Title, string Assignment)
{
    /// <summary>True for the assignment's bonus questions.</summary>
    public bool Bonus { get; init; }
}
