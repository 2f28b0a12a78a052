using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's LSTMCell: gates packed i, f, c (written g here), o;
/// z = x_t K + h_{t-1} R + b; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);
/// c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t); c_{-1} = 0.
/// B = batch, T = steps, F = input features, U = units, G = 4U; a step's gates are [4, U, B] (batch-minor, gate-major),
/// so one kernel call runs the whole block with n = U B.
/// Weights (Keras layout): kernel [F, 4U] (glorot_uniform, fan_in F, fan_out 4U), recurrent_kernel [U, 4U]
/// (orthogonal over the whole matrix), bias [4U] (zeros, the forget slice ones: unit_forget_bias).
/// Dropout masks x_t and h_{t-1} once for all four gates; the cell state is never masked.
/// </summary>
public sealed class LstmCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 4, new ParameterShape("bias", [4 * units]))
{
    private AlignedFloats _gates = AlignedFloats.Empty;     // [T, 4U, B]: z^T, then activated i, f, g, o of the last forward (gate-major per step)
    private AlignedFloats _cells = AlignedFloats.Empty;     // [T, U, B]: c_t^T
    private AlignedFloats _tanhCells = AlignedFloats.Empty; // [T, U, B]: tanh(c_t^T)
    private AlignedFloats _zeros = AlignedFloats.Empty;     // [U, B]: c_{-1}^T
    private AlignedFloats _dCell = AlignedFloats.Empty;     // [U, B]: dL/dc_t^T of the block at the step being backpropagated

    protected override AlignedFloats Preactivations => _gates;

    protected override void Allocate(int maxBatch)
    {
        _gates = new AlignedFloats(T * G * maxBatch);
        _cells = new AlignedFloats(T * U * maxBatch);
        _tanhCells = new AlignedFloats(T * U * maxBatch);
        _zeros = new AlignedFloats(U * maxBatch);
        _dCell = new AlignedFloats(U * maxBatch);
    }

    private protected override long OwnCacheFloats(int maxBatch, int steps) => (long)maxBatch * (steps * (G + 2L * U) + 2L * U);

    protected override void InitialiseWeights(Span<float> weights)
    {
        weights.Clear();
        weights.Slice(U, U).Fill(1f);
    }

    // c_{t-1}^T: [U, B]
    private ReadOnlySpan<float> PreviousCells(int t, int batch) => t > 0 ? AtStep(_cells, t - 1, U, batch) : _zeros.AsSpan(0, U * batch);

    // z_t^T [4U, B] of the block -> i, f, o = σ(z), g = tanh(z) (in place); c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int t, int batch) =>
        LstmStepKernel.Forward(AtStep(_gates, t, G, batch), PreviousCells(t, batch), AtStep(_cells, t, U, batch),
            AtStep(_tanhCells, t, U, batch), AtStep(States, t, U, batch));

    protected override void BeginBackwardCore(int batch) => _dCell.AsSpan(0, U * batch).Clear();

    // dh: [U, B] = dL/dh_t^T, with dL/dc_t^T (from step t+1) -> dz_t^T: [4U, B]; dc becomes dL/dc_{t-1}^T (through f)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch) =>
        GateKernels.LstmCellBackward(AtStep(_gates, t, G, batch), PreviousCells(t, batch), AtStep(_tanhCells, t, U, batch), dh,
            _dCell.AsSpan(0, U * batch), AtStep(DPreactivations, t, G, batch));
}
