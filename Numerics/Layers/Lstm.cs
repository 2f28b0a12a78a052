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
/// The block's samples advance through time together (one <see cref="BlockProduct"/> per product and step), and the
/// weight gradients are products over (sample, step) after backpropagation, in SimpleRnn's order.
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
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dCell;      // [B, U]: dL/dc_t
    private readonly float[] _dGates;     // [B, T, 4U]: dL/dz_t
    private readonly float[] _kernelT;    // [4U, F]
    private readonly float[] _recurrentT; // [4U, U]
    private readonly float[] _inputMasks;     // [B, F]
    private readonly float[] _recurrentMasks; // [B, U]
    private readonly float[] _maskedInputs;   // [B, T, F]: x_t * mask, when dropping
    private readonly float[] _maskedStates;   // [B, T, U]: h_t * recurrent mask (what enters step t+1), when dropping
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
        _dState = new float[maxBatch * units];
        _dCell = new float[maxBatch * units];
        _dGates = new float[maxBatch * steps * 4 * units];
        _kernelT = new float[4 * units * inputFeatures];
        _recurrentT = new float[4 * units * units];
        _inputMasks = new float[maxBatch * inputFeatures];
        _recurrentMasks = new float[maxBatch * units];
        _maskedInputs = dropout > 0 ? new float[maxBatch * steps * inputFeatures] : [];
        _maskedStates = recurrentDropout > 0 ? new float[maxBatch * steps * units] : [];
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
        var input = _inputDropped ? RecurrentMasks.MaskInputs(x, _inputMasks, _maskedInputs, _dropout, Context, Index, batch, T, F) : x;
        var states = _stateDropped ? (ReadOnlySpan<float>)_maskedStates : _states;
        if (_stateDropped) RecurrentMasks.Fill(_recurrentMasks, _recurrentDropout, Context, Index, batch, U);
        for (int t = 0; t < T; t++)
        {
            // z = b + x_t K + h_{t-1} R, accumulated in gates, then activated in place
            for (int b = 0; b < batch; b++) bias.CopyTo(_gates.AsSpan((b * T + t) * G, G));
            BlockProduct.MultiplyAdd(input, t * F, T * F, 1, batch, kernel, 0, G, F, _gates, t * G, T * G, G);
            if (t > 0) BlockProduct.MultiplyAdd(states, (t - 1) * U, T * U, 1, batch, recurrent, 0, G, U, _gates, t * G, T * G, G);
            for (int b = 0; b < batch; b++)
            {
                int step = b * T + t;
                var gates = _gates.AsSpan(step * G, G);
                // i, f, o = σ(z), g = tanh(z); c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)
                var h = _states.AsSpan(step * U, U);
                LstmStepKernel.Forward(gates, t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros, _cells.AsSpan(step * U, U),
                    _tanhCells.AsSpan(step * U, U), h);
                if (_stateDropped) GateKernels.Multiply(h, _recurrentMasks.AsSpan(b * U, U), _maskedStates.AsSpan(step * U, U));
            }
        }
        for (int b = 0; b < batch; b++)
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, 4U], dRecurrent [U, 4U], dBias [4U] (+=)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(F * G)], F, G, _kernelT);
        Transpose.Matrix(parameters.Slice(F * G, U * G), U, G, _recurrentT);
        var dh = _dState.AsSpan(0, batch * U);
        var dc = _dCell.AsSpan(0, batch * U);
        var dz = _dGates.AsSpan();
        dh.Clear();
        dc.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int step = b * T + t;
                var dhb = dh.Slice(b * U, U);
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                if (_returnSequences) SimdKernels.Add(dy.Slice(step * U, U), dhb);
                else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dhb);
                // dz_t from dh_t and dc_t; dc becomes dL/dc_{t-1} (through f)
                GateKernels.LstmCellBackward(_gates.AsSpan(step * G, G), t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros,
                    _tanhCells.AsSpan(step * U, U), dhb, dc.Slice(b * U, U), dz.Slice(step * G, G));
            }
            dh.Clear();
            if (t > 0)
            {
                // dL/dh_{t-1} = dz_t R^T (times the recurrent mask when dropping)
                BlockProduct.MultiplyAdd(dz, t * G, T * G, 1, batch, _recurrentT, 0, U, G, dh, 0, U, U);
                if (_stateDropped) RecurrentMasks.Apply(dh, _recurrentMasks, batch, 1, U);
            }
        }
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        RecurrentGradients.InputGradient(dz, _kernelT, dx, batch, T, F, G);
        if (_inputDropped) RecurrentMasks.Apply(dx, _inputMasks, batch, T, F);
        RecurrentGradients.WeightGradients(_inputDropped ? _maskedInputs : x, _stateDropped ? _maskedStates : _states, dz,
            dParameters[..(F * G)], dParameters.Slice(F * G, U * G), dParameters.Slice(F * G + U * G, G), batch, T, F, U, G);
    }
}
