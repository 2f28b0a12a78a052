using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>
/// What the machine's cores can do together, without memory or synchronisation in the way: a loop of fused
/// multiply-adds on 12 independent register-resident accumulators (enough to cover FMA latency on two pipes), run
/// on one thread, then on two threads at once. The 2-thread / 1-thread ratio is the ceiling for any 2-way split.
/// </summary>
internal static class FmaCeiling
{
    private const int Accumulators = 12;

    public static string Width => Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256";

    private static int Lanes => Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;

    /// <summary>GFLOP/s (an FMA counts 2) of 1 and of 2 threads, the best of <paramref name="repeats"/> runs of about <paramref name="seconds"/> s each.</summary>
    public static (double OneThread, double TwoThreads) Measure(double seconds, int repeats, CancellationToken cancellation)
    {
        Kernel(1_000_000); // JIT to the final tier before timing
        var clock = Stopwatch.StartNew();
        long probe = 20_000_000;
        Kernel(probe);
        long iterations = Math.Max(probe, (long)(probe * seconds / clock.Elapsed.TotalSeconds));

        double one = 0, two = 0;
        for (int r = 0; r < repeats; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            one = Math.Max(one, Gflops(1, iterations));
            cancellation.ThrowIfCancellationRequested();
            two = Math.Max(two, Gflops(2, iterations));
        }
        return (one, two);
    }

    private static double Gflops(int threads, long iterations)
    {
        using var start = new Barrier(threads + 1);
        var sinks = new float[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            sinks[t] = Kernel(iterations);
        })
        { IsBackground = true }).ToArray();
        foreach (var worker in workers) worker.Start();
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var worker in workers) worker.Join();
        double elapsed = clock.Elapsed.TotalSeconds;
        if (sinks.Any(float.IsNaN)) throw new InvalidOperationException("the FMA loop went NaN");
        return threads * iterations * Accumulators * Lanes * 2.0 / elapsed / 1e9;
    }

    private static float Kernel(long iterations) => Vector512.IsHardwareAccelerated ? Kernel512(iterations) : Kernel256(iterations);

    // c = c * a + b converges to b / (1 - a) = 1: no overflow, no denormals, and every step depends on the last.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Kernel512(long iterations)
    {
        var a = Vector512.Create(0.999f);
        var b = Vector512.Create(0.001f);
        Vector512<float> c0 = Vector512.Create(0.10f), c1 = Vector512.Create(0.11f), c2 = Vector512.Create(0.12f), c3 = Vector512.Create(0.13f);
        Vector512<float> c4 = Vector512.Create(0.14f), c5 = Vector512.Create(0.15f), c6 = Vector512.Create(0.16f), c7 = Vector512.Create(0.17f);
        Vector512<float> c8 = Vector512.Create(0.18f), c9 = Vector512.Create(0.19f), c10 = Vector512.Create(0.20f), c11 = Vector512.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }
        return Vector512.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Kernel256(long iterations)
    {
        var a = Vector256.Create(0.999f);
        var b = Vector256.Create(0.001f);
        Vector256<float> c0 = Vector256.Create(0.10f), c1 = Vector256.Create(0.11f), c2 = Vector256.Create(0.12f), c3 = Vector256.Create(0.13f);
        Vector256<float> c4 = Vector256.Create(0.14f), c5 = Vector256.Create(0.15f), c6 = Vector256.Create(0.16f), c7 = Vector256.Create(0.17f);
        Vector256<float> c8 = Vector256.Create(0.18f), c9 = Vector256.Create(0.19f), c10 = Vector256.Create(0.20f), c11 = Vector256.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }
}
