using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The one loop of every element-wise kernel: the op over elements 0..n-1 with the widest vector the CPU accelerates
/// (512, then 256, then 128 bits, each as far as whole vectors fit), then the remainder one element at a time on
/// lane 0 of a 128-bit vector. Every element gets the same operations whatever its position, so its bits do not depend
/// on the width (<c>VectorWidthTests</c> checks that with narrower widths forced in a child process). <c>Map</c>
/// runs a one-output operator over spans (the destination may be one of the inputs: each element is read before it is
/// written); kernels with several outputs give <see cref="Run"/> their own <see cref="IElementwiseOp"/>.
/// </summary>
public static class Elementwise
{
    // a method of its own for each op, optimised from the start and never inlined: a caller compiled again at tier 1
    // with profile data (the layer's loop, with the cell's step inlined by its virtual call's profile) used up its
    // inlining budget and left the loop, or the op's Apply, as a call made at every vector (InliningTests)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOp>(ref TOp op, int n) where TOp : IElementwiseOp, allows ref struct
    {
        // the vector loops run on a copy of op: op itself goes by reference to Tail, which kept its fields in memory,
        // and the loops then reloaded every span's start from the stack at every vector (TernaryLoop: 5 loads a vector
        // beside its 3). 640 elements (a chapter step's [20, 32]), 64-byte aligned, best of 7 rounds in one process:
        // AddTanhBackward 76.5 -> 33.3 ns, Tanh 140 -> 102 ns
        var body = op;
        nint j = 0;
        if (Vector512.IsHardwareAccelerated) j = Loop<TOp, V512, V512>(ref body, j, n);
        if (Vector256.IsHardwareAccelerated) j = Loop<TOp, V256, V256>(ref body, j, n);
        if (j < n) Tail(ref op, j, n);
    }

    // the elements past the widest vectors: 128-bit vectors, then one at a time, each a call of its own, optimised from
    // the start. Inlined with the others, a large op (the LSTM step's) used up the caller's inlining budget, and the JIT
    // left the last copies' vector operations as calls (LstmStepKernel.Forward on an AVX2 host: V128.Load, Store, ...);
    // the LSTM op's 128-bit and one-lane copies in one method still went past it (InliningTests)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tail<TOp>(ref TOp op, nint j, int n) where TOp : IElementwiseOp, allows ref struct
    {
        if (Vector128.IsHardwareAccelerated) j = Loop<TOp, V128, V128>(ref op, j, n);
        if (j < n) Lanes(ref op, j, n);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Lanes<TOp>(ref TOp op, nint j, int n) where TOp : IElementwiseOp, allows ref struct => Loop<TOp, Lane, V128>(ref op, j, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Loop<TOp, TMemory, TVector>(ref TOp op, nint j, int n) where TOp : IElementwiseOp, allows ref struct
        where TMemory : IVectorMemory<TVector> where TVector : struct, IVector<TVector>
    {
        for (; j <= n - TMemory.Count; j += TMemory.Count) op.Apply<TMemory, TVector>(j);
        return j;
    }

    // x: [n] -> destination: [n] = op(x). The Map forms only check the spans and call Run (no vector code of their own),
    // so the JIT's own judgement of whether to inline them is enough
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        if (destination.Length < x.Length) throw new ArgumentException("destination is shorter than the source", nameof(destination));
        var loop = new UnaryLoop<TOp>(op, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(destination));
        Run(ref loop, x.Length);
    }

    // x, y: [n] -> destination: [n] = op(x, y)
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) where TOp : struct, IBinaryOperator
    {
        if (y.Length < x.Length || destination.Length < x.Length) throw new ArgumentException("spans differ in length");
        var loop = new BinaryLoop<TOp>(op, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(destination));
        Run(ref loop, x.Length);
    }

    // x, y, z: [n] -> destination: [n] = op(x, y, z)
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        if (y.Length < x.Length || z.Length < x.Length || destination.Length < x.Length) throw new ArgumentException("spans differ in length");
        var loop = new TernaryLoop<TOp>(op, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(z),
            ref MemoryMarshal.GetReference(destination));
        Run(ref loop, x.Length);
    }

    private readonly ref struct UnaryLoop<TOp>(TOp op, ref float x, ref float d) : IElementwiseOp where TOp : struct, IUnaryOperator
    {
        private readonly ref float x = ref x, d = ref d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(op.Invoke(TM.Load(ref x, at)), ref d, at);
    }

    private readonly ref struct BinaryLoop<TOp>(TOp op, ref float x, ref float y, ref float d) : IElementwiseOp where TOp : struct, IBinaryOperator
    {
        private readonly ref float x = ref x, y = ref y, d = ref d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(op.Invoke(TM.Load(ref x, at), TM.Load(ref y, at)), ref d, at);
    }

    private readonly ref struct TernaryLoop<TOp>(TOp op, ref float x, ref float y, ref float z, ref float d) : IElementwiseOp
        where TOp : struct, ITernaryOperator
    {
        private readonly ref float x = ref x, y = ref y, z = ref z, d = ref d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(op.Invoke(TM.Load(ref x, at), TM.Load(ref y, at), TM.Load(ref z, at)), ref d, at);
    }
}
