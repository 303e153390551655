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
}
