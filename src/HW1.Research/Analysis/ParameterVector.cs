using TorchSharp;
using static TorchSharp.torch;

namespace HW1.Research.Analysis;

/// <summary>A model's parameters as one flat vector: read, written, and moved along directions.</summary>
public static class ParameterVector
{
    /// <summary>All parameter values, in the module's parameter order, as one float array.</summary>
    public static float[] Flatten(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        return cat(parameters.Select(p => p.detach().reshape(-1)).ToArray()).data<float>().ToArray();
    }

    /// <summary>Cuts a flat vector (in <see cref="Flatten"/>'s order) into tensors shaped and typed like <paramref name="like"/>.</summary>
    public static Tensor[] Split(Tensor flat, IList<Tensor> like)
    {
        ArgumentNullException.ThrowIfNull(flat);
        ArgumentNullException.ThrowIfNull(like);
        var parts = new Tensor[like.Count];
        long offset = 0;
        for (int i = 0; i < like.Count; i++)
        {
            long n = like[i].numel();
            parts[i] = flat.narrow(0, offset, n).reshape(like[i].shape).to_type(like[i].dtype);
            offset += n;
        }
        return parts;
    }

    /// <summary>Detached copies of the parameters.</summary>
    public static Tensor[] Snapshot(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select(p => p.detach().clone()).ToArray();
    }

    /// <summary>Sets each parameter to <c>origin + Σ coefficient·direction</c> (in place, without gradients).</summary>
    public static void SetTo(IList<Tensor> parameters, IList<Tensor> origin, params (double Coefficient, IList<Tensor> Direction)[] moves)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(moves);
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            var value = origin[i].clone();
            foreach (var (c, d) in moves)
            {
                using var alpha = c.ToScalar();
                value.add_(d[i], alpha: alpha);
            }
            parameters[i].copy_(value);
        }
    }
}
