using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research;

/// <summary>
/// The bits of four computations whose results depend on which CPU kernels LibTorch runs, covering each dispatcher the pin
/// holds: a log-softmax over 10 classes for 65,536 rows and a softmax down 1,000-long columns (exponentials and a long float32
/// reduction) from ATen's vectorized kernels, a 16-to-32-channel 5x5 convolution (oneDNN) and a 512x784x256 matrix product
/// (MKL). Plain float32 sums, means, norms, dot products, tanh, exp, log and the cross-entropy loss are not among them:
/// measured with LibTorch 2.10, they gave the same bits at every ATen capability (default, avx2, avx512).
/// Inputs come from a seeded managed generator, so they are the same on every machine whatever the kernels. Two processes
/// that print the same fingerprint ran the same kernels on these operations; the tests use it to show the pin wins over
/// the shell's variables.
/// </summary>
public sealed record KernelFingerprint(string Softmax, string Reduction, string Convolution, string Gemm)
{
    /// <summary>Each part by name, for comparisons that say which dispatcher differed.</summary>
    public IReadOnlyDictionary<string, string> Parts => new Dictionary<string, string>
    {
        ["softmax"] = Softmax,
        ["reduction"] = Reduction,
        ["convolution"] = Convolution,
        ["gemm"] = Gemm,
    };

    public override string ToString() => string.Join(" ", Parts.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Computes the fingerprint in this process on <paramref name="threads"/> intra-op threads.</summary>
    public static KernelFingerprint Compute(int threads = 1)
    {
        TorchRuntime.EnsureLoaded();
        var saved = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var random = new Random(20261127);
            var logits = tensor(Floats(random, 65536 * 10, scale: 4)).reshape(65536, 10);
            var softmax = nn.functional.log_softmax(logits, 1);
            var columns = tensor(Floats(random, 1000 * 1000, scale: 3)).reshape(1000, 1000);
            var reduction = columns.softmax(0);
            var images = tensor(Floats(random, 64 * 16 * 14 * 14)).reshape(64, 16, 14, 14);
            var filters = tensor(Floats(random, 32 * 16 * 25, scale: 0.05f)).reshape(32, 16, 5, 5);
            var convolution = nn.functional.conv2d(images, filters);
            var a = tensor(Floats(random, 512 * 784)).reshape(512, 784);
            var b = tensor(Floats(random, 784 * 256, scale: 0.05f)).reshape(784, 256);
            var product = mm(a, b);
            return new KernelFingerprint(Digest(softmax), Digest(reduction), Digest(convolution), Digest(product));
        }
        finally
        {
            set_num_threads(saved);
        }
    }

    private static float[] Floats(Random random, int count, float scale = 1f)
    {
        var result = new float[count];
        for (int i = 0; i < count; i++) result[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return result;
    }

    private static string Digest(Tensor t)
    {
        var floats = t.contiguous().data<float>().ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(floats.AsSpan())))[..16];
    }
}
