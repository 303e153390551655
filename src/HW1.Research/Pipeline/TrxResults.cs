using System.Xml.Linq;

namespace HW1.Research.Pipeline;

/// <summary>One test's result as a TRX file (<c>dotnet test --logger trx</c>) records it.</summary>
public sealed record TestOutcome(string Name, string Outcome, string? Message)
{
    public bool Passed => Outcome == "Passed";
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
        if (document.Root?.Name != Ns + "TestRun") throw new InvalidDataException($"{path}: not a TRX file (its root is {document.Root?.Name.LocalName ?? "missing"}, expected TestRun).");
        return document.Descendants(Ns + "UnitTestResult").Select(r => new TestOutcome(
            (string?)r.Attribute("testName") ?? "",
            (string?)r.Attribute("outcome") ?? "",
            r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")?.Value)).ToList();
    }
}
