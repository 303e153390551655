using System.IO.Compression;
using HW1.Research.Data;

namespace HW1.Research.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hw1-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Images() => IdxFile.Encode([2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Reads_a_plain_file_with_its_shape_and_values()
    {
        var array = IdxFile.Read(Write("images", Images()), [2, 2, 3]);
        Assert.Equal([2, 2, 3], array.Shape);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255 }, array.Data);
    }

    [Fact]
    public void Reads_a_gzipped_file_the_same_way()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Images());
        var plain = IdxFile.Read(Write("plain", Images()));
        var zipped = IdxFile.Read(Write("zipped.gz", buffer.ToArray()));
        Assert.Equal(plain.Shape, zipped.Shape);
        Assert.Equal(plain.Data, zipped.Data);
    }

    [Fact]
    public void A_truncated_file_names_the_file_and_both_lengths()
    {
        var bytes = Images();
        var path = Write("short", bytes.AsSpan(0, bytes.Length - 1).ToArray());
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains($"expected exactly {bytes.Length} bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains($"found {bytes.Length - 1} bytes (truncated file)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_an_error()
    {
        var path = Write("long", [.. Images(), 7]);
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Contains("trailing bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_cut_short_is_an_error()
    {
        var path = Write("header", Images().AsSpan(0, 9).ToArray());
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Contains("expected a 16-byte header for rank 3, found 9 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_magic_number_is_an_error()
    {
        var bytes = Images();
        bytes[0] = 0x50; // e.g. a PNG or text file put in its place
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(Write("magic", bytes)));
        Assert.Contains("found 50 00 (not an IDX file)", e.Message, StringComparison.Ordinal);

        var floats = Images();
        floats[2] = 0x0D;
        var f = Assert.Throws<IdxFormatException>(() => IdxFile.Read(Write("float", floats)));
        Assert.Contains("expected data type 0x08 (unsigned byte), found 0x0D", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_rank_or_dimension_is_an_error()
    {
        var path = Write("images", Images());
        var rank = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path, [12]));
        Assert.Contains("expected rank 1 (magic 0x00000801), found rank 3 (magic 0x00000803)", rank.Message, StringComparison.Ordinal);
        var dims = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path, [2, 3, 2]));
        Assert.Contains("expected shape [2, 3, 2], found [2, 2, 3]", dims.Message, StringComparison.Ordinal);
        Assert.Equal([2, 2, 3], IdxFile.Read(path, [-1, 2, 3]).Shape);
    }

    [Fact]
    public void A_corrupt_gzip_stream_is_an_error()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Images());
        var bytes = buffer.ToArray();
        var path = Write("cut.gz", bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_the_file()
    {
        var path = Path.Combine(_dir, "absent");
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: the file does not exist", e.Message, StringComparison.Ordinal);
    }
}
