using System.Text.RegularExpressions;

namespace HW1.Research.Tests;

/// <summary>
/// The library's layers point one way: Data → Models → Training → Analysis → Artifacts → Figures → Reporting, each using only
/// those before it, and Pipeline beside them using Artifacts only (the platform, Native/ and the root namespace, is open to all).
/// Read from the sources: a using directive or a namespace-qualified name of another layer.
/// </summary>
public sealed partial class LayerTests
{
    private static readonly string[] Order = ["Data", "Models", "Training", "Analysis", "Artifacts", "Figures", "Reporting"];

    private static IReadOnlySet<string> Allowed(string layer) => layer == "Pipeline"
        ? new HashSet<string> { "Artifacts" }
        : Order.Take(Array.IndexOf(Order, layer)).ToHashSet();

    [GeneratedRegex(@"(?<![\w.])(?:HW1\.Research\.)?(Data|Models|Training|Analysis|Artifacts|Figures|Reporting|Pipeline)(?:\.[A-Z]|;)")]
    private static partial Regex LayerReference();

    [Fact]
    public void Every_layer_uses_only_the_layers_below_it()
    {
        var library = Path.Combine(RepoPaths.Root, "src", "HW1.Research");
        var wrong = new List<string>();
        foreach (var layer in Order.Append("Pipeline"))
        {
            var allowed = Allowed(layer);
            foreach (var file in Directory.GetFiles(Path.Combine(library, layer), "*.cs"))
            {
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith("namespace", StringComparison.Ordinal)) continue;
                    foreach (Match m in LayerReference().Matches(code))
                    {
                        var used = m.Groups[1].Value;
                        if (used != layer && !allowed.Contains(used))
                            wrong.Add($"{Path.GetRelativePath(library, file)}:{i + 1}: {layer} uses {used}: {code.Trim()}");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}
