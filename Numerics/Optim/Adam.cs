using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Optim;

/// <summary>
/// Adam over one flat parameter vector, moments m and v in the same layout, exactly as REFERENCE writes it:
/// <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; lr_t = lr*sqrt(1-b2^t)/(1-b1^t); p -= lr_t*m/(sqrt(v)+eps)</c>.
/// lr_t is computed in double once per step and rounded to float; everything per element is float32 with plain
/// (unfused) multiply and add, one width-generic loop (<see cref="Elementwise"/>), identical in every lane.
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
        (Settings, _m, _v, Step) = (settings, m, v, step);
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
        if (g.Length != p.Length || m.Length != p.Length || v.Length != p.Length) throw new ArgumentException("spans differ in length");
        var op = new UpdateOp(s, lrT, ref MemoryMarshal.GetReference(p), ref MemoryMarshal.GetReference(g),
            ref MemoryMarshal.GetReference(m), ref MemoryMarshal.GetReference(v));
        Elementwise.Run(ref op, p.Length);
    }

    // m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g; p -= lrT m / (sqrt(v) + eps): unfused, the same on every lane
    private readonly ref struct UpdateOp(AdamSettings s, float lrT, ref float p, ref float g, ref float m, ref float v) : IElementwiseOp
    {
        private readonly ref float _p = ref p, _g = ref g, _m = ref m, _v = ref v;
        private readonly float _b1 = s.Beta1, _b2 = s.Beta2, _c1 = 1f - s.Beta1, _c2 = 1f - s.Beta2, _eps = s.Epsilon, _lrT = lrT;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var g = TM.Load(ref _g, at);
            var m = TV.Broadcast(_b1) * TM.Load(ref _m, at) + TV.Broadcast(_c1) * g;
            var v = TV.Broadcast(_b2) * TM.Load(ref _v, at) + TV.Broadcast(_c2) * (g * g);
            var p = TM.Load(ref _p, at) - TV.Broadcast(_lrT) * m / (TV.Sqrt(v) + TV.Broadcast(_eps));
            TM.Store(m, ref _m, at);
            TM.Store(v, ref _v, at);
            TM.Store(p, ref _p, at);
        }
    }
}
