using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>
/// `transpose ROWS COLUMNS [T_ROW]`: one <see cref="Transpose.Matrix(ReadOnlySpan{float}, int, int, Span{float}, int)"/>
/// of m [ROWS, COLUMNS] into t [COLUMNS, ROWS] with t's rows T_ROW apart (ROWS by default), timed alone (best of 7
/// rounds of many calls, after a warm-up): ns a call and floats moved per ns. The shapes the layers call: 80 32 4000
/// (the chapter LSTM's dz_t^T into the sample-major [B, T, G], step by step), 32 1000 (a 20-unit layer's dy into
/// [T U, B]), 1000 32 (its states out of it).
/// </summary>
internal static class TransposeCommand
{
    public static int Run(string[] args)
    {
        int tRow = 0;
        if (args.Length is < 2 or > 3 || !int.TryParse(args[0], out int rows) || !int.TryParse(args[1], out int columns)
            || rows < 1 || columns < 1 || (args.Length == 3 && (!int.TryParse(args[2], out tRow) || tRow < rows)))
        {
            Console.Error.WriteLine("usage: transpose ROWS COLUMNS [T_ROW]   (each at least 1, T_ROW at least ROWS)");
            return 2;
        }
        if (args.Length == 2) tRow = rows;
        var m = new float[rows * columns];
        for (int i = 0; i < m.Length; i++) m[i] = i;
        var t = new float[(columns - 1) * tRow + rows];
        int calls = (int)Math.Clamp(1e8 / ((double)rows * columns), 10, 1_000_000);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see BestTime.Of
        void Once() => Transpose.Matrix(m, rows, columns, t, tRow);
        double best = BestTime.Of(Once, calls);
        Console.WriteLine($"[{rows}, {columns}] -> [{columns}, {rows}] (t's rows {tRow} apart): {best * 1e9:0} ns a call, " +
            $"{rows * (double)columns / (best * 1e9):0.00} floats a ns");
        return 0;
    }
}
