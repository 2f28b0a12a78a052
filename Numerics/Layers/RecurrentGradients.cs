using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// What a recurrent layer computes from its preactivation gradients once backpropagation through time is done:
/// dx^T = K dz^T (from dz [T, G, B], batch-minor), and, from dz copied sample by sample (its rows where
/// <see cref="SampleRows"/> says), the weight gradients of samples [first, first + count) as sums over (sample, step) in
/// a fixed order: sample after sample, each sample's last step first (the order in which BPTT visits them).
/// B = batch, T = steps, F = input features, U = units, G = gates x units (the width of z).
/// </summary>
internal static class RecurrentGradients
{
    // dz: [T, G, B] (batch-minor), kernel: [F, G] -> dx: [T, F, B] = (K dz_t^T for every step) (=)
    public static void InputGradient(ReadOnlySpan<float> dz, ReadOnlySpan<float> kernel, Span<float> dx, int batch, int steps, int features, int width)
    {
        dx[..(steps * features * batch)].Clear();
        for (int t = 0; t < steps; t++)
            BlockProduct.MultiplyAdd(new MatrixIn(kernel, 0, width), new MatrixIn(dz, t * width * batch, batch), new MatrixOut(dx, t * features * batch, batch), rows: features, depth: width, columns: batch);
    }

    // input: rows (b, t) of F (x_t), states: rows of U (h_t as it entered step t+1), dz: rows of G, each where its
    // SampleRows says -> dKernel [F, G] += Σ x_t^T dz_t, dRecurrent [U, G] += Σ_{t>0} h_{t-1}^T dz_t, dBias [G] += Σ dz_t
    public static void WeightGradients(ReadOnlySpan<float> input, SampleRows inputRows, ReadOnlySpan<float> states, SampleRows stateRows,
        ReadOnlySpan<float> dz, SampleRows dzRows, Span<float> dKernel, Span<float> dRecurrent, Span<float> dBias, int first, int count,
        int steps, int features, int units, int width)
    {
        BiasGradient(dz, dzRows, dBias, first, count, steps);
        KernelGradient(input, inputRows, dz, dzRows, dKernel, first, count, steps, features, width);
        RecurrentGradient(states, stateRows, dz, dzRows, new MatrixOut(dRecurrent, 0, width), columns: width, first, count, steps, units);
    }

    // dz: rows (b, t) where dzRows says -> dBias [n] += Σ dz_t (each row's first n elements)
    public static void BiasGradient(ReadOnlySpan<float> dz, SampleRows dzRows, Span<float> dBias, int first, int count, int steps)
    {
        SimdKernels.AddRowGroups(dz, dzRows.At(first, steps - 1), -dzRows.StepStride, steps, dzRows.SampleStride, count, dBias);
    }

    // input: rows (b, t) of F, dz: rows of G, each where its SampleRows says -> dKernel [F, G] += Σ x_t^T dz_t
    public static void KernelGradient(ReadOnlySpan<float> input, SampleRows inputRows, ReadOnlySpan<float> dz, SampleRows dzRows, Span<float> dKernel,
        int first, int count, int steps, int features, int width)
    {
        for (int b = first; b < first + count; b++)
            BlockProduct.MultiplyAdd(new MatrixIn(input, inputRows.At(b, steps - 1), 1, -inputRows.StepStride), new MatrixIn(dz, dzRows.At(b, steps - 1), -dzRows.StepStride),
                new MatrixOut(dKernel, 0, width), rows: features, depth: steps, columns: width);
    }

    // states: rows (b, t) of U, dz: rows, each where its SampleRows says -> dRecurrent [U, columns] += Σ_{t>0} h_{t-1}^T dz_t
    // (dz_t's first columns; dRecurrent may be some columns of a wider matrix)
    public static void RecurrentGradient(ReadOnlySpan<float> states, SampleRows stateRows, ReadOnlySpan<float> dz, SampleRows dzRows, MatrixOut dRecurrent,
        int columns, int first, int count, int steps, int units)
    {
        for (int b = first; b < first + count; b++)
            BlockProduct.MultiplyAdd(new MatrixIn(states, stateRows.At(b, steps - 2), 1, -stateRows.StepStride), new MatrixIn(dz, dzRows.At(b, steps - 1), -dzRows.StepStride),
                dRecurrent, rows: units, depth: steps - 1, columns);
    }
}
