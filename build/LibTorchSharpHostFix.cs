// Makes TorchSharp's native glue library load on hosts whose libstdc++ is older than the one it was
// built against (Debian 12: GCC 12's libstdc++ stops at GLIBCXX_3.4.30, libLibTorchSharp.so asks for
// GLIBCXX_3.4.32 because GCC 13's <iostream> emits a reference to std::ios_base_library_init()).
//
// That reference is a bare marker: no relocation points at it, so nothing ever calls it. Setting the
// VER_FLG_WEAK bit on the GLIBCXX_3.4.32 entry of .gnu.version_r lets glibc's loader accept its absence.
// The fix is applied to the copy in a build's output folder only, never to the NuGet cache, and only
// when the host's libstdc++ lacks the version. Before it patches, it proves from the file itself that
// every symbol bound to the version is unreferenced by any relocation; otherwise it refuses.
//
// This one file serves twice: compiled by MSBuild's RoslynCodeTaskFactory as the build task (see
// build/LibTorchSharpHostFix.targets), and linked into the unit tests (HW1_HOST_FIX_TESTS defined,
// which leaves the MSBuild task class out), which is why it spells out its usings, has no
// dependencies and keeps to the .NET Standard 2.0 API that the task factory compiles against.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace HW1.Research.Native
{
    /// <summary>One entry of an ELF file's version-needs table (.gnu.version_r).</summary>
    public sealed class NeededVersion
    {
        public const ushort WeakFlag = 0x2;

        public NeededVersion(string file, string name, ushort flags, ushort index, long flagsOffset)
        {
            File = file;
            Name = name;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The library the version is needed from, e.g. libstdc++.so.6.</summary>
        public string File { get; }
        public string Name { get; }
        public ushort Flags { get; }
        /// <summary>The index that .gnu.version uses for symbols bound to this version.</summary>
        public ushort Index { get; }
        /// <summary>Byte offset of vna_flags in the file.</summary>
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>Reads and patches the symbol-versioning tables of 64-bit little-endian ELF files.</summary>
    public static class ElfVersioning
    {
        private const uint ShtRela = 4;
        private const uint ShtDynsym = 11;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVersym = 0x6fffffff;

        private sealed class Section
        {
            public Section(int index, uint type, long offset, long size, int link, long entrySize)
            {
                Index = index;
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                EntrySize = entrySize;
            }

            public int Index { get; }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public int Link { get; }
            public long EntrySize { get; }
        }

        /// <summary>Version names an ELF file defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 in libstdc++.</summary>
        public static IReadOnlyList<string> DefinedVersions(byte[] elf, string what)
        {
            var sections = ReadSections(elf, what);
            var result = new List<string>();
            foreach (var s in sections.Where(s => s.Type == ShtGnuVerdef))
            {
                var strtab = sections[s.Link];
                long entry = s.Offset;
                while (true)
                {
                    ushort count = U16(elf, entry + 6, what);
                    uint aux = U32(elf, entry + 12, what);
                    uint next = U32(elf, entry + 16, what);
                    long auxAt = entry + aux;
                    for (int i = 0; i < count; i++)
                    {
                        result.Add(CString(elf, strtab.Offset + U32(elf, auxAt, what), what));
                        uint auxNext = U32(elf, auxAt + 4, what);
                        if (auxNext == 0) break;
                        auxAt += auxNext;
                    }
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>Every version an ELF file needs from its dependencies (.gnu.version_r).</summary>
        public static IReadOnlyList<NeededVersion> NeededVersions(byte[] elf, string what)
        {
            var sections = ReadSections(elf, what);
            var result = new List<NeededVersion>();
            foreach (var s in sections.Where(s => s.Type == ShtGnuVerneed))
            {
                var strtab = sections[s.Link];
                long entry = s.Offset;
                while (true)
                {
                    ushort count = U16(elf, entry + 2, what);
                    string file = CString(elf, strtab.Offset + U32(elf, entry + 4, what), what);
                    uint aux = U32(elf, entry + 8, what);
                    uint next = U32(elf, entry + 12, what);
                    long auxAt = entry + aux;
                    for (int i = 0; i < count; i++)
                    {
                        ushort flags = U16(elf, auxAt + 4, what);
                        ushort index = U16(elf, auxAt + 6, what);
                        string name = CString(elf, strtab.Offset + U32(elf, auxAt + 8, what), what);
                        result.Add(new NeededVersion(file, name, flags, index, auxAt + 4));
                        uint auxNext = U32(elf, auxAt + 12, what);
                        if (auxNext == 0) break;
                        auxAt += auxNext;
                    }
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>Names of the dynamic symbols bound to a version index, and whether any relocation uses each.</summary>
        public static IReadOnlyList<(string Symbol, bool Relocated)> SymbolsOfVersion(byte[] elf, ushort versionIndex, string what)
        {
            var sections = ReadSections(elf, what);
            var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
            var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
            if (dynsym == null || versym == null)
                throw new InvalidDataException($"{what}: no .dynsym or .gnu.version section; cannot tell which symbols a version covers.");
            long entrySize = dynsym.EntrySize == 0 ? 24 : dynsym.EntrySize;
            long symbolCount = dynsym.Size / entrySize;
            var strtab = sections[dynsym.Link];

            var relocated = new HashSet<long>();
            foreach (var rela in sections.Where(s => s.Type == ShtRela && s.Link == dynsym.Index))
            {
                long relaSize = rela.EntrySize == 0 ? 24 : rela.EntrySize;
                for (long at = rela.Offset; at + relaSize <= rela.Offset + rela.Size; at += relaSize)
                    relocated.Add((long)(U64(elf, at + 8, what) >> 32));
            }

            var result = new List<(string, bool)>();
            for (long i = 1; i < symbolCount; i++)
            {
                ushort version = (ushort)(U16(elf, versym.Offset + (2 * i), what) & 0x7fff);
                if (version != versionIndex) continue;
                string name = CString(elf, strtab.Offset + U32(elf, dynsym.Offset + (i * entrySize), what), what);
                result.Add((name, relocated.Contains(i)));
            }
            return result;
        }

        /// <summary>Returns a copy of the file with VER_FLG_WEAK set on every needed entry of that version name.</summary>
        public static byte[] MarkNeededVersionWeak(byte[] elf, string versionName, string what)
        {
            var entries = NeededVersions(elf, what).Where(v => v.Name == versionName).ToList();
            if (entries.Count == 0)
                throw new InvalidDataException($"{what}: does not need version {versionName}; nothing to mark weak.");
            var copy = (byte[])elf.Clone();
            foreach (var e in entries)
            {
                ushort flags = (ushort)(e.Flags | NeededVersion.WeakFlag);
                copy[e.FlagsOffset] = (byte)(flags & 0xff);
                copy[e.FlagsOffset + 1] = (byte)(flags >> 8);
            }
            return copy;
        }

        private static List<Section> ReadSections(byte[] elf, string what)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{what}: not an ELF file (expected the magic bytes 7F 45 4C 46 at the start).");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{what}: expected a 64-bit little-endian ELF file, found class {elf[4]}, data encoding {elf[5]}.");
            long shoff = (long)U64(elf, 0x28, what);
            ushort shentsize = U16(elf, 0x3a, what);
            ushort shnum = U16(elf, 0x3c, what);
            if (shoff == 0 || shnum == 0 || shentsize < 64)
                throw new InvalidDataException($"{what}: has no usable section headers (offset {shoff}, count {shnum}, size {shentsize}).");
            var list = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long at = shoff + ((long)i * shentsize);
                list.Add(new Section(
                    i,
                    U32(elf, at + 4, what),
                    (long)U64(elf, at + 24, what),
                    (long)U64(elf, at + 32, what),
                    (int)U32(elf, at + 40, what),
                    (long)U64(elf, at + 56, what)));
            }
            foreach (var s in list)
            {
                if (s.Type != 8 /* SHT_NOBITS */ && s.Type != 0 && (s.Offset < 0 || s.Offset + s.Size > elf.Length))
                    throw new InvalidDataException($"{what}: section {s.Index} lies outside the file (offset {s.Offset}, size {s.Size}, file " +
                        $"{elf.Length} bytes); the file is truncated or corrupt.");
                if (s.Link < 0 || s.Link >= list.Count)
                    throw new InvalidDataException($"{what}: section {s.Index} links to section {s.Link}, which does not exist.");
            }
            return list;
        }

        private static void Check(byte[] b, long at, int size, string what)
        {
            if (at < 0 || at + size > b.Length)
                throw new InvalidDataException($"{what}: a table entry at byte {at} runs past the end of the file ({b.Length} bytes); the file is " +
                    $"truncated or corrupt.");
        }

        private static ushort U16(byte[] b, long at, string what)
        {
            Check(b, at, 2, what);
            return (ushort)(b[at] | (b[at + 1] << 8));
        }

        private static uint U32(byte[] b, long at, string what)
        {
            Check(b, at, 4, what);
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }

        private static ulong U64(byte[] b, long at, string what) => U32(b, at, what) | ((ulong)U32(b, at + 4, what) << 32);

        private static string CString(byte[] b, long at, string what)
        {
            Check(b, at, 1, what);
            long end = at;
            while (end < b.Length && b[end] != 0) end++;
            if (end == b.Length)
                throw new InvalidDataException($"{what}: a name at byte {at} is not terminated; the file is truncated or corrupt.");
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

    /// <summary>What <see cref="LibTorchSharpHostFix.Apply"/> did to one file.</summary>
    public enum HostFixOutcome
    {
        /// <summary>The host's libstdc++ has every version the file needs: nothing to do.</summary>
        NotNeeded,
        /// <summary>The file already had the version marked weak.</summary>
        AlreadyPatched,
        /// <summary>The version was marked weak in this call.</summary>
        Patched,
    }

    /// <summary>The TorchSharp-on-older-libstdc++ cure, as one decision and one atomic file rewrite.</summary>
    public static class LibTorchSharpHostFix
    {
        /// <summary>The version GCC 13's iostream marker asks for.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>Symbols that may be bound to <see cref="Version"/>: markers that nothing calls.</summary>
        public static readonly IReadOnlyList<string> MarkerSymbols = new[] { "_ZSt21ios_base_library_initv" };

        /// <summary>
        /// The libstdc++ this process loaded (from /proc/self/maps), else the first one found in the usual
        /// library folders; null where there is none (not Linux, or a static runtime).
        /// </summary>
        public static string? FindHostLibstdcxx()
        {
            try
            {
                if (File.Exists("/proc/self/maps"))
                {
                    foreach (var line in File.ReadLines("/proc/self/maps"))
                    {
                        int slash = line.IndexOf('/');
                        if (slash < 0) continue;
                        string path = line.Substring(slash).Trim();
                        if (Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal) && File.Exists(path))
                            return path;
                    }
                }
            }
            catch (IOException)
            {
                // fall through to the usual folders
            }
            catch (UnauthorizedAccessException)
            {
                // fall through to the usual folders
            }
            string[] folders = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
            return folders.Select(f => Path.Combine(f, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        }

        /// <summary>
        /// Marks <see cref="Version"/> weak in <paramref name="libraryPath"/> when the host libstdc++ lacks it.
        /// The file is rewritten through a temporary file and a rename, so a hard link into a package cache
        /// is replaced rather than changed, and an interrupted patch leaves the original in place.
        /// </summary>
        public static HostFixOutcome Apply(string libraryPath, string hostLibstdcxx, Action<string> log)
        {
            var hostVersions = ElfVersioning.DefinedVersions(File.ReadAllBytes(hostLibstdcxx), hostLibstdcxx);
            if (hostVersions.Contains(Version))
            {
                log($"{hostLibstdcxx} provides {Version}; {libraryPath} is left as it is.");
                return HostFixOutcome.NotNeeded;
            }

            byte[] original = File.ReadAllBytes(libraryPath);
            var missing = ElfVersioning.NeededVersions(original, libraryPath)
                .Where(v => v.File.StartsWith("libstdc++", StringComparison.Ordinal) && !hostVersions.Contains(v.Name))
                .ToList();
            if (missing.Count == 0)
            {
                log($"{libraryPath} needs no version that {hostLibstdcxx} lacks.");
                return HostFixOutcome.NotNeeded;
            }

            var beyondCure = missing.Where(v => v.Name != Version).Select(v => v.Name).Distinct().ToList();
            if (beyondCure.Count > 0)
                throw new InvalidOperationException(
                    $"{libraryPath} needs {string.Join(", ", beyondCure)} from libstdc++, which {hostLibstdcxx} does not provide. " +
                    $"Only {Version} (an unused marker) can be waived; install a newer libstdc++6 (GCC 13 or later) instead.");

            var needed = missing.First(v => v.Name == Version);
            var symbols = ElfVersioning.SymbolsOfVersion(original, needed.Index, libraryPath);
            var unsafeSymbols = symbols.Where(s => s.Relocated || !MarkerSymbols.Contains(s.Symbol)).Select(s => s.Symbol).ToList();
            if (unsafeSymbols.Count > 0)
                throw new InvalidOperationException(
                    $"{libraryPath} uses {string.Join(", ", unsafeSymbols)} at version {Version}, which {hostLibstdcxx} lacks. " +
                    $"Marking the version weak would break those calls; install a newer libstdc++6 (GCC 13 or later) instead.");

            if (missing.All(v => v.IsWeak))
            {
                log($"{libraryPath} already marks {Version} weak.");
                return HostFixOutcome.AlreadyPatched;
            }

            byte[] patched = ElfVersioning.MarkNeededVersionWeak(original, Version, libraryPath);
            var lastWrite = File.GetLastWriteTimeUtc(libraryPath);
            string temp = libraryPath + ".hw1-patch.tmp";
            File.WriteAllBytes(temp, patched);
            try
            {
                // Keep the original time stamp so incremental builds see the copy as up to date.
                File.SetLastWriteTimeUtc(temp, lastWrite);
                // A rename: replaces the directory entry, so a hard link elsewhere keeps the original bytes.
                File.Replace(temp, libraryPath, null);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            log($"{libraryPath}: marked {Version} weak ({string.Join(", ", symbols.Select(s => s.Symbol))} is an unused marker; host " +
                $"{hostLibstdcxx} lacks it).");
            return HostFixOutcome.Patched;
        }
    }

#if !HW1_HOST_FIX_TESTS
    /// <summary>MSBuild task: applies the fix to every libLibTorchSharp.so in a build's output.</summary>
    public class PatchLibTorchSharpForHost : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            string? host = LibTorchSharpHostFix.FindHostLibstdcxx();
            if (host == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    "No libstdc++ found on this host; libLibTorchSharp.so is left as it is.");
                return true;
            }
            foreach (var item in Files)
            {
                try
                {
                    var outcome = LibTorchSharpHostFix.Apply(item.ItemSpec, host,
                        m => Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, m));
                    if (outcome == HostFixOutcome.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"TorchSharp host fix: {item.ItemSpec} patched for {host}.");
                }
                catch (Exception e) when (e is InvalidOperationException || e is InvalidDataException || e is IOException ||
                    e is UnauthorizedAccessException)
                {
                    Log.LogError($"TorchSharp host fix: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
