using System.Text.RegularExpressions;

namespace HW1.Research.Tests;

/// <summary>.editorconfig's max_line_length for C# and Cake files, enforced on every such file of the repository.</summary>
public sealed partial class LineLengthTests
{
    private static readonly string Root = RepoPaths.Root;

    [GeneratedRegex(@"^\[\*\.\{cs,cake\}\]\s*$(?<body>(?:\n(?!\[).*)*)", RegexOptions.Multiline)]
    private static partial Regex CodeSection();

    private static int Limit()
    {
        var editorConfig = File.ReadAllText(Path.Combine(Root, ".editorconfig")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = CodeSection().Match(editorConfig);
        Assert.True(section.Success, ".editorconfig has no [*.{cs,cake}] section");
        var limit = Regex.Match(section.Groups["body"].Value, @"^max_line_length\s*=\s*(\d+)\s*$", RegexOptions.Multiline);
        Assert.True(limit.Success, ".editorconfig's [*.{cs,cake}] section sets no max_line_length");
        return int.Parse(limit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cake", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "artifacts" or ".git" or "tools"));

    [Fact]
    public void No_line_of_code_is_longer_than_the_editorconfig_limit()
    {
        var limit = Limit();
        var over = SourceFiles().OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllLines(f).Select((text, i) => (File: Path.GetRelativePath(Root, f), Line: i + 1, text.Length)))
            .Where(l => l.Length > limit)
            .Select(l => $"{l.File}:{l.Line}: {l.Length} characters")
            .ToList();
        Assert.True(over.Count == 0, $"{over.Count} line(s) over {limit} characters; wrap them:{Environment.NewLine}" +
            string.Join(Environment.NewLine, over.Take(50)));
    }

    [Fact]
    public void The_limit_is_150_characters() =>
        // The figure the project chose; a test names it, so that raising it is a visible decision.
        Assert.Equal(150, Limit());
}
