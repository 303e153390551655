using HW1.Research.Artifacts;

namespace HW1.Research.Tests.Artifacts;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hw1-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_creates_folders_and_replaces()
    {
        var path = Path.Combine(_dir, "a", "b.json");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["b.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_fails_halfway_leaves_the_old_file_and_no_temporary()
    {
        var path = Path.Combine(_dir, "result.json");
        AtomicFile.WriteAllText(path, "complete old result");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of a new"u8);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal("complete old result", File.ReadAllText(path));
        Assert.Equal(["result.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    /// <summary>Writes the first 4 KiB into the real temporary, then everything else into /dev/full, where the kernel answers ENOSPC.</summary>
    private sealed class FillsUp(string temporary) : Stream
    {
        private readonly FileStream _file = new(temporary, FileMode.CreateNew, FileAccess.Write);
        private readonly FileStream _full = new("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _file.Length;
        public override long Position { get => _file.Position; set => throw new NotSupportedException(); }
        public override void Flush() => _file.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            int first = (int)Math.Clamp(4096 - _file.Length, 0, count);
            _file.Write(buffer, offset, first);
            if (count > first)
            {
                _full.Write(buffer, offset + first, count - first);
                _full.Flush();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                _full.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void A_full_disk_is_one_clear_error_naming_the_file_and_the_old_file_stays_with_no_temporary()
    {
        var path = Path.Combine(_dir, "HW1-Report.pdf");
        AtomicFile.WriteAllText(path, "the previous report");

        var e = Assert.Throws<ArtifactWriteException>(() =>
            AtomicFile.Write(path, stream => stream.Write(new byte[64 * 1024]), temporary => new FillsUp(temporary)));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("the disk is full", e.Message, StringComparison.Ordinal);
        Assert.Contains("previous version of the file is unchanged", e.Message, StringComparison.Ordinal);
        Assert.Equal("the previous report", File.ReadAllText(path));
        Assert.Equal(["HW1-Report.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Old_temporaries_left_by_a_crashed_process_are_removed_and_a_running_or_recent_ones_are_kept()
    {
        var path = Path.Combine(_dir, "summary.md");
        // No process has the largest pid; pid 1 always runs.
        var crashed = Path.Combine(_dir, $".summary.md.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        var running = Path.Combine(_dir, $".summary.md.1.{Guid.NewGuid():N}.tmp");
        var unrelated = Path.Combine(_dir, ".notes.tmp");
        var recentCrash = Path.Combine(_dir, $".summary.md.{int.MaxValue - 1}.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { crashed, running, unrelated, recentCrash }) File.WriteAllText(f, "partial");
        var hourAgo = DateTime.UtcNow.AddHours(-1);
        foreach (var f in new[] { crashed, running, unrelated }) File.SetLastWriteTimeUtc(f, hourAgo);

        AtomicFile.WriteAllText(path, "whole");

        Assert.False(File.Exists(crashed));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(unrelated));
        // A dead PID's temporary written a moment ago may be a live writer on another host sharing the folder: kept for now.
        Assert.True(File.Exists(recentCrash));
        Assert.Equal("whole", File.ReadAllText(path));
    }
}
