using System.Diagnostics;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>How `product`, `transpose` and `lstm-step` time one kernel call: a warm-up of at least a second (whole rounds), then the best of 7 rounds.</summary>
internal static class BestTime
{
    // seconds a call of once, calls a round. Pass a local function marked MethodImplOptions.AggressiveOptimization, not a
    // lambda: left to tiering, the timed call and what it calls stayed quick-jitted (tier 0) through every round, whatever
    // the warm-up (perf's map said so), which added 20 to 40 ns to each call (`product 8 1 32 transposed` 82 ns, 44 ns with
    // DOTNET_TieredCompilation=0). Callees inside Numerics can stay tier 0 too, which this cannot reach: `transpose 60 32`
    // reads 148 ns, 130 ns with DOTNET_TieredCompilation=0, its Transpose.Elements (the corner past the 8 x 8 tiles) quick-
    // jitted. In a training step such code is about 1% of the samples, nearly all of it the data's generation before the
    // timed steps (Transpose.Elements 0.02%)
    public static double Of(Action once, int calls)
    {
        // a second of warm-up at least: tiered compilation promotes a method only after a delay of 100 ms without new
        // tier-0 code, so a small shape's rounds (about 0.1 s in all) were timed with the callers still at tier 0
        // (`product 6 20 16` 158 ns a call, 103 ns with DOTNET_TieredCompilation=0)
        var warmUp = Stopwatch.StartNew();
        do
            for (int i = 0; i < calls; i++) once();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1));
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) once();
            best = Math.Min(best, clock.Elapsed.TotalSeconds / calls);
        }
        return best;
    }
}
