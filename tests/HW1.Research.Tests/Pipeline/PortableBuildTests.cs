namespace HW1.Research.Tests.Pipeline;

/// <summary>
/// The same commit built in two folders gives the same assemblies, so run keys (and the merge's code-hash check) travel between
/// clones and machines: the library is built from two copies of the sources at different paths and compared byte for byte.
/// </summary>
public sealed class PortableBuildTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hw1-portable-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string Build(string folder)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
            File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(Directory.CreateDirectory(folder).FullName, file));
        Copy(Path.Combine(RepoPaths.Root, "build"), Path.Combine(folder, "build"));
        Copy(Path.Combine(RepoPaths.Root, "src", "HW1.Research"), Path.Combine(folder, "src", "HW1.Research"));
        var (code, output, error) = ReportTool.RunProgram("dotnet",
            ["build", Path.Combine(folder, "src", "HW1.Research", "HW1.Research.csproj"), "-c", "Release"], TimeSpan.FromMinutes(5));
        Assert.True(code == 0, output + error);
        return Path.Combine(folder, "src", "HW1.Research", "bin", "Release", "net10.0", "HW1.Research.dll");
    }

    [Fact]
    public void The_library_built_in_two_folders_is_the_same_to_the_byte_and_names_neither_folder()
    {
        var first = Build(Path.Combine(_root, "a"));
        var second = Build(Path.Combine(_root, "elsewhere", "b"));
        var bytes = File.ReadAllBytes(first);
        Assert.Equal(bytes, File.ReadAllBytes(second));
        Assert.DoesNotContain(_root, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void No_assembly_carries_the_commit_so_a_commit_alone_changes_no_key()
    {
        // The SDK would write the git commit into the informational version: every commit would then change every assembly's bytes
        // and every compute key, and a commit that only rewords a sentence would retrain everything.
        foreach (var assembly in new[] { typeof(HW1.Research.Training.Reproducibility).Assembly, typeof(HW1.Research.Artifacts.Claim).Assembly })
        {
            var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
            Assert.DoesNotContain("+", version, StringComparison.Ordinal);
        }
    }
}
