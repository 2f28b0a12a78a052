using System.Runtime.CompilerServices;
using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>
/// `product ROWS DEPTH COLUMNS [transposed|started]`: one <see cref="BlockProduct.MultiplyAdd"/> of the given shape, timed
/// alone (best of 7 rounds of many calls, after a warm-up), against the one-thread FMA loop. "transposed" reads a as
/// the weight gradients do (x^T: a's rows adjacent, k a whole row apart); "started" runs the recurrent step's form
/// (<see cref="BlockProduct.MultiplyAddTwoParts"/>, a read transposed, each row started from its bias; shapes that
/// <see cref="BlockProduct.PairBlocksFit"/> takes only). The shapes the layers call: 80 20 32 (the
/// chapter LSTM's step product), 20 50 20 transposed (a 20-unit layer's weight gradient), 50 20 20 (a convolution tap).
/// </summary>
internal static class ProductCommand
{
    public static int Run(string[] args)
    {
        if (args.Length is < 3 or > 4 || !int.TryParse(args[0], out int rows) || !int.TryParse(args[1], out int depth)
            || !int.TryParse(args[2], out int columns) || rows < 1 || depth < 1 || columns < 1 || (args.Length == 4 && args[3] is not ("transposed" or "started")))
        {
            Console.Error.WriteLine("usage: product ROWS DEPTH COLUMNS [transposed|started]   (each at least 1)");
            return 2;
        }
        string form = args.Length == 4 ? args[3] : "";
        bool transposed = form == "transposed", started = form == "started";
        if (started && !BlockProduct.PairBlocksFit(rows, columns))
        {
            Console.Error.WriteLine($"product: {rows} rows by {columns} columns do not run in pair blocks on this host (see BlockProduct.PairBlocksFit)");
            return 2;
        }
        var a = Filled(rows * depth, 1);
        var m = Filled(depth * columns, 2);
        var c = new float[rows * columns];
        var starts = Filled(rows, 3);
        // optimised from the start (see BestTime.Of)
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Once()
        {
            if (started)
                BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, rows), new MatrixIn(m, 0, columns), depth, default, 0, new MatrixOut(c, 0, columns),
                    rows, columns, starts);
            else
                BlockProduct.MultiplyAdd(transposed ? new MatrixIn(a, 0, 1, rows) : new MatrixIn(a, 0, depth),
                    new MatrixIn(m, 0, columns), new MatrixOut(c, 0, columns), rows, depth, columns);
        }
        int calls = (int)Math.Clamp(2e8 / ((double)rows * depth * columns), 10, 1_000_000);
        double best = BestTime.Of(Once, calls);
        double gflops = 2.0 * rows * depth * columns / best / 1e9;
        double peak = FmaCeiling.Measure(1, 1, CancellationToken.None).OneThread;
        Console.WriteLine($"{rows} x {depth} x {columns}{(transposed ? " (a transposed)" : started ? " (started)" : "")}: {best * 1e9:0} ns a call, " +
            $"{gflops:0.0} GFLOP/s, {100 * gflops / peak:0}% of the FMA loop's {peak:0.0}");
        return 0;
    }

    private static float[] Filled(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)random.NextDouble();
        return values;
    }
}
