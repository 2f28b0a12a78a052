using System.Runtime.Intrinsics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// What <see cref="VectorWidthTests"/> compares across vector widths: the widths this process accelerates, every
/// catalogue model's weights hash after a short training (the first 64 training windows of its chapter data, 1 epoch,
/// seed 42), and one hash over every kernel's outputs at every length 0..99. It is also the test assembly's entry
/// point, so that a child process started with DOTNET_EnableAVX512=0 (or EnableAVX2, EnableHWIntrinsic) prints
/// the same lines at a narrower width: <c>dotnet RnnCluster.Numerics.Tests.dll</c>.
/// </summary>
public static class WidthProbe
{
    public static int Main(string[] args)
    {
        if (args is ["tiered", var model])
        {
            Console.WriteLine(Widths());
            TrainUntilTiered(model);
            return 0;
        }
        foreach (string line in Lines()) Console.WriteLine(line);
        if (args is ["products"]) EveryProductShape();
        return 0;
    }

    /// <summary>
    /// One catalogue model trained long enough (80 steps, twice, a pause between) that, with tiered compilation on,
    /// the methods a training step calls reach tier 1 and are compiled again with profile data, as in a long run of that
    /// model alone (a virtual call that only ever meets one cell is then inlined): so a child process lists the code
    /// training runs on for <see cref="InliningTests"/>.
    /// </summary>
    public static void TrainUntilTiered(string model)
    {
        var entry = ModelCatalogue.Find(model);
        var data = entry.Task.TrainingData(new ChapterSource(42));
        var small = data with { Train = First(data.Train, 64), Valid = First(data.Valid, 32), Test = First(data.Test, 32) };
        for (int round = 0; round < 2; round++)
        {
            Trainer.Train(entry.Spec!, small, new TrainingOptions(Epochs: 40, LearningRate: entry.LearningRate ?? 1e-3f, Seed: 42));
            Thread.Sleep(1000); // the tier-1 compilations run on a background thread
        }
    }

    /// <summary>
    /// One product of every block shape and column tail the product takes (1 to 24 rows, 1 to 72 columns, a read as
    /// it is and transposed, and one of packed panels), so that a child process compiles every block (<see cref="InliningTests"/>).
    /// </summary>
    public static void EveryProductShape()
    {
        const int depth = 3;
        for (int rows = 1; rows <= 24; rows++)
            for (int columns = 1; columns <= 72; columns++)
            {
                float[] a = KernelData.Random(rows * depth, rows), m = KernelData.Random(depth * columns, columns), c = new float[rows * columns];
                BlockProduct.MultiplyAdd(new MatrixIn(a, 0, depth), new MatrixIn(m, 0, columns), new MatrixOut(c, 0, columns), rows, depth, columns);
                BlockProduct.MultiplyAdd(new MatrixIn(a, 0, 1, rows), new MatrixIn(m, 0, columns), new MatrixOut(c, 0, columns), rows, depth, columns);
            }
        // and m packed into pair panels (PairPanels.Fit): 24 rows, m's rows 1 KB apart
        float[] a2 = KernelData.Random(24 * 64, 1), m2 = KernelData.Random(64 * 256, 2), c2 = new float[24 * 96];
        BlockProduct.MultiplyAdd(new MatrixIn(a2, 0, 64), new MatrixIn(m2, 0, 256), new MatrixOut(c2, 0, 96), 24, 64, 96);
    }

    /// <summary>"widths 512 256 128" (the accelerated ones), then "NAME HASH" per model, then "kernels HASH".</summary>
    public static IEnumerable<string> Lines()
    {
        yield return Widths();
        foreach (var (name, hash) in ModelHashes()) yield return $"{name} {hash}";
        yield return $"kernels {KernelHash()}";
    }

    public static string Widths() => "widths"
        + (Vector512.IsHardwareAccelerated ? " 512" : "") + (Vector256.IsHardwareAccelerated ? " 256" : "")
        + (Vector128.IsHardwareAccelerated ? " 128" : "");

    public static IEnumerable<(string Name, string Hash)> ModelHashes()
    {
        var source = new ChapterSource(42);
        foreach (var entry in ModelCatalogue.All)
        {
            if (entry.Spec is not { } spec) continue;
            var data = entry.Task.TrainingData(source);
            var small = data with { Train = First(data.Train, 64), Valid = First(data.Valid, 32), Test = First(data.Test, 32) };
            var result = Trainer.Train(spec, small, new TrainingOptions(Epochs: 1, LearningRate: entry.LearningRate ?? 1e-3f, Seed: 42));
            yield return (entry.Name, result.WeightsHash);
        }
    }

