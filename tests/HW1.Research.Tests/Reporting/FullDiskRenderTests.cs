using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Reporting;

/// <summary>
/// The real <c>render</c> command with its artifacts folder on a 3 MB filesystem that is almost full: a tmpfs mounted in a
/// private mount namespace (<c>unshare -rm</c>, which needs no root where unprivileged user namespaces are allowed, as on
/// Debian 12). Before the fix SkiaSharp's PDF writer threw through native code and the process died with SIGABRT.
/// </summary>
public sealed class FullDiskRenderTests : IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("hw1-fulldisk-src-").FullName;
    private readonly string _mount = Directory.CreateTempSubdirectory("hw1-fulldisk-mnt-").FullName;

    public void Dispose()
    {
        Directory.Delete(_source, recursive: true);
        Directory.Delete(_mount, recursive: true);
    }

    [SkippableFact]
    public void Render_on_a_full_disk_ends_with_one_clear_message_keeps_the_old_report_and_leaves_no_temporary()
    {
        foreach (var section in ReportRenderingTests.Sections()) SectionStore.Write(section, _source);
        // Inside the namespace: mount, copy the sections, put an old report in place, fill the disk to its last 64 KiB, render,
        // then list what is left (the mount vanishes with the namespace).
        const string script = """
            set -u
            mount -t tmpfs -o size=3m tmpfs "$1" || exit 90
            cp -r "$2"/. "$1"/
            mkdir -p "$1/quick/report" && printf 'the previous report' > "$1/quick/report/HW1-Report.pdf"
            free=$(df -k --output=avail "$1" | tail -1)
            head -c $(( (free - 64) * 1024 )) /dev/zero > "$1/filler"
            HW1_ARTIFACTS_DIR="$1" dotnet "$3" render --profile quick
            code=$?
            echo "== exit $code"
            echo "== temporaries"; find "$1" -name '*.tmp'
            echo "== old report"; cat "$1/quick/report/HW1-Report.pdf"; echo
            exit 0
            """;
        var (code, output, error) = ReportTool.RunProgram("unshare", ["-rm", "sh", "-c", script, "sh", _mount, _source, ReportTool.Dll()],
            TimeSpan.FromMinutes(3));
        // Some hosts forbid unprivileged user and mount namespaces (containers with a seccomp filter, AppArmor): the disk-full
        // path is then covered by AtomicFileTests' /dev/full case alone. On this suite's Debian machines and its CI it runs.
        Skip.If(code != 0, $"a private mount namespace could not be set up here (exit {code}): {error.Trim()}");

        // Exit 2 with one message (not 134, SIGABRT) naming the PDF (written first, so it is the write that meets the full disk:
        // before the fix SkiaSharp streamed it through a native callback), the full disk and what was kept; no stack trace.
        Assert.Contains("== exit 2", output, StringComparison.Ordinal);
        Assert.Contains($"error: {_mount}/quick/report/HW1-Report.pdf could not be written", error, StringComparison.Ordinal);
        Assert.Contains("the disk is full", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        var temporaries = output.Split("== temporaries")[1].Split("== old report")[0].Trim();
        Assert.Equal("", temporaries);
        Assert.Contains("== old report\nthe previous report", output, StringComparison.Ordinal);
    }
}
