using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// GRU, as Keras's with reset_after = True (the Keras 2 default): gates packed z, r, h;
/// xz, xr, xh = x_t K + b_in; rz, rr, rh = h_{t-1} R + b_rec; z = σ(xz + rz); r = σ(xr + rr);
/// h~ = tanh(xh + r*rh); h_t = z*h_{t-1} + (1 - z)*h~; h_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, 3U] (glorot_uniform, fan_in F, fan_out 3U), recurrent_kernel [U, 3U]
/// (orthogonal over the whole matrix), bias [2, 3U] (row 0 the input bias b_in, row 1 the recurrent bias b_rec; zeros).
/// Dropout as <see cref="RecurrentLayer"/> says, one mask each shared by all three gates (the z*h_{t-1} term uses the
/// unmasked state, as in Keras). The block's samples advance through time together (one <see cref="BlockProduct"/>
/// per product and step), and the weight gradients are products over (sample, step) after backpropagation, in
/// SimpleRnn's order.
/// </summary>
public sealed class Gru : RecurrentLayer
{
    private readonly float[] _gates;      // [B, T, 3U]: activated z, r, h~ of the last forward
    private readonly float[] _recurrentH; // [B, T, U]: rh = h_{t-1} R_h + b_rec,h
    private readonly float[] _zeros;      // [U]: h_{-1}
    private readonly float[] _recurrentGates; // [B, 3U]: rz, rr, rh of the step being computed
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dStateDirect; // [B, U]: dL/dh_{t-1} through z*h_{t-1}
    private readonly float[] _dInputGates;  // [B, T, 3U]: dL/d(xz, xr, xh)
    private readonly float[] _dRecurrentGates; // [B, T, 3U]: dL/d(rz, rr, rh)
    private readonly float[] _kernelT;    // [3U, F]
    private readonly float[] _recurrentT; // [3U, U]

    public Gru(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, inputFeatures, units, returnSequences, dropout, recurrentDropout)
    {
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, 3 * units]),
            new ParameterShape("recurrent_kernel", [units, 3 * units]),
            new ParameterShape("bias", [2, 3 * units]),
        ];
        _gates = new float[maxBatch * steps * 3 * units];
        _recurrentH = new float[maxBatch * steps * units];
        _zeros = new float[units];
        _recurrentGates = new float[maxBatch * 3 * units];
        _dState = new float[maxBatch * units];
        _dStateDirect = new float[maxBatch * units];
        _dInputGates = new float[maxBatch * steps * 3 * units];
        _dRecurrentGates = new float[maxBatch * steps * 3 * units];
        _kernelT = new float[3 * units * inputFeatures];
        _recurrentT = new float[3 * units * units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int G => 3 * OutputFeatures;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(F * G)], F, G, random);
        Initialisers.Orthogonal(parameters.Slice(F * G, U * G), U, G, random);
        parameters.Slice(F * G + U * G, 2 * G).Clear();
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        var inputBias = parameters.Slice(F * G + U * G, G);
        var recurrentBias = parameters.Slice(F * G + U * G + G, G);
        var input = BeginForward(x, batch);
        var states = EnteringStates;
        for (int t = 0; t < T; t++)
        {
            // xz, xr, xh = x_t K + b_in (in gates); rz, rr, rh = h_{t-1} R + b_rec (in _recurrentGates [B, 3U])
            for (int b = 0; b < batch; b++)
            {
                inputBias.CopyTo(_gates.AsSpan((b * T + t) * G, G));
                recurrentBias.CopyTo(_recurrentGates.AsSpan(b * G, G));
            }
            BlockProduct.MultiplyAdd(new MatrixIn(input, t * F, T * F), new MatrixIn(kernel, 0, G), new MatrixOut(_gates, t * G, T * G), rows: batch, depth: F, columns: G);
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(states, (t - 1) * U, T * U), new MatrixIn(recurrent, 0, G), new MatrixOut(_recurrentGates, 0, G), rows: batch, depth: U, columns: G);
            for (int b = 0; b < batch; b++)
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
                StateDone(b, t);
            }
        }
        WriteOutput(y, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); the input and recurrent gate gradients kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Transpose.Matrix(parameters[..(F * G)], F, G, _kernelT);
        Transpose.Matrix(parameters.Slice(F * G, U * G), U, G, _recurrentT);
        var dh = _dState.AsSpan(0, batch * U);
        var dhDirect = _dStateDirect.AsSpan(0, batch * U);
        var dxg = _dInputGates.AsSpan();
        var drg = _dRecurrentGates.AsSpan();
        dh.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int step = b * T + t;
                var dhb = dh.Slice(b * U, U);
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                AddOutputGradient(dy, dhb, b, t);
                var hPrev = t > 0 ? States.AsSpan((step - 1) * U, U) : _zeros;
                GateKernels.GruCellBackward(_gates.AsSpan(step * G, G), _recurrentH.AsSpan(step * U, U), hPrev, dhb,
                    dxg.Slice(step * G, G), drg.Slice(step * G, G), dhDirect.Slice(b * U, U));
            }
            // dL/dh_{t-1} = (dRecurrentGates R^T) * mask + dh_t * z
            dh.Clear();
            if (t > 0)
            {
                BlockProduct.MultiplyAdd(new MatrixIn(drg, t * G, T * G), new MatrixIn(_recurrentT, 0, U), new MatrixOut(dh, 0, U), rows: batch, depth: G, columns: U);
                MaskStateGradient(dh, batch);
                SimdKernels.Add(dhDirect, dh);
            }
        }
        // forward: (xz, xr, xh) = x_t K + b_in, (rz, rr, rh) = h_{t-1} R + b_rec (x_t, h_{t-1} masked when dropping)
        InputGradient(dxg, _kernelT, dx, batch, G);
    }

    // samples [first, first + count) of the last Backward -> dKernel [F, 3U], dRecurrent [U, 3U], dBias [2, 3U] (+=)
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        // forward: (xz, xr, xh) = x_t K + b_in, (rz, rr, rh) = h_{t-1} R + b_rec (x_t, h_{t-1} masked when dropping)
        RecurrentGradients.BiasGradient(_dInputGates, dParameters.Slice(F * G + U * G, G), first, count, T, G);
        RecurrentGradients.BiasGradient(_dRecurrentGates, dParameters.Slice(F * G + U * G + G, G), first, count, T, G);
        RecurrentGradients.KernelGradient(EnteredInputs(x), _dInputGates, dParameters[..(F * G)], first, count, T, F, G);
        RecurrentGradients.RecurrentGradient(EnteringStates, _dRecurrentGates, dParameters.Slice(F * G, U * G), first, count, T, U, G);
    }
}
