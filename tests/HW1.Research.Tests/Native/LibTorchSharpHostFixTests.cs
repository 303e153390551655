using HW1.Research.Native;

namespace HW1.Research.Tests.Native;

public sealed class LibTorchSharpHostFixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hw1-elf-").FullName;

    // The copy the build placed (and, on hosts that need it, patched) in this test assembly's output.
    private static string OutputCopy =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string Host => LibTorchSharpHostFix.FindHostLibstdcxx()
        ?? throw new InvalidOperationException("no libstdc++ on this host");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Host_libstdcxx_is_found_and_its_versions_are_read()
    {
        var versions = ElfVersioning.DefinedVersions(File.ReadAllBytes(Host), Host);
        // Every libstdc++ since GCC 4 defines the base version GLIBCXX_3.4.
        Assert.Contains("GLIBCXX_3.4", versions);
    }

    [Fact]
    public void LibTorchSharp_needs_the_version_only_for_an_unreferenced_marker()
    {
        var bytes = File.ReadAllBytes(OutputCopy);
        var needed = Assert.Single(ElfVersioning.NeededVersions(bytes, OutputCopy), v => v.Name == LibTorchSharpHostFix.Version);
        Assert.StartsWith("libstdc++", needed.File, StringComparison.Ordinal);
        var symbol = Assert.Single(ElfVersioning.SymbolsOfVersion(bytes, needed.Index, OutputCopy));
        Assert.Equal("_ZSt21ios_base_library_initv", symbol.Symbol);
        Assert.False(symbol.Relocated);
    }

    [Fact]
    public void The_build_output_copy_is_weak_exactly_when_the_host_lacks_the_version()
    {
        var hostHasIt = ElfVersioning.DefinedVersions(File.ReadAllBytes(Host), Host).Contains(LibTorchSharpHostFix.Version);
        var bytes = File.ReadAllBytes(OutputCopy);
        var needed = ElfVersioning.NeededVersions(bytes, OutputCopy).Single(v => v.Name == LibTorchSharpHostFix.Version);
        Assert.Equal(!hostHasIt, needed.IsWeak);
    }

    [Fact]
    public void Apply_patches_an_unpatched_copy_once_and_changes_only_that_flag()
    {
        var original = Unpatched();
        var path = Path.Combine(_dir, "libLibTorchSharp.so");
        File.WriteAllBytes(path, original);
        var hostHasIt = ElfVersioning.DefinedVersions(File.ReadAllBytes(Host), Host).Contains(LibTorchSharpHostFix.Version);

        var first = LibTorchSharpHostFix.Apply(path, Host, _ => { });
        var second = LibTorchSharpHostFix.Apply(path, Host, _ => { });

        if (hostHasIt)
        {
            Assert.Equal(HostFixOutcome.NotNeeded, first);
            Assert.Equal(original, File.ReadAllBytes(path));
            return;
        }
        Assert.Equal(HostFixOutcome.Patched, first);
        Assert.Equal(HostFixOutcome.AlreadyPatched, second);
        var patched = File.ReadAllBytes(path);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var flags = ElfVersioning.NeededVersions(original, path).Single(v => v.Name == LibTorchSharpHostFix.Version).FlagsOffset;
        Assert.Equal([(int)flags], differing);
        Assert.Equal(original[flags] | NeededVersion.WeakFlag, patched[flags]);
    }

    [Fact]
    public void Apply_replaces_the_file_instead_of_writing_through_a_hard_link()
    {
        var cacheLike = Path.Combine(_dir, "cache.so");
        var output = Path.Combine(_dir, "output.so");
        var original = Unpatched();
        File.WriteAllBytes(cacheLike, original);
        Assert.Equal(0, Link(cacheLike, output));

        LibTorchSharpHostFix.Apply(output, Host, _ => { });

        Assert.Equal(original, File.ReadAllBytes(cacheLike));
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused_with_its_name()
    {
        var path = Path.Combine(_dir, "broken.so");
        var truncated = File.ReadAllBytes(OutputCopy).AsSpan(0, 4096).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ElfVersioning.NeededVersions(truncated, path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated or corrupt", e.Message, StringComparison.Ordinal);

        var notElf = Assert.Throws<InvalidDataException>(() => ElfVersioning.NeededVersions(new byte[100], path));
        Assert.Contains("not an ELF file", notElf.Message, StringComparison.Ordinal);
    }

    private static byte[] Unpatched()
    {
        var bytes = File.ReadAllBytes(OutputCopy);
        var needed = ElfVersioning.NeededVersions(bytes, OutputCopy).Single(v => v.Name == LibTorchSharpHostFix.Version);
        bytes[needed.FlagsOffset] = (byte)(bytes[needed.FlagsOffset] & ~NeededVersion.WeakFlag);
        return bytes;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}
