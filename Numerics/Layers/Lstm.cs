using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// LSTM, as Keras's: gates packed i, f, c (written g here), o;
/// z = x_t K + h_{t-1} R + b; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);
/// c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t); h_{-1} = c_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, 4U] (glorot_uniform, fan_in F, fan_out 4U), recurrent_kernel [U, 4U]
/// (orthogonal over the whole matrix), bias [4U] (zeros, the forget slice ones: unit_forget_bias).
/// Dropout (training only, inverted): <c>dropout</c> multiplies x_t by a mask [F] and <c>recurrent_dropout</c> multiplies
/// h_{t-1} by a mask [U] where they enter x_t K and h_{t-1} R. One mask each, shared by all four gates (Keras's
/// implementation 2); each is drawn once per sequence (the same at every step) by <see cref="DropoutMask"/> from the
/// seed, the epoch and the sample's id (stream 0 for the inputs, 1 for the state). The cell state is never masked.
/// </summary>
public sealed class Lstm : Layer
{
    private readonly bool _returnSequences;
    private readonly float _dropout, _recurrentDropout;
    private readonly float[] _gates;      // [B, T, 4U]: activated i, f, g, o of the last forward
    private readonly float[] _cells;      // [B, T, U]: c_t
    private readonly float[] _tanhCells;  // [B, T, U]: tanh(c_t)
    private readonly float[] _states;     // [B, T, U]: h_t
    private readonly float[] _zeros;      // [U]: c_{-1}
    private readonly float[] _dState;     // [U]: dL/dh_t of the sample being backpropagated
    private readonly float[] _dCell;      // [U]: dL/dc_t
    private readonly float[] _dGates;     // [4U]: dL/dz_t
    private readonly float[] _kernelT;    // [4U, F]
    private readonly float[] _recurrentT; // [4U, U]
    private readonly float[] _inputMasks;     // [B, F]
    private readonly float[] _recurrentMasks; // [B, U]
    private readonly float[] _maskedInput;    // [F]: x_t * mask
    private readonly float[] _maskedState;    // [U]: h_{t-1} * mask
    private bool _inputDropped, _stateDropped; // whether the last forward applied the masks

