using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's SimpleRNNCell: h_t = tanh(z_t), z_t = x_t K + h_{t-1} R + b, accumulated in place in h_t.
/// B = batch, T = steps, F = input features, U = units (G = U).
/// Weights (Keras layout): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal), bias [U] (zeros).
/// </summary>
public sealed class SimpleRnnCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 1, new ParameterShape("bias", [units]))
{
    protected override void InitialiseWeights(Span<float> weights) => weights.Clear();

    // z_t of sample b (in h_t) -> h_t = tanh(z_t), in place
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int b, int t)
    {
        var h = States.AsSpan((b * T + t) * U, U);
        SimdKernels.Tanh(h, h);
    }

    // forward: h_t = tanh(z_t); dh: [U] = dL/dh_t -> dz_t = dh (1 - h_t^2)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int b, int t)
    {
        int at = (b * T + t) * U;
        SimdKernels.TanhBackward(States.AsSpan(at, U), dh, DPreactivations.AsSpan(at, U));
    }
}
