using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// Keras's GRUCell with reset_after = True (the Keras 2 default): gates packed z, r, h;
/// xz, xr, xh = x_t K + b_in; rz, rr, rh = h_{t-1} R + b_rec; z = σ(xz + rz); r = σ(xr + rr);
/// h~ = tanh(xh + r*rh); h_t = z*h_{t-1} + (1 - z)*h~.
/// B = batch, T = steps, F = input features, U = units, G = 3U; a step's gates are [3, U, B] (batch-minor, gate-major),
/// so each kernel call runs the whole block with n = U B.
/// Weights (Keras layout): kernel [F, 3U] (glorot_uniform, fan_in F, fan_out 3U), recurrent_kernel [U, 3U]
/// (orthogonal over the whole matrix), bias [2, 3U] (row 0 the input bias b_in, row 1 the recurrent bias b_rec; zeros).
/// Dropout masks x_t and h_{t-1} once for all three gates; the z*h_{t-1} term uses the unmasked state, as in Keras.
/// x_t K and h_{t-1} R are kept apart (reset_after), and so are their gradients.
/// </summary>
public sealed class GruCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 3, new ParameterShape("bias", [2, 3 * units]))
{
    private AlignedFloats _gates = AlignedFloats.Empty;          // [T, 3U, B]: xz, xr, xh, then activated z, r, h~ of the last forward (gate-major per step)
    private AlignedFloats _recurrentH = AlignedFloats.Empty;     // [T, U, B]: rh = h_{t-1} R_h + b_rec,h
    private AlignedFloats _zeros = AlignedFloats.Empty;          // [U, B]: h_{-1}^T
    private AlignedFloats _recurrentGates = AlignedFloats.Empty; // [3U, B]: rz, rr, rh of the step being computed
    private AlignedFloats _dStateDirect = AlignedFloats.Empty;   // [U, B]: dL/dh_{t-1}^T through z*h_{t-1}
    private AlignedFloats _dRecurrentH = AlignedFloats.Empty;    // [T, U, B]: dL/drh; dL/d(rz, rr) are dL/d(xz, xr), in DPreactivations
    private AlignedFloats _sampleDRecurrentH = AlignedFloats.Empty;     // dL/drh row by row (where CopyRows(U) says), for the weight gradients

    protected override AlignedFloats Preactivations => _gates;

    protected override void Allocate(int maxBatch)
    {
        _gates = new AlignedFloats(T * G * maxBatch);
        _recurrentH = new AlignedFloats(T * U * maxBatch);
        _zeros = new AlignedFloats(U * maxBatch);
        _recurrentGates = new AlignedFloats(G * maxBatch);
        _dStateDirect = new AlignedFloats(U * maxBatch);
        _dRecurrentH = new AlignedFloats(T * U * maxBatch);
        _sampleDRecurrentH = new AlignedFloats(maxBatch * T * U);
    }

    private protected override long OwnCacheFloats(int maxBatch, int steps) => (long)maxBatch * (steps * (G + 3L * U) + 2L * U + G);

    protected override void InitialiseWeights(Span<float> weights) => weights.Clear();

    // xz, xr, xh = b_in (in gates [3U, B]); rz, rr, rh = b_rec (in _recurrentGates [3U, B]); the products are added next
    internal override void BeginStep(ReadOnlySpan<float> parameters, int t, int batch)
    {
        SimdKernels.FillRows(InputStart(parameters), AtStep(_gates, t, G, batch), batch);
        SimdKernels.FillRows(RecurrentStart(parameters), _recurrentGates.AsSpan(0, G * batch), batch);
    }

    internal override ReadOnlySpan<float> InputStart(ReadOnlySpan<float> parameters) => parameters[Tensor(Bias)][..G];

    internal override ReadOnlySpan<float> RecurrentStart(ReadOnlySpan<float> parameters) => parameters[Tensor(Bias)][G..];

    internal override MatrixOut RecurrentPreactivations(int t, int batch) => new(_recurrentGates, 0, batch);

    // h_{t-1}^T: [U, B]
    private ReadOnlySpan<float> PreviousStates(int t, int batch) => t > 0 ? AtStep(States, t - 1, U, batch) : _zeros.AsSpan(0, U * batch);

