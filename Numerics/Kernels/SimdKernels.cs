using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The element-wise SIMD kernels of the layers (the matrix products are <see cref="BlockProduct"/>). Each is one
/// width-generic operator run by <c>Elementwise.Map</c> (the widest vector the CPU has, then narrower ones, then
/// the remainder on one lane), always with the same operation per element (IEEE add, multiply, divide, the rational
/// tanh), so every element's bits are those of <see cref="ScalarKernels"/> whatever the vector width or the
/// element's position.
/// </summary>
public static class SimdKernels
{
    // y: [n] += x: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination is shorter than the source", nameof(y));
        Elementwise.Map(new AddOperator(), y[..x.Length], x, y);
    }

    // rows[start + k stride + j] for k = 0, 1, ..., count - 1 (stride may be negative) -> y: [n] += each row in that
    //   order: y = ((y + row_0) + row_1) + ..., the bits of count Add calls, with y kept in registers between rows
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRows(ReadOnlySpan<float> rows, int start, int stride, int count, Span<float> y)
    {
        if (count <= 0 || y.IsEmpty) return;
        long span = (long)(count - 1) * stride;
        if (start + Math.Min(0, span) < 0 || start + Math.Max(0, span) + y.Length > rows.Length)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{count} rows of {y.Length} from {start}, {stride} apart, do not fit in {rows.Length} elements");
        var op = new AddRowsOp(ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), start), stride, count, ref MemoryMarshal.GetReference(y));
        Elementwise.Run(ref op, y.Length);
    }

    // groups of rows: row k of group g at rows[start + g groupStride + k stride] (strides may be negative) -> y: [n] +=
    //   each row, group after group, k = 0, 1, ..., count - 1 in each: the bits of count x groups Add calls in that
    //   order (of AddRows a group at a time). y stays in registers through every row, up to four vectors of it a pass
    //   (RowPass), their chains side by side: each row's add waits for the one before it, and AddRows runs the row's
    //   widths one after another (a 20-unit layer's bias gradient: a 512-bit chain, then a 128-bit one)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowGroups(ReadOnlySpan<float> rows, int start, int stride, int count, int groupStride, int groups, Span<float> y)
    {
        if (count <= 0 || groups <= 0 || y.IsEmpty) return;
        long span = (long)(count - 1) * stride, groupSpan = (long)(groups - 1) * groupStride;
        if (start + Math.Min(0, span) + Math.Min(0, groupSpan) < 0 || start + Math.Max(0, span) + Math.Max(0, groupSpan) + y.Length > rows.Length)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{groups} groups of {count} rows of {y.Length} from {start}, {stride} apart (groups {groupStride} apart), do not fit in {rows.Length} elements");
        ref float first = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), start);
        ref float sum = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated && y.Length >= V512.Count) AddRowGroups<V512>(ref first, stride, count, groupStride, groups, ref sum, y.Length);
        else if (Vector256.IsHardwareAccelerated && y.Length >= V256.Count) AddRowGroups<V256>(ref first, stride, count, groupStride, groups, ref sum, y.Length);
        else if (Vector128.IsHardwareAccelerated && y.Length >= V128.Count) AddRowGroups<V128>(ref first, stride, count, groupStride, groups, ref sum, y.Length);
        else
            for (int g = 0; g < groups; g++) AddRows(rows, start + g * groupStride, stride, count, y);
    }

    // AddRowGroups for n >= TV.Count: passes of up to four vectors (the last ending at n), each through every row
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRowGroups<TV>(ref float first, nint stride, int count, nint groupStride, int groups, ref float y, int n)
        where TV : struct, IVector<TV>, IVectorMemory<TV>
    {
        for (var pass = RowPass.First<TV>(n); pass.Count > 0; pass = pass.Next<TV>(n))
        {
            var (p0, p1, p2, p3) = (pass.P0, pass.P1, pass.P2, pass.P3);
            TV y0 = TV.Load(ref y, p0), y1 = TV.Load(ref y, p1), y2 = TV.Load(ref y, p2), y3 = TV.Load(ref y, p3);
            ref float group = ref first;
            for (int g = 0; g < groups; g++, group = ref Unsafe.Add(ref group, groupStride))
            {
                ref float row = ref group;
                // a pass of fewer than four vectors loads each of its own once (its repeats of the last would be loads too)
                if (pass.Count == 1)
                    for (int i = 0; i < count; i++, row = ref Unsafe.Add(ref row, stride)) y0 += TV.Load(ref row, p0);
                else if (pass.Count == 2)
                    for (int i = 0; i < count; i++, row = ref Unsafe.Add(ref row, stride))
                    {
                        y0 += TV.Load(ref row, p0);
                        y1 += TV.Load(ref row, p1);
                    }
                else if (pass.Count == 3)
                    for (int i = 0; i < count; i++, row = ref Unsafe.Add(ref row, stride))
                    {
                        y0 += TV.Load(ref row, p0);
                        y1 += TV.Load(ref row, p1);
                        y2 += TV.Load(ref row, p2);
                    }
                else
                    for (int i = 0; i < count; i++, row = ref Unsafe.Add(ref row, stride))
                    {
                        y0 += TV.Load(ref row, p0);
                        y1 += TV.Load(ref row, p1);
                        y2 += TV.Load(ref row, p2);
                        y3 += TV.Load(ref row, p3);
                    }
            }
            // only the pass's own vectors: its repeats of the last were not added to
            TV.Store(y0, ref y, p0);
            if (pass.Count > 1) TV.Store(y1, ref y, p1);
            if (pass.Count > 2) TV.Store(y2, ref y, p2);
            if (pass.Count > 3) TV.Store(y3, ref y, p3);
        }
    }

    private readonly ref struct AddRowsOp(ref float first, nint stride, int count, ref float y) : IElementwiseOp
    {
        private readonly ref float first = ref first, y = ref y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var sum = TM.Load(ref y, at);
            nint k = at;
            for (int i = 0; i < count; i++, k += stride) sum += TM.Load(ref first, k);
            TM.Store(sum, ref y, at);
        }
    }

    // values: [n] -> rows: [n, width] (=), row i every element values[i]: the bias rows where z_t^T [G, B] accumulates.
    // A row at a time, one broadcast a row stored in vectors of the widest width that fits in the row, the last one
    // ending at the row's end (overlapping the one before it where the width is not a multiple); rows narrower than
    // 4 by Span.Fill. 60 x 32 (the chapter GRU's): 110 -> 49 ns against Span.Fill a row (a call and its checks for a
    // row of two vectors; AVX-512 host, 2026-12-04)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillRows(ReadOnlySpan<float> values, Span<float> rows, int width)
    {
        if (values.IsEmpty || width <= 0) return;
        if (rows.Length < (long)values.Length * width)
            throw new ArgumentException($"{values.Length} rows of {width} do not fit in {rows.Length} elements", nameof(rows));
        ref float first = ref MemoryMarshal.GetReference(rows);
        if (Vector512.IsHardwareAccelerated && width >= V512.Count) FillRows<V512>(values, ref first, width);
        else if (Vector256.IsHardwareAccelerated && width >= V256.Count) FillRows<V256>(values, ref first, width);
        else if (Vector128.IsHardwareAccelerated && width >= V128.Count) FillRows<V128>(values, ref first, width);
        else for (int i = 0; i < values.Length; i++) rows.Slice(i * width, width).Fill(values[i]);
    }

    // values: [n] -> rows: [n, width] (=), width >= TV.Count; a call of its own per width (inlined, the callers that
    // inline FillRows left it as a call: InliningTests)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FillRows<TV>(ReadOnlySpan<float> values, ref float rows, int width) where TV : struct, IVector<TV>, IVectorMemory<TV>
    {
        nint last = width - TV.Count;
        ref float row = ref rows;
        for (int i = 0; i < values.Length; i++, row = ref Unsafe.Add(ref row, width))
        {
            var value = TV.Broadcast(values[i]);
            for (nint j = 0; j < last; j += TV.Count) TV.Store(value, ref row, j);
            TV.Store(value, ref row, last);
        }
    }

    // x: [n] /= divisor
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(Span<float> x, float divisor) => Elementwise.Map(new DivideOperator(divisor), x, x);

    // h: [n] = tanh(z: [n]) by RationalTanh (h may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<float> z, Span<float> h) => Elementwise.Map(new TanhOperator(), z, h);

    // h, dh: [n] -> dz: [n] = dh * (1 - h*h), the derivative of h = tanh(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz) =>
        Elementwise.Map(new TanhBackwardOperator(), h, dh, dz);

    // h, dh, dOutput: [n] -> dz: [n] = (dh + dOutput) * (1 - h*h): the bits of Add(dOutput, dh), then TanhBackward, in one
    // pass (dL/dh_t from step t + 1 and from the output of step t)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddTanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, ReadOnlySpan<float> dOutput, Span<float> dz) =>
        Elementwise.Map(new AddTanhBackwardOperator(), h, dh, dOutput, dz);

    // z: [n] -> y: [n] = z > 0 ? z : 0 (NaN and -0 give +0); y may be z (Conv1D's activation)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> z, Span<float> y) => Elementwise.Map(new ReluOperator(), z, y);

    // y, dy: [n] -> dz: [n] = y > 0 ? dy : 0, the derivative of y = relu(z); dz may be dy
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        Elementwise.Map(new ReluBackwardOperator(), y, dy, dz);

    // y + x, in that order, as ScalarKernels.Add
    private readonly struct AddOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV x, TV y) where TV : struct, IVector<TV> => y + x;
    }

    private readonly struct DivideOperator(float divisor) : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV x) where TV : struct, IVector<TV> => x / TV.Broadcast(divisor);
    }

    private readonly struct TanhOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z) where TV : struct, IVector<TV> => RationalTanh.Of(z);
    }

    private readonly struct TanhBackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV h, TV dh) where TV : struct, IVector<TV> => dh * (TV.Broadcast(1f) - h * h);
    }

    private readonly struct AddTanhBackwardOperator : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV h, TV dh, TV dOutput) where TV : struct, IVector<TV> => (dh + dOutput) * (TV.Broadcast(1f) - h * h);
    }

    private readonly struct ReluOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z) where TV : struct, IVector<TV> => TV.WhereGreaterThan(z, TV.Broadcast(0f), z, TV.Broadcast(0f));
    }

    private readonly struct ReluBackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV y, TV dy) where TV : struct, IVector<TV> => TV.WhereGreaterThan(y, TV.Broadcast(0f), dy, TV.Broadcast(0f));
    }
}
