using System.Numerics;
using System.Runtime.InteropServices;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>The divergence check of every step: a loss or any gradient value that is NaN or infinite.</summary>
public static class NonFinite
{
    // gradient: [parameters]; throws DivergedException naming the first tensor (in views' order) holding a non-finite value
    public static void Check(long step, double loss, ReadOnlySpan<float> gradient, IReadOnlyList<ParameterView> views)
    {
        int first = FirstIndex(gradient);
        if (first < 0 && double.IsFinite(loss)) return;
        string tensor = first < 0 ? "loss" : views.FirstOrDefault(v => first >= v.Offset && first < v.Offset + v.Size)?.Name ?? $"parameter {first}";
        throw new DivergedException(step, tensor, loss);
    }

    /// <summary>The index of the first NaN or infinity, or -1. x - x is 0 for a finite x and NaN otherwise.</summary>
    public static int FirstIndex(ReadOnlySpan<float> x)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var any = Vector<float>.Zero;
        foreach (var v in vectors) any += v - v;
        bool suspect = !Vector.EqualsAll(any, Vector<float>.Zero);
        for (int i = vectors.Length * Vector<float>.Count; i < x.Length; i++) suspect |= !float.IsFinite(x[i]);
        if (!suspect) return -1;
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i])) return i;
        return -1;
    }
}
