namespace HW1.Research.Artifacts;

/// <summary>A table in a section: a caption, column headers and rows of cell text.</summary>
public sealed record Table(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>A table with one row per record and one column per (header, cell text) pair.</summary>
    public static Table Of<T>(string caption, IEnumerable<T> records, params (string Header, Func<T, string> Cell)[] columns)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(columns);
        return new Table(caption, columns.Select(c => c.Header).ToList(),
            records.Select(r => (IReadOnlyList<string>)columns.Select(c => c.Cell(r)).ToList()).ToList());
    }
}
