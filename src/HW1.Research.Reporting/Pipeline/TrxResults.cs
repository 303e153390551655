using System.Xml.Linq;

namespace HW1.Research.Pipeline;

/// <summary>One test's result as a TRX file (<c>dotnet test --logger trx</c>) records it.</summary>
public sealed record TestOutcome(string Name, string Outcome, string? Message)
{
    public bool Passed => Outcome == "Passed";
    public bool Failed => Outcome is "Failed" or "Error" or "Timeout" or "Aborted";

    /// <summary>How long the test ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The test's class: its name without the method (and without a theory's arguments).</summary>
    public string Class
    {
        get
        {
            var name = Name.Split('(')[0];
            var dot = name.LastIndexOf('.');
            return dot > 0 ? name[..dot] : name;
        }
    }
}

/// <summary>Reads the results of a test run from its TRX file: structured, not the console's text.</summary>
public static class TrxResults
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Every test result in <paramref name="path"/>; a file that is not TRX is an error naming it.</summary>
    public static IReadOnlyList<TestOutcome> Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"{path}: not a valid TRX file ({e.Message}).", e);
        }
        if (document.Root?.Name != Ns +
            "TestRun") throw new InvalidDataException($"{path}: not a TRX file (its root is {document.Root?.Name.LocalName ?? "missing"}, expected " +
                $"TestRun).");
        return document.Descendants(Ns + "UnitTestResult").Select(r => new TestOutcome(
            (string?)r.Attribute("testName") ?? "",
            (string?)r.Attribute("outcome") ?? "",
            r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")?.Value)
        {
            Duration = TimeSpan.TryParse((string?)r.Attribute("duration"), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d
                : TimeSpan.Zero,
        }).ToList();
    }

    /// <summary>Every result of every TRX file in <paramref name="folder"/> (one per test project), and how many files there were.</summary>
    public static (IReadOnlyList<TestOutcome> Results, int Files) ReadFolder(string folder)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.trx").Order(StringComparer.Ordinal).ToList() : [];
        return (files.SelectMany(Read).ToList(), files.Count);
    }

    /// <summary>
    /// What a test run amounts to: wall time per test class, slowest first, then the closing line "N passed, N failed"
    /// (skipped ones counted when there are any). <paramref name="ok"/> is false when a test failed or none ran.
    /// </summary>
    public static string Summary(IReadOnlyList<TestOutcome> results, int files, out bool ok)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Test result files: {files} (one per test project)");
        text.AppendLine("Wall time per test class (seconds), slowest first:");
        foreach (var c in results.GroupBy(r => r.Class).Select(g => (Class: g.Key, Seconds: g.Sum(r => r.Duration.TotalSeconds)))
            .OrderByDescending(c => c.Seconds))
            text.AppendLine(System.FormattableString.Invariant($"{c.Seconds,9:0.0}  {c.Class}"));
        int passed = results.Count(r => r.Passed), failed = results.Count(r => r.Failed), skipped = results.Count - passed - failed;
        foreach (var f in results.Where(r => r.Failed)) text.AppendLine($"FAILED {f.Name}: {f.Message?.Split('\n')[0].Trim()}");
        if (results.Count == 0) text.AppendLine("No test ran.");
        text.Append($"{passed} passed, {failed} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
        ok = failed == 0 && results.Count > 0;
        return text.ToString();
    }
}
