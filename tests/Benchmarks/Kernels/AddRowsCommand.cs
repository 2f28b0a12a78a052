using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>
/// `add-rows WIDTH STEPS SAMPLES`: a bias gradient's sum of a step-major copy [T, B, W] (rows (b, t), each sample's
/// last step first, sample after sample) into y [W], timed alone (best of 7 rounds of many calls): AddRows a sample at
/// a time (each width's chain after the other's) against AddRowGroups (every sample in one call, the row's vectors'
/// chains side by side). The layers' shapes: 20 50 32 (a 20-unit layer), 60 50 32 (the chapter GRU's input bias).
/// </summary>
internal static class AddRowsCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[0], out int width) || !int.TryParse(args[1], out int steps) || !int.TryParse(args[2], out int samples)
            || width < 1 || steps < 1 || samples < 1)
        {
            Console.Error.WriteLine("usage: add-rows WIDTH STEPS SAMPLES   (each at least 1)");
            return 2;
        }
        var rows = new float[steps * samples * width];
        for (int i = 0; i < rows.Length; i++) rows[i] = (i % 97) * 0.01f;
        var y = new float[width];
        int stepStride = samples * width, last = (steps - 1) * stepStride;
        int calls = (int)Math.Clamp(1e8 / rows.Length, 10, 1_000_000);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see BestTime.Of
        void BySample()
        {
            for (int b = 0; b < samples; b++) SimdKernels.AddRows(rows, last + b * width, -stepStride, steps, y);
        }
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void InGroups() => SimdKernels.AddRowGroups(rows, last, -stepStride, steps, width, samples, y);
        for (int round = 0; round < 2; round++)
        {
            double bySample = BestTime.Of(BySample, calls), inGroups = BestTime.Of(InGroups, calls);
            Console.WriteLine($"[{steps}, {samples}, {width}]: AddRows a sample at a time {bySample * 1e9:0} ns, AddRowGroups {inGroups * 1e9:0} ns");
        }
        return 0;
    }
}
