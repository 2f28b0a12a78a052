using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>
/// `alignment OFFSET product ROWS DEPTH COLUMNS [transposed]` and `alignment OFFSET elementwise N`: what a buffer's
/// start costs. The same call on buffers that start on a 64-byte boundary (<see cref="AlignedFloats"/>) and OFFSET
/// floats past one, alternating in one process (4 rounds each, best of 7 timings a round). The element-wise kernels:
/// <c>SimdKernels.AddTanhBackward</c> (three inputs, one output) and <c>SimdKernels.Tanh</c>.
/// </summary>
internal static class AlignmentCommand
{
    public static int Run(string[] args)
    {
        if (args.Length >= 3 && int.TryParse(args[0], out int offset) && offset is >= 0 and < 16)
        {
            if (args[1] == "elementwise" && args.Length == 3 && int.TryParse(args[2], out int n) && n > 0) return Elementwise(offset, n);
            if (args[1] == "product" && args.Length is 5 or 6 && int.TryParse(args[2], out int rows) && int.TryParse(args[3], out int depth)
                && int.TryParse(args[4], out int columns) && rows > 0 && depth > 0 && columns > 0 && (args.Length == 5 || args[5] == "transposed"))
                return Product(offset, rows, depth, columns, transposed: args.Length == 6);
        }
        Console.Error.WriteLine("usage: alignment OFFSET product ROWS DEPTH COLUMNS [transposed] | alignment OFFSET elementwise N   (OFFSET 0 to 15 floats)");
        return 2;
    }

    private static int Product(int offset, int rows, int depth, int columns, bool transposed)
    {
        var a = Filled(rows * depth, 97);
        var m = Filled(depth * columns + 16, 89);
        var c = new AlignedFloats(rows * columns + 16);
        int calls = (int)Math.Clamp(2e8 / ((double)rows * depth * columns), 10, 1_000_000);
        for (int round = 0; round < 4; round++)
            foreach (int at in new[] { 0, offset })
            {
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                void Once() => BlockProduct.MultiplyAdd(transposed ? new MatrixIn(a, 0, 1, rows) : new MatrixIn(a, 0, depth),
                    new MatrixIn(m, at, columns), new MatrixOut(c, at, columns), rows, depth, columns);
                Console.WriteLine($"{rows} x {depth} x {columns}{(transposed ? " (a transposed)" : "")}, m and c {at} floats past a 64-byte boundary: " +
                    $"{BestTime.Of(Once, calls) * 1e9:0} ns a call");
            }
        return 0;
    }

    private static int Elementwise(int offset, int n)
    {
        var (h, dh, dOutput) = (Filled(n + 16, 97), Filled(n + 16, 89), Filled(n + 16, 13));
        var dz = new AlignedFloats(n + 16);
        for (int round = 0; round < 4; round++)
            foreach (int at in new[] { 0, offset })
            {
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                void Backward() => SimdKernels.AddTanhBackward(h.AsSpan(at, n), dh.AsSpan(at, n), dOutput.AsSpan(at, n), dz.AsSpan(at, n));
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                void Forward() => SimdKernels.Tanh(h.AsSpan(at, n), dz.AsSpan(at, n));
                Console.WriteLine($"{n} elements {at} floats past a 64-byte boundary: AddTanhBackward {BestTime.Of(Backward, 100_000) * 1e9:0.0} ns, " +
                    $"Tanh {BestTime.Of(Forward, 100_000) * 1e9:0.0} ns");
            }
        return 0;
    }

    // n values in [-0.5, 0.5) from a fixed pattern, in a buffer on a 64-byte boundary
    private static AlignedFloats Filled(int n, int period)
    {
        var values = new AlignedFloats(n);
        for (int i = 0; i < n; i++) values[i] = (float)(i % period) / period - 0.5f;
        return values;
    }
}
