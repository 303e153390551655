using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using HW1.Research.Artifacts;
using HW1.Research.Data;

namespace HW1.Research.Reporting;

/// <summary>
/// The machine a run used: the CPU with its model, vendor, family and the instruction sets that decide LibTorch's kernels, and
/// the CPU kernels the rendering process runs (each section records those of the process that measured it).
/// </summary>
public sealed record MachineInfo(string OperatingSystem, string Cpu, int Cores, double MemoryGiB, string Runtime)
{
    /// <summary>The kernel levels in force in this process, e.g. "pinned: ATen avx2, oneDNN AVX2, MKL COMPATIBLE".</summary>
    public string? Kernels { get; init; }

    public static MachineInfo Current() => new(
        RuntimeInformation.OSDescription,
        CpuFeatures.Current().ToString(),
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.FrameworkDescription)
    {
        Kernels = CpuKernels.State.Description,
    };
}

/// <summary>A data file the run used, with the SHA-256 it was verified against.</summary>
public sealed record DataFileInfo(string Dataset, string File, string Sha256);

/// <summary>A section as the manifest lists it, with the CPU kernels, CPU and thread count of the process that measured it.</summary>
public sealed record SectionInfo(string Id, string Title, SectionStatus Status, double WallSeconds, double PeakMemoryMiB)
{
    public string? Kernels { get; init; }
    public string? Cpu { get; init; }
    public int? Threads { get; init; }
    /// <summary>The section's content digest (SHA-256), as written by the process that measured it.</summary>
    public string? Digest { get; init; }

    public static SectionInfo Of(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new SectionInfo(section.Id, section.Title, section.Status, section.WallSeconds, section.PeakMemoryMiB)
        {
            Kernels = section.Kernels,
            Cpu = section.Cpu,
            Threads = section.Threads,
            Digest = section.Digest,
        };
    }
}

/// <summary>
/// The run manifest: what produced a report (commit, machine, library versions, data checksums, wall times),
/// written beside the PDF as <c>manifest.json</c>.
/// </summary>
public sealed record RunManifest(string Profile, DateTimeOffset CreatedUtc, SourceInfo Source, MachineInfo Machine, string Torch)
{
    public IReadOnlyList<DataFileInfo> Data { get; init; } = [];
    public IReadOnlyList<SectionInfo> Sections { get; init; } = [];
    public PipelineLog? Pipeline { get; init; }

    /// <summary>SHA-256 over every section's id and digest (<see cref="SectionDigest.OfRun"/>): one number that names the whole run's
    /// content.</summary>
    public string? RunDigest { get; init; }

    /// <summary>Sections that were expected from the pipeline's experiments but are missing or stale, with the reason.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Where the CI run that rendered the report can be seen (its artifacts hold the PDF and figures); null outside CI.</summary>
    public string? RunUrl { get; init; }

    private static readonly JsonSerializerOptions Json = new(ArtifactJson.Options)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The data files of every data set the suite uses, with their expected checksums.</summary>
    public static IReadOnlyList<DataFileInfo> DataFiles() =>
        new[] { Mnist.Spec(), FashionMnist.Spec() }
            .SelectMany(spec => spec.Files.Select(f => new DataFileInfo(spec.Name, f.Name, f.Sha256)))
            .ToList();

    public string Write(string path)
    {
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        return path;
    }
}
