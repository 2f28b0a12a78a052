using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's GRUCell with reset_after = True (the Keras 2 default): gates packed z, r, h;
/// xz, xr, xh = x_t K + b_in; rz, rr, rh = h_{t-1} R + b_rec; z = σ(xz + rz); r = σ(xr + rr);
/// h~ = tanh(xh + r*rh); h_t = z*h_{t-1} + (1 - z)*h~.
/// B = batch, T = steps, F = input features, U = units, G = 3U.
/// Weights (Keras layout): kernel [F, 3U] (glorot_uniform, fan_in F, fan_out 3U), recurrent_kernel [U, 3U]
/// (orthogonal over the whole matrix), bias [2, 3U] (row 0 the input bias b_in, row 1 the recurrent bias b_rec; zeros).
/// Dropout masks x_t and h_{t-1} once for all three gates; the z*h_{t-1} term uses the unmasked state, as in Keras.
/// x_t K and h_{t-1} R are kept apart (reset_after), and so are their gradients.
/// </summary>
public sealed class GruCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 3, new ParameterShape("bias", [2, 3 * units]))
{
    private float[] _gates = [];          // [B, T, 3U]: xz, xr, xh, then activated z, r, h~ of the last forward
    private float[] _recurrentH = [];     // [B, T, U]: rh = h_{t-1} R_h + b_rec,h
    private float[] _zeros = [];          // [U]: h_{-1}
    private float[] _recurrentGates = []; // [B, 3U]: rz, rr, rh of the step being computed
    private float[] _dStateDirect = [];   // [B, U]: dL/dh_{t-1} through z*h_{t-1}
    private float[] _dRecurrentGates = []; // [B, T, 3U]: dL/d(rz, rr, rh); dL/d(xz, xr, xh) are DPreactivations

    protected override float[] Preactivations => _gates;

    protected override void Allocate(int maxBatch)
    {
        _gates = new float[maxBatch * T * G];
        _recurrentH = new float[maxBatch * T * U];
        _zeros = new float[U];
        _recurrentGates = new float[maxBatch * G];
        _dStateDirect = new float[maxBatch * U];
        _dRecurrentGates = new float[maxBatch * T * G];
    }

    protected override void InitialiseWeights(Span<float> weights) => weights.Clear();

    // xz, xr, xh = b_in (in gates); rz, rr, rh = b_rec (in _recurrentGates [B, 3U]); the products are added next
    internal override void BeginStep(ReadOnlySpan<float> parameters, int t, int batch)
    {
        var bias = parameters[Tensor(Bias)];
        for (int b = 0; b < batch; b++)
        {
            bias[..G].CopyTo(_gates.AsSpan((b * T + t) * G, G));
            bias[G..].CopyTo(_recurrentGates.AsSpan(b * G, G));
        }
    }

    internal override MatrixOut RecurrentPreactivations(int t) => new(_recurrentGates, 0, G);

    // (xz, xr, xh), (rz, rr, rh) of sample b -> h_t; gates become z, r, h~
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int b, int t)
    {
        int step = b * T + t;
        var gates = _gates.AsSpan(step * G, G);
        var rg = _recurrentGates.AsSpan(b * G, G);
        var hPrev = t > 0 ? States.AsSpan((step - 1) * U, U) : _zeros;
        // z = σ(xz + rz), r = σ(xr + rr)
        var zr = gates[..(2 * U)];
        SimdKernels.Add(rg[..(2 * U)], zr);
        GateKernels.Sigmoid(zr, zr);
        // h~ = tanh(xh + r*rh)
        var rh = rg.Slice(2 * U, U);
        var hCandidate = gates.Slice(2 * U, U);
        rh.CopyTo(_recurrentH.AsSpan(step * U, U));
        GateKernels.MultiplyAddElementwise(gates.Slice(U, U), rh, hCandidate);
        SimdKernels.Tanh(hCandidate, hCandidate);
        // h_t = z*h_{t-1} + (1 - z)*h~
        GateKernels.GruMix(gates[..U], hPrev, hCandidate, States.AsSpan(step * U, U));
    }

    // dh: [U] = dL/dh_t -> dL/d(xz, xr, xh), dL/d(rz, rr, rh) and dL/dh_{t-1} through z*h_{t-1}
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int b, int t)
    {
        int step = b * T + t;
        var hPrev = t > 0 ? States.AsSpan((step - 1) * U, U) : _zeros;
        GateKernels.GruCellBackward(_gates.AsSpan(step * G, G), _recurrentH.AsSpan(step * U, U), hPrev, dh,
            DPreactivations.AsSpan(step * G, G), _dRecurrentGates.AsSpan(step * G, G), _dStateDirect.AsSpan(b * U, U));
    }

    internal override ReadOnlySpan<float> RecurrentPreactivationGradients => _dRecurrentGates;

    // dh: [B, U] += dL/dh_{t-1} through z*h_{t-1} (unmasked)
    internal override void AddDirectStateGradient(Span<float> dh, int batch) => SimdKernels.Add(_dStateDirect.AsSpan(0, batch * U), dh);

    // -> dKernel [F, 3U], dRecurrent [U, 3U], dBias [2, 3U] (+=) of samples [first, first + count)
    internal override void AddWeightGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> states, Span<float> dParameters, int first, int count)
    {
        // forward: (xz, xr, xh) = x_t K + b_in, (rz, rr, rh) = h_{t-1} R + b_rec
        var dBias = dParameters[Tensor(Bias)];
        RecurrentGradients.BiasGradient(DPreactivations, dBias[..G], first, count, T, G);
        RecurrentGradients.BiasGradient(_dRecurrentGates, dBias[G..], first, count, T, G);
        RecurrentGradients.KernelGradient(input, DPreactivations, dParameters[Tensor(Kernel)], first, count, T, F, G);
        RecurrentGradients.RecurrentGradient(states, _dRecurrentGates, dParameters[Tensor(RecurrentKernel)], first, count, T, U, G);
    }
}
