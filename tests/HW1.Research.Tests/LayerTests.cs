using System.Text.RegularExpressions;

namespace HW1.Research.Tests;

/// <summary>
/// The library's layers point one way: Data → Models → Training → Analysis (the compute assembly, HW1.Research) → Artifacts → Figures →
/// Reporting (the reporting assembly, HW1.Research.Reporting), each using only those before it, and Pipeline beside the last three
/// using Artifacts only (the platform, Native/ and the root namespace, is open to all). The compute assembly does not reference the
/// reporting one, so an upward use across the seam does not compile; this test is the second line, within each assembly.
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
        var src = Path.Combine(RepoPaths.Root, "src");
        var wrong = new List<string>();
        foreach (var layer in Order.Append("Pipeline"))
        {
            var allowed = Allowed(layer);
            var folder = Path.Combine(src, Array.IndexOf(Order, layer) is >= 0 and < 4 ? "HW1.Research" : "HW1.Research.Reporting", layer);
            foreach (var file in Directory.GetFiles(folder, "*.cs"))
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
                            wrong.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {layer} uses {used}: {code.Trim()}");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void The_compute_assembly_does_not_reference_the_reporting_assembly()
    {
        var compute = typeof(HW1.Research.Training.Reproducibility).Assembly;
        var reporting = typeof(HW1.Research.Artifacts.Claim).Assembly;
        Assert.NotEqual(compute, reporting);
        Assert.DoesNotContain(compute.GetReferencedAssemblies(), a => a.Name == reporting.GetName().Name);
        Assert.Contains(reporting.GetReferencedAssemblies(), a => a.Name == compute.GetName().Name);
    }
}