    public Lstm(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, inputFeatures, returnSequences ? steps : 1, units)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "allowed [0, 1)");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), recurrentDropout, "allowed [0, 1)");
        _returnSequences = returnSequences;
        _dropout = dropout;
        _recurrentDropout = recurrentDropout;
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, 4 * units]),
            new ParameterShape("recurrent_kernel", [units, 4 * units]),
            new ParameterShape("bias", [4 * units]),
        ];
        _gates = new float[maxBatch * steps * 4 * units];
        _cells = new float[maxBatch * steps * units];
        _tanhCells = new float[maxBatch * steps * units];
        _states = new float[maxBatch * steps * units];
        _zeros = new float[units];
        _dState = new float[units];
        _dCell = new float[units];
        _dGates = new float[4 * units];
        _kernelT = new float[4 * units * inputFeatures];
        _recurrentT = new float[4 * units * units];
        _inputMasks = new float[maxBatch * inputFeatures];
        _recurrentMasks = new float[maxBatch * units];
        _maskedInput = new float[inputFeatures];
        _maskedState = new float[units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int F => InputFeatures;
    private int U => OutputFeatures;
    private int G => 4 * OutputFeatures;
    private int T => InputSteps;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(F * G)], F, G, random);
        Initialisers.Orthogonal(parameters.Slice(F * G, U * G), U, G, random);
        var bias = parameters.Slice(F * G + U * G, G);
        bias.Clear();
        bias.Slice(U, U).Fill(1f);
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        var bias = parameters.Slice(F * G + U * G, G);
        _inputDropped = Context.Training && _dropout > 0;
        _stateDropped = Context.Training && _recurrentDropout > 0;
        for (int b = 0; b < batch; b++)
        {
            if (_inputDropped) DropoutMask.Fill(_inputMasks.AsSpan(b * F, F), _dropout, Context, b, Index, 0);
            if (_stateDropped) DropoutMask.Fill(_recurrentMasks.AsSpan(b * U, U), _recurrentDropout, Context, b, Index, 1);
            for (int t = 0; t < T; t++)
            {
                int step = b * T + t;
                var gates = _gates.AsSpan(step * G, G);
                // z = b + x_t K + h_{t-1} R, accumulated in gates, then activated in place
                bias.CopyTo(gates);
                SimdKernels.VectorMatrixAdd(Input(x, b, t), kernel, gates);
                if (t > 0) SimdKernels.VectorMatrixAdd(PreviousState(b, t), recurrent, gates);
                GateKernels.Sigmoid(gates[..(2 * U)], gates[..(2 * U)]);
                SimdKernels.Tanh(gates.Slice(2 * U, U), gates.Slice(2 * U, U));
                GateKernels.Sigmoid(gates.Slice(3 * U, U), gates.Slice(3 * U, U));
                // c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)
                var c = _cells.AsSpan(step * U, U);
                var tanhC = _tanhCells.AsSpan(step * U, U);
                GateKernels.LstmCell(gates, t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros, c);
                SimdKernels.Tanh(c, tanhC);
                GateKernels.Multiply(gates.Slice(3 * U, U), tanhC, _states.AsSpan(step * U, U));
            }
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
        }
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, 4U], dRecurrent [U, 4U], dBias [4U] (+=)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(F * G)], F, G, _kernelT);
        Transpose.Matrix(parameters.Slice(F * G, U * G), U, G, _recurrentT);
        var dKernel = dParameters[..(F * G)];
        var dRecurrent = dParameters.Slice(F * G, U * G);
        var dBias = dParameters.Slice(F * G + U * G, G);
        var dh = _dState.AsSpan();
        var dc = _dCell.AsSpan();
        var dz = _dGates.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            dh.Clear();
            dc.Clear();
            for (int t = T - 1; t >= 0; t--)
            {
                int step = b * T + t;
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                if (_returnSequences) SimdKernels.Add(dy.Slice(step * U, U), dh);
                else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dh);
                // dz_t from dh_t and dc_t; dc becomes dL/dc_{t-1} (through f)
                GateKernels.LstmCellBackward(_gates.AsSpan(step * G, G), t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros,
                    _tanhCells.AsSpan(step * U, U), dh, dc, dz);
                // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
                SimdKernels.Add(dz, dBias);
                SimdKernels.OuterAdd(Input(x, b, t), dz, dKernel);
                var dxT = dx.Slice(step * F, F);
                dxT.Clear();
                SimdKernels.VectorMatrixAdd(dz, _kernelT, dxT);
                if (_inputDropped) GateKernels.Multiply(dxT, _inputMasks.AsSpan(b * F, F), dxT);
                dh.Clear();
                if (t > 0)
                {
                    SimdKernels.OuterAdd(PreviousState(b, t), dz, dRecurrent);
                    SimdKernels.VectorMatrixAdd(dz, _recurrentT, dh);
                    if (_stateDropped) GateKernels.Multiply(dh, _recurrentMasks.AsSpan(b * U, U), dh);
                }
            }
        }
    }

    // x_t of sample b as it enters x_t K: [F], multiplied by the sample's dropout mask when dropping
    private ReadOnlySpan<float> Input(ReadOnlySpan<float> x, int b, int t)
    {
        var xt = x.Slice((b * T + t) * F, F);
        if (!_inputDropped) return xt;
        GateKernels.Multiply(xt, _inputMasks.AsSpan(b * F, F), _maskedInput);
        return _maskedInput;
    }

    // h_{t-1} of sample b as it enters h_{t-1} R: [U], multiplied by the sample's recurrent mask when dropping
    private ReadOnlySpan<float> PreviousState(int b, int t)
    {
        var h = _states.AsSpan((b * T + t - 1) * U, U);
        if (!_stateDropped) return h;
        GateKernels.Multiply(h, _recurrentMasks.AsSpan(b * U, U), _maskedState);
        return _maskedState;
    }
}
