using System.Buffers.Binary;
using System.IO.Compression;

namespace HW1.Research.Data;

/// <summary>An unsigned-byte IDX array: its shape and its values in row-major order.</summary>
public sealed class IdxArray(int[] shape, byte[] data)
{
    public IReadOnlyList<int> Shape { get; } = shape;
    public byte[] Data { get; } = data;
    public long[] TensorShape => Shape.Select(d => (long)d).ToArray();
}

/// <summary>Raised for any IDX file that is not exactly what was expected; the message names the file.</summary>
public sealed class IdxFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;
}

/// <summary>
/// Reads IDX files (the MNIST format: two zero bytes, a type code, the rank, one big-endian 32-bit size per
/// dimension, then the values), plain or gzip-compressed, with strict checks of every header field and of
/// the exact length. Only unsigned-byte data (type 0x08) is accepted: it is what MNIST and Fashion-MNIST use.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads and checks a file; <paramref name="expectedShape"/> entries of -1 accept any size.</summary>
    public static IdxArray Read(string path, IReadOnlyList<int>? expectedShape = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new IdxFormatException(path, "the file does not exist.");
        }
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            bytes = Gunzip(path, bytes);
        return Parse(path, bytes, expectedShape);
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="path"/> is used in messages only.</summary>
    public static IdxArray Parse(string path, byte[] bytes, IReadOnlyList<int>? expectedShape = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 4)
            throw new IdxFormatException(path, $"expected an IDX header of at least 4 bytes, found {bytes.Length} bytes (truncated file).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException(path,
                $"expected an IDX magic number starting with 00 00, found {bytes[0]:X2} {bytes[1]:X2} (not an IDX file).");
        if (bytes[2] != UnsignedByte)
            throw new IdxFormatException(path, $"expected data type 0x08 (unsigned byte), found 0x{bytes[2]:X2}.");
        int rank = bytes[3];
        if (rank < 1)
            throw new IdxFormatException(path, "expected a rank of at least 1, found 0.");
        if (expectedShape != null && rank != expectedShape.Count)
            throw new IdxFormatException(path,
                $"expected rank {expectedShape.Count} (magic 0x0000080{expectedShape.Count:X}), found rank {rank} (magic 0x0000080{rank:X}).");
        int header = 4 + (4 * rank);
        if (bytes.Length < header)
            throw new IdxFormatException(path, $"expected a {header}-byte header for rank {rank}, found {bytes.Length} bytes (truncated file).");

        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i), 4));
            if (size < 0)
                throw new IdxFormatException(path, $"dimension {i} has a negative size {size}.");
            if (expectedShape != null && expectedShape[i] >= 0 && expectedShape[i] != size)
                throw new IdxFormatException(path, $"expected shape [{FormatShape(expectedShape)}], found [{FormatShape(ReadShape(bytes, rank))}].");
            shape[i] = size;
            count *= size;
        }

        long expectedLength = header + count;
        if (bytes.Length != expectedLength)
        {
            var what = bytes.Length < expectedLength ? "truncated file" : "trailing bytes after the data";
            throw new IdxFormatException(path,
                $"expected exactly {expectedLength} bytes for shape [{FormatShape(shape)}], found {bytes.Length} bytes ({what}).");
        }
        return new IdxArray(shape, bytes.AsSpan(header).ToArray());
    }

    /// <summary>Encodes an unsigned-byte IDX file (used to build test fixtures and tools).</summary>
    public static byte[] Encode(IReadOnlyList<int> shape, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var bytes = new byte[4 + (4 * shape.Count) + data.Length];
        bytes[2] = UnsignedByte;
        bytes[3] = checked((byte)shape.Count);
        for (int i = 0; i < shape.Count; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i), 4), shape[i]);
        data.CopyTo(bytes.AsSpan(4 + (4 * shape.Count)));
        return bytes;
    }

    private static int[] ReadShape(byte[] bytes, int rank) =>
        Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i), 4))).ToArray();

    private static string FormatShape(IEnumerable<int> shape) =>
        string.Join(", ", shape.Select(d => d < 0 ? "any" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] Gunzip(string path, byte[] compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new IdxFormatException(path, $"expected a valid gzip stream, found a corrupt or truncated one ({e.Message}).");
        }
    }
}