    private static Dataset First(Dataset d, int count) => new(d.Inputs[..(count * d.InputSize)], d.Targets[..(count * d.TargetSize)],
        count, d.Steps, d.Features, d.TargetSize);

    // every SIMD kernel at every length 0..99 on fixed random inputs, all outputs hashed in order
    public static string KernelHash()
    {
        var outputs = new List<float>();
        for (int n = 0; n < 100; n++)
        {
            float[] x = KernelData.Random(4 * n, n), y = KernelData.Random(4 * n, n + 1000), z = KernelData.Random(4 * n, n + 2000, 12f);
            float[] sum = (float[])y.Clone(), tanh = new float[n], sig = new float[n], relu = new float[n], prod = new float[n], fma = (float[])y.Clone();
            SimdKernels.Add(x, sum);
            SimdKernels.Divide(sum, 3f);
            SimdKernels.Tanh(z.AsSpan(0, n), tanh);
            var dz = new float[n];
            SimdKernels.TanhBackward(tanh, x.AsSpan(0, n), dz);
            GateKernels.Sigmoid(z.AsSpan(0, n), sig);
            GateKernels.Multiply(x.AsSpan(0, n), y.AsSpan(0, n), prod);
            GateKernels.MultiplyAddElementwise(x, z, fma);
            var gates = new float[4 * n];
            for (int i = 0; i < gates.Length; i++) gates[i] = 0.5f * (x[i] + 1f);
            float[] dc = y[..n], dGates = new float[4 * n];
            GateKernels.LstmCellBackward(gates, x.AsSpan(0, n), tanh, z.AsSpan(0, n), dc, dGates);
            float[] addSig = new float[n], fmaTanh = new float[n];
            GateKernels.AddSigmoid(x.AsSpan(0, n), z.AsSpan(0, n), addSig);
            GateKernels.MultiplyAddTanh(sig, y.AsSpan(0, n), z.AsSpan(0, n), fmaTanh);
            var mix = new float[n];
            GateKernels.GruMix(sig, x.AsSpan(0, n), tanh, mix);
            float[] dIn = new float[3 * n], dRecH = new float[n], dhPrev = new float[n];
            GateKernels.GruCellBackward(gates.AsSpan(0, 3 * n), y.AsSpan(0, n), x.AsSpan(0, n), z.AsSpan(0, n), dIn, dRecH, dhPrev);
            // dL/d(rz, rr, rh) as the kernel stored them before dL/d(rz, rr) were left to dIn's rows: the pinned hash
            float[] dRec = [.. dIn.AsSpan(0, 2 * n), .. dRecH];
            float[] lstm = (float[])z.Clone(), c = new float[n], tc = new float[n], h = new float[n];
            LstmStepKernel.Forward(lstm, y.AsSpan(0, n), c, tc, h);
            SimdKernels.Relu(z.AsSpan(0, n), relu);
            var dRelu = new float[n];
            SimdKernels.ReluBackward(z.AsSpan(0, n), x.AsSpan(0, n), dRelu);
            float[] normalised = new float[n], ln = new float[n], dLn = new float[n];
            LayerNormKernels.Forward(z.AsSpan(0, n), x.AsSpan(0, n), y.AsSpan(0, n), 0.25f, 1.5f, normalised, ln);
            LayerNormKernels.Backward(x.AsSpan(0, n), normalised, y.AsSpan(0, n), z.AsSpan(0, n), tanh, dLn);
            // c (3 x n) += a (3 x 4n) m (4n x n): every block shape and column tail up to 99 columns
            float[] product = new float[3 * n];
            if (n > 1) BlockProduct.MultiplyAdd(new MatrixIn(z, 0, n), new MatrixIn(x, 0, n), new MatrixOut(product, 0, n), rows: 3, depth: 4, columns: n);
            foreach (var o in new[] { sum, tanh, dz, sig, prod, fma, dc, dGates, addSig, fmaTanh, mix, dIn, dRec, dhPrev, lstm, c, tc, h, relu, dRelu, normalised, ln, dLn, product })
                outputs.AddRange(o);
        }
        return WeightsHash.Of(outputs.ToArray());
    }
}
