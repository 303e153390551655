using HW1.Research.Pipeline;

namespace HW1.Research.Tests.Pipeline;

public sealed class RunKeyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-keys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A repository with a library assembly, the experiments project (two experiments, shared infrastructure) and its bin folder.</summary>
    private (string Bin, string Project) Tree(string root)
    {
        void Write(string relative, string text)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Write("Directory.Build.props", "<Project />");
        Write("experiments/HW1.Experiments/HW1.Experiments.csproj", "<Project />");
        Write("experiments/HW1.Experiments/Infrastructure/Experiment.cs", "abstract class Experiment {}");
        Write("experiments/HW1.Experiments/Optimization/ATests.cs", "public sealed class ATests : Experiment {}");
        Write("experiments/HW1.Experiments/Optimization/BTests.cs", "public sealed class BTests : Experiment {}");
        Write("experiments/HW1.Experiments/Optimization/__snapshots__/ATests_quick.snap", "{}");
        Write("experiments/HW1.Experiments/bin/Release/net10.0/HW1.Research.dll", "library");
        Write("experiments/HW1.Experiments/bin/Release/net10.0/HW1.Experiments.dll", "experiments");
        return (Path.Combine(root, "experiments/HW1.Experiments/bin/Release/net10.0"), Path.Combine(root, "experiments/HW1.Experiments"));
    }

    private static string Hash(string root, (string Bin, string Project) tree, string test) =>
        RunKey.ExperimentHash(RunKey.SharedHash(tree.Bin, tree.Project, root), tree.Project, root, $"HW1.Experiments.Optimization.{test}.Reproduces");

    [Fact]
    public void Editing_one_experiment_changes_its_key_only_and_the_library_changes_every_key()
    {
        var tree = Tree(_root);
        var (a, b) = (Hash(_root, tree, "ATests"), Hash(_root, tree, "BTests"));
        Assert.NotEqual(a, b);

        File.AppendAllText(Path.Combine(tree.Project, "Optimization/ATests.cs"), "// a change");
        File.WriteAllText(Path.Combine(tree.Bin, "HW1.Experiments.dll"), "rebuilt with the change");
        Assert.NotEqual(a, a = Hash(_root, tree, "ATests"));
        Assert.Equal(b, Hash(_root, tree, "BTests"));

        File.WriteAllText(Path.Combine(tree.Project, "Optimization/__snapshots__/ATests_quick.snap"), "{ \"A\": 1 }");
        Assert.NotEqual(a, a = Hash(_root, tree, "ATests"));
        Assert.Equal(b, Hash(_root, tree, "BTests"));

        File.WriteAllText(Path.Combine(tree.Bin, "HW1.Research.dll"), "library changed");
        Assert.NotEqual(a, Hash(_root, tree, "ATests"));
        Assert.NotEqual(b, Hash(_root, tree, "BTests"));
    }

    [Fact]
    public void The_same_tree_in_another_folder_gives_the_same_key()
    {
        var other = Path.Combine(_root, "elsewhere", "deeper");
        Assert.Equal(Hash(Path.Combine(_root, "first"), Tree(Path.Combine(_root, "first")), "ATests"), Hash(other, Tree(other), "ATests"));
    }

    [Fact]
    public void An_experiment_whose_class_no_file_declares_is_an_error_naming_it()
    {
        var tree = Tree(_root);
        var e = Assert.Throws<FileNotFoundException>(() => Hash(_root, tree, "CTests"));
        Assert.Contains("CTests", e.Message, StringComparison.Ordinal);
    }
}