    // (xz, xr, xh), (rz, rr, rh) of the block ([3U, B] each) -> h_t^T [U, B]; gates become z, r, h~
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int t, int batch)
    {
        int n = U * batch;
        var gates = AtStep(_gates, t, G, batch);
        var rg = _recurrentGates.AsSpan(0, G * batch);
        // z = σ(xz + rz), r = σ(xr + rr)
        var zr = gates[..(2 * n)];
        GateKernels.AddSigmoid(zr, rg[..(2 * n)], zr);
        // h~ = tanh(xh + r*rh)
        var rh = rg.Slice(2 * n, n);
        var hCandidate = gates.Slice(2 * n, n);
        rh.CopyTo(AtStep(_recurrentH, t, U, batch));
        GateKernels.MultiplyAddTanh(gates.Slice(n, n), rh, hCandidate, hCandidate);
        // h_t = z*h_{t-1} + (1 - z)*h~
        GateKernels.GruMix(gates[..n], PreviousStates(t, batch), hCandidate, AtStep(States, t, U, batch));
    }

    // dh: [U, B] = dL/dh_t^T -> dL/d(xz, xr, xh), dL/d(rz, rr, rh) ([3U, B] each) and dL/dh_{t-1}^T through z*h_{t-1}
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch) =>
        GateKernels.GruCellBackward(AtStep(_gates, t, G, batch), AtStep(_recurrentH, t, U, batch), PreviousStates(t, batch), dh,
            AtStep(DPreactivations, t, G, batch), AtStep(_dRecurrentH, t, U, batch), _dStateDirect.AsSpan(0, U * batch));

    // dL/d(rz, rr, rh): the z and r rows are dz's own (dL/drz = dL/dxz, dL/drr = dL/dxr), the h rows dL/drh
    internal override int SharedRecurrentRows => 2 * U;

    internal override ReadOnlySpan<float> RecurrentOwnGradients => _dRecurrentH;

    // dh: [U, B] += dL/dh_{t-1}^T through z*h_{t-1} (unmasked)
    internal override void AddDirectStateGradient(Span<float> dh, int batch) => SimdKernels.Add(_dStateDirect.AsSpan(0, U * batch), dh);

    // dL/drz = dL/dxz and dL/drr = dL/dxr (z = σ(xz + rz), r = σ(xr + rr): GruCellBackward stores the same values), so
    // of the recurrent gates' gradients only dL/drh needs a copy of its own: [U, B] -> its rows (b, t)
    internal override void KeepSampleMajor(int t, int batch)
    {
        base.KeepSampleMajor(t, batch);
        KeepStep(AtStep(_dRecurrentH, t, U, batch), U, _sampleDRecurrentH, t, batch);
    }

    // -> dKernel [F, 3U], dRecurrent [U, 3U], dBias [2, 3U] (+=) of samples [first, first + count)
    internal override void AddWeightGradients(ReadOnlySpan<float> input, SampleRows inputRows, ReadOnlySpan<float> states, SampleRows stateRows,
        Span<float> dParameters, int first, int count)
    {
        // forward: (xz, xr, xh) = x_t K + b_in, (rz, rr, rh) = h_{t-1} R + b_rec
        var dBias = dParameters[Tensor(Bias)];
        // dL/d(rz, rr) are dL/d(xz, xr): the z and r columns come from dz's own copy, the h columns from dL/drh's
        var dRecurrent = dParameters[Tensor(RecurrentKernel)];
        var rows = CopyRows(G);
        var hRows = CopyRows(U);
        RecurrentGradients.BiasGradient(SampleDPreactivations, rows, dBias[..G], first, count, T);
        RecurrentGradients.BiasGradient(SampleDPreactivations, rows, dBias.Slice(G, 2 * U), first, count, T);
        RecurrentGradients.BiasGradient(_sampleDRecurrentH, hRows, dBias.Slice(G + 2 * U, U), first, count, T);
        RecurrentGradients.KernelGradient(input, inputRows, SampleDPreactivations, rows, dParameters[Tensor(Kernel)], first, count, T, F, G);
        RecurrentGradients.RecurrentGradient(states, stateRows, SampleDPreactivations, rows, new MatrixOut(dRecurrent, 0, G), columns: 2 * U, first, count, T, U);
        RecurrentGradients.RecurrentGradient(states, stateRows, _sampleDRecurrentH, hRows, new MatrixOut(dRecurrent, 2 * U, G), columns: U, first, count, T, U);
    }
}
