using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's LSTMCell: gates packed i, f, c (written g here), o;
/// z = x_t K + h_{t-1} R + b; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);
/// c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t); c_{-1} = 0.
/// B = batch, T = steps, F = input features, U = units, G = 4U.
/// Weights (Keras layout): kernel [F, 4U] (glorot_uniform, fan_in F, fan_out 4U), recurrent_kernel [U, 4U]
/// (orthogonal over the whole matrix), bias [4U] (zeros, the forget slice ones: unit_forget_bias).
/// Dropout masks x_t and h_{t-1} once for all four gates; the cell state is never masked.
/// </summary>
public sealed class LstmCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 4, new ParameterShape("bias", [4 * units]))
{
    private float[] _gates = [];     // [B, T, 4U]: z, then activated i, f, g, o of the last forward
    private float[] _cells = [];     // [B, T, U]: c_t
    private float[] _tanhCells = []; // [B, T, U]: tanh(c_t)
    private float[] _zeros = [];     // [U]: c_{-1}
    private float[] _dCell = [];     // [B, U]: dL/dc_t of the block's samples at the step being backpropagated

    protected override float[] Preactivations => _gates;

    protected override void Allocate(int maxBatch)
    {
        _gates = new float[maxBatch * T * G];
        _cells = new float[maxBatch * T * U];
        _tanhCells = new float[maxBatch * T * U];
        _zeros = new float[U];
        _dCell = new float[maxBatch * U];
    }

    protected override void InitialiseWeights(Span<float> weights)
    {
        weights.Clear();
        weights.Slice(U, U).Fill(1f);
    }

    // z_t of sample b -> i, f, o = σ(z), g = tanh(z) (in place); c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int b, int t)
    {
        int step = b * T + t;
        LstmStepKernel.Forward(_gates.AsSpan(step * G, G), t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros, _cells.AsSpan(step * U, U),
            _tanhCells.AsSpan(step * U, U), States.AsSpan(step * U, U));
    }

    internal override void BeginBackward(int batch) => _dCell.AsSpan(0, batch * U).Clear();

    // dh: [U] = dL/dh_t, with dL/dc_t (from step t+1) -> dz_t: [4U]; dc becomes dL/dc_{t-1} (through f)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int b, int t)
    {
        int step = b * T + t;
        GateKernels.LstmCellBackward(_gates.AsSpan(step * G, G), t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros,
            _tanhCells.AsSpan(step * U, U), dh, _dCell.AsSpan(b * U, U), DPreactivations.AsSpan(step * G, G));
    }
}
