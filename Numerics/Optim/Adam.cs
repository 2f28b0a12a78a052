using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Optim;

/// <summary>
/// Adam over one flat parameter vector, moments m and v in the same layout, exactly as REFERENCE writes it:
/// <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; lr_t = lr*sqrt(1-b2^t)/(1-b1^t); p -= lr_t*m/(sqrt(v)+eps)</c>.
/// lr_t is computed in double once per step and rounded to float; everything per element is float32 with plain
/// (unfused) multiply and add, identical in the vector lanes and in the scalar remainder.
/// </summary>
public sealed class Adam
{
    private readonly float[] _m;
    private readonly float[] _v;

    public Adam(int parameterCount, AdamSettings settings) : this(settings, new float[parameterCount], new float[parameterCount], 0)
    {
    }

    /// <summary>Adam going on from a saved state: these moment arrays (updated in place from now on) after <paramref name="step"/> steps.</summary>
    public Adam(AdamSettings settings, float[] m, float[] v, long step)
    {
        if (m.Length != v.Length) throw new ArgumentException($"moments of {m.Length} and {v.Length} values");
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        Settings = settings;
        _m = m;
        _v = v;
        Step = step;
    }

    public AdamSettings Settings { get; }

    /// <summary>Steps applied so far (t of the formula after the next <see cref="Apply"/> is Step + 1).</summary>
    public long Step { get; private set; }

    /// <summary>First moment, [parameters].</summary>
    public ReadOnlySpan<float> M => _m;

    /// <summary>Second moment, [parameters].</summary>
    public ReadOnlySpan<float> V => _v;

    /// <summary>The step size of step t: lr * sqrt(1 - b2^t) / (1 - b1^t), in double, rounded to float.</summary>
    public static float StepSize(AdamSettings s, long t) =>
        (float)(s.LearningRate * Math.Sqrt(1.0 - Math.Pow(s.Beta2, t)) / (1.0 - Math.Pow(s.Beta1, t)));

    // parameters, gradients: [parameters]; one update with the next step number
    public void Apply(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != _m.Length || gradients.Length != _m.Length)
            throw new ArgumentException($"expected {_m.Length} parameters and gradients");
        Step++;
        Update(parameters, gradients, _m, _v, Settings, StepSize(Settings, Step));
    }

    // p, g, m, v: [n]; the per-element update with step size lrT
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamSettings s, float lrT)
    {
        int n = p.Length;
        float b1 = s.Beta1, b2 = s.Beta2, c1 = 1f - s.Beta1, c2 = 1f - s.Beta2, eps = s.Epsilon;
        ref float ps = ref MemoryMarshal.GetReference(p);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float ms = ref MemoryMarshal.GetReference(m);
        ref float vs = ref MemoryMarshal.GetReference(v);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb1 = Vector512.Create(b1); var vb2 = Vector512.Create(b2); var vc1 = Vector512.Create(c1);
            var vc2 = Vector512.Create(c2); var veps = Vector512.Create(eps); var vlr = Vector512.Create(lrT);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var gj = Vector512.LoadUnsafe(ref gs, (nuint)j);
                var mj = vb1 * Vector512.LoadUnsafe(ref ms, (nuint)j) + vc1 * gj;
                var vj = vb2 * Vector512.LoadUnsafe(ref vs, (nuint)j) + vc2 * (gj * gj);
                var pj = Vector512.LoadUnsafe(ref ps, (nuint)j) - vlr * mj / (Vector512.Sqrt(vj) + veps);
                mj.StoreUnsafe(ref ms, (nuint)j); vj.StoreUnsafe(ref vs, (nuint)j); pj.StoreUnsafe(ref ps, (nuint)j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1); var vb2 = Vector256.Create(b2); var vc1 = Vector256.Create(c1);
            var vc2 = Vector256.Create(c2); var veps = Vector256.Create(eps); var vlr = Vector256.Create(lrT);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var gj = Vector256.LoadUnsafe(ref gs, (nuint)j);
                var mj = vb1 * Vector256.LoadUnsafe(ref ms, (nuint)j) + vc1 * gj;
                var vj = vb2 * Vector256.LoadUnsafe(ref vs, (nuint)j) + vc2 * (gj * gj);
                var pj = Vector256.LoadUnsafe(ref ps, (nuint)j) - vlr * mj / (Vector256.Sqrt(vj) + veps);
                mj.StoreUnsafe(ref ms, (nuint)j); vj.StoreUnsafe(ref vs, (nuint)j); pj.StoreUnsafe(ref ps, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            float gj = Unsafe.Add(ref gs, j);
            float mj = b1 * Unsafe.Add(ref ms, j) + c1 * gj;
            float vj = b2 * Unsafe.Add(ref vs, j) + c2 * (gj * gj);
            Unsafe.Add(ref ps, j) = Unsafe.Add(ref ps, j) - lrT * mj / (MathF.Sqrt(vj) + eps);
            Unsafe.Add(ref ms, j) = mj;
            Unsafe.Add(ref vs, j) = vj;
        }
    }
}
