using System.Globalization;

namespace HW1.Research.Artifacts;

/// <summary>One difference between two stored versions of a section: where it is, and the two values.</summary>
public sealed record SectionDifference(string SectionId, string Location, string First, string Second)
{
    public override string ToString() => $"{SectionId}: {Location}: {First} vs {Second}";
}

/// <summary>
/// Compares two sets of stored sections (two runs of the same experiments) by what they measured: headline metrics,
/// table cells, and figure data (series points and labels, grid values). Numbers must be equal exactly, since a
/// re-run with the same seeds on the same machine is bit-identical (NaN equals NaN). Wall time and seed offset are
/// not compared, nor the settings, comments and status, which follow from the measured values.
/// </summary>
public static class SectionComparison
{
    /// <summary>Every difference between <paramref name="first"/> and <paramref name="second"/>, sections matched by id; empty when they
    /// agree.</summary>
    public static IReadOnlyList<SectionDifference> Compare(IEnumerable<ReportSection> first, IEnumerable<ReportSection> second)
    {
        var a = ById(first, nameof(first));
        var b = ById(second, nameof(second));
        var differences = new List<SectionDifference>();
        foreach (var id in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            if (!a.TryGetValue(id, out var x)) differences.Add(new(id, "section", "absent", "present"));
            else if (!b.TryGetValue(id, out var y)) differences.Add(new(id, "section", "present", "absent"));
            else differences.AddRange(Compare(x, y));
        }
        return differences;
    }

    /// <summary>Every difference between two versions of one section.</summary>
    public static IReadOnlyList<SectionDifference> Compare(ReportSection first, ReportSection second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var found = new List<SectionDifference>();
        void Add(string location, string x, string y) => found.Add(new SectionDifference(first.Id, location, x, y));

        Lists(first.Headline, second.Headline, (m, _) => $"headline '{m.Name}'", "headline", Add, (m, n, where) =>
        {
            if (!m.Value.Equals(n.Value)) Add(where, Text(m.Value), Text(n.Value));
        });
        Lists(first.Tables, second.Tables, (t, i) => $"table[{i}] '{t.Caption}'", "tables", Add, (t, u, where) => Table(t, u, where, Add));
        Lists(first.Figures, second.Figures, (f, _) => $"figure '{f.Id}'", "figures", Add, (f, g, where) =>
            Lists(f.Panels, g.Panels, (p, i) => $"{where}, panel[{i}] '{p.Title}'", $"{where}, panels", Add, (p, q, at) => Panel(p, q, at, Add)));
        return found;
    }

    private static Dictionary<string, ReportSection> ById(IEnumerable<ReportSection> sections, string name)
    {
        ArgumentNullException.ThrowIfNull(sections, name);
        var byId = new Dictionary<string, ReportSection>(StringComparer.Ordinal);
        foreach (var s in sections)
        {
            if (!byId.TryAdd(s.Id, s))
                throw new ArgumentException($"The {name} set holds the section '{s.Id}' twice; compare one stored run with another.", name);
        }
        return byId;
    }

    /// <summary>Pairs two lists by position; a length difference is reported once, and the common part is compared.</summary>
    private static void Lists<T>(IReadOnlyList<T> first, IReadOnlyList<T> second, Func<T, int, string> name, string what,
        Action<string, string, string> add, Action<T, T, string> compare)
    {
        if (first.Count != second.Count) add($"{what} count", $"{first.Count}", $"{second.Count}");
        for (int i = 0; i < Math.Min(first.Count, second.Count); i++)
        {
            var where = name(first[i], i);
            var other = name(second[i], i);
            if (where != other) add(where, "present", $"{other} in its place");
            else compare(first[i], second[i], where);
        }
    }

    private static void Table(Table first, Table second, string where, Action<string, string, string> add)
    {
        Strings(first.Columns, second.Columns, $"{where}, column header", add);
        if (first.Rows.Count != second.Rows.Count) add($"{where}, row count", $"{first.Rows.Count}", $"{second.Rows.Count}");
        for (int r = 0; r < Math.Min(first.Rows.Count, second.Rows.Count); r++)
        {
            var x = first.Rows[r];
            var y = second.Rows[r];
            if (x.Count != y.Count) add($"{where}, row[{r}] cell count", $"{x.Count}", $"{y.Count}");
            for (int c = 0; c < Math.Min(x.Count, y.Count); c++)
            {
                var column = c < first.Columns.Count ? $" '{first.Columns[c]}'" : "";
                if (!string.Equals(x[c], y[c], StringComparison.Ordinal)) add($"{where}, row[{r}], column[{c}]{column}", x[c], y[c]);
            }
        }
    }

    private static void Panel(Panel first, Panel second, string where, Action<string, string, string> add)
    {
        Lists(first.Series, second.Series, (s, i) => $"{where}, series[{i}] '{s.Name}'", $"{where}, series", add, (s, t, at) =>
        {
            Numbers(s.X, t.X, $"{at}, x", add);
            Numbers(s.Y, t.Y, $"{at}, y", add);
            Numbers(s.Low ?? [], t.Low ?? [], $"{at}, interval low", add);
            Numbers(s.High ?? [], t.High ?? [], $"{at}, interval high", add);
            Strings(s.PointLabels ?? [], t.PointLabels ?? [], $"{at}, point label", add);
        });
        if (first.Grid is null != second.Grid is null)
        {
            add($"{where}, grid", first.Grid is null ? "absent" : "present", second.Grid is null ? "absent" : "present");
        }
        else if (first.Grid is { } g && second.Grid is { } h)
        {
            Numbers(g.X, h.X, $"{where}, grid x", add);
            Numbers(g.Y, h.Y, $"{where}, grid y", add);
            if (g.Z.Count != h.Z.Count) add($"{where}, grid row count", $"{g.Z.Count}", $"{h.Z.Count}");
            for (int r = 0; r < Math.Min(g.Z.Count, h.Z.Count); r++)
                Numbers(g.Z[r], h.Z[r], $"{where}, grid z[{r}]", add);
        }
    }

    private static void Numbers(IReadOnlyList<double> first, IReadOnlyList<double> second, string where, Action<string, string, string> add)
    {
        if (first.Count != second.Count) add($"{where} count", $"{first.Count}", $"{second.Count}");
        for (int i = 0; i < Math.Min(first.Count, second.Count); i++)
        {
            // double.Equals, unlike ==, holds for NaN and NaN: a NaN that both runs produced is no difference.
            if (!first[i].Equals(second[i])) add($"{where}[{i}]", Text(first[i]), Text(second[i]));
        }
    }

    private static void Strings(IReadOnlyList<string> first, IReadOnlyList<string> second, string where, Action<string, string, string> add)
    {
        if (first.Count != second.Count) add($"{where} count", $"{first.Count}", $"{second.Count}");
        for (int i = 0; i < Math.Min(first.Count, second.Count); i++)
        {
            if (!string.Equals(first[i], second[i], StringComparison.Ordinal)) add($"{where}[{i}]", first[i], second[i]);
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
