using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's SimpleRNNCell: h_t = tanh(z_t), z_t = x_t K + h_{t-1} R + b, accumulated in place in h_t.
/// B = batch, T = steps, F = input features, U = units (G = U); a step's tensors are [U, B] (batch-minor).
/// Weights (Keras layout): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal), bias [U] (zeros).
/// </summary>
public sealed class SimpleRnnCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 1, new ParameterShape("bias", [units]))
{
    protected override void InitialiseWeights(Span<float> weights) => weights.Clear();

    // z_t^T [U, B] (in h_t^T) -> h_t^T = tanh(z_t^T), in place, the whole block at once
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int t, int batch)
    {
        var h = AtStep(States, t, U, batch);
        SimdKernels.Tanh(h, h);
    }

    // forward: h_t = tanh(z_t); dh: [U, B] = dL/dh_t^T -> dz_t^T = dh (1 - h_t^2): [U, B]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch) =>
        SimdKernels.TanhBackward(AtStep(States, t, U, batch), dh, AtStep(DPreactivations, t, U, batch));

    // the same with dL/dh_t^T from the output added in the same pass: dz_t^T = (dh + dOutput) (1 - h_t^2)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackwardWithOutput(ReadOnlySpan<float> parameters, Span<float> dh, ReadOnlySpan<float> dOutput, int t, int batch)
    {
        if (dOutput.IsEmpty) StepBackward(parameters, dh, t, batch);
        else SimdKernels.AddTanhBackward(AtStep(States, t, U, batch), dh, dOutput, AtStep(DPreactivations, t, U, batch));
    }
}
