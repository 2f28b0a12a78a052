using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// A recurrent layer, as Keras's RNN(cell): it runs a <see cref="RecurrentCell"/> (SimpleRNN, LSTM, GRU, the
/// layer-normalised SimpleRNN) through time, h_{-1} = 0, and returns h for every step when <c>returnSequences</c>,
/// else only the last h. Trained by backpropagation through time. The layer owns the time loop, the states h_t, the
/// output, the dropout masks and the products with the two kernels; the cell owns one step forward and backward.
/// The block's samples advance through time together: z_t = b + x_t K + h_{t-1} R is one <see cref="BlockProduct"/>
/// per product and step over the block's rows, and the weight gradients are products over (sample, step) taken after
/// backpropagation, sample after sample, last step first (<see cref="RecurrentGradients"/>): the same sums, in the
/// same order, as accumulating them step by step.
/// Dropout (training only, inverted): <c>dropout</c> multiplies x_t by a mask [F] and <c>recurrent_dropout</c> multiplies
/// h_{t-1} by a mask [U] where they enter x_t K and h_{t-1} R (one mask each, shared by all gates: Keras's
/// implementation 2); each mask is drawn once per sequence (the same at every step) by <see cref="DropoutMask"/> from
/// the seed, the epoch and the sample's id (stream 0 for the inputs, 1 for the state), so it does not depend on the
/// sample's row in the block.
/// B = batch, T = steps, F = input features, U = units, G = the cell's width (gates x units).
/// </summary>
public sealed class Recurrent : Layer
{
    private readonly RecurrentCell _cell;
    private readonly bool _returnSequences;
    private readonly float _dropout, _recurrentDropout;
    private readonly float[] _states;         // [B, T, U]: h_t of the last forward, for backward
    private readonly float[] _inputMasks;     // [B, F]: the dropout mask of each sample's x_t
    private readonly float[] _recurrentMasks; // [B, U]: the recurrent dropout mask of each sample's h_{t-1}
    private readonly float[] _maskedInputs;   // [B, T, F]: x_t * mask, when dropping
    private readonly float[] _maskedStates;   // [B, T, U]: h_t * recurrent mask (what enters step t+1), when dropping
    private readonly float[] _dState;         // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _kernelT;        // [G, F]
    private readonly float[] _recurrentT;     // [G, U]
    private bool _inputDropped, _stateDropped; // whether the last forward applied the masks

    public Recurrent(string name, int maxBatch, int steps, RecurrentCell cell, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, cell.InputFeatures, returnSequences ? steps : 1, cell.Units)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "allowed [0, 1)");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), recurrentDropout, "allowed [0, 1)");
        _cell = cell;
        _returnSequences = returnSequences;
        _dropout = dropout;
        _recurrentDropout = recurrentDropout;
        _states = new float[maxBatch * steps * U];
        _inputMasks = new float[maxBatch * F];
        _recurrentMasks = new float[maxBatch * U];
        _maskedInputs = dropout > 0 ? new float[maxBatch * steps * F] : [];
        _maskedStates = recurrentDropout > 0 ? new float[maxBatch * steps * U] : [];
        _dState = new float[maxBatch * U];
        _kernelT = new float[G * F];
        _recurrentT = new float[G * U];
        cell.Build(maxBatch, steps, _states);
    }

    public override IReadOnlyList<ParameterShape> Parameters => _cell.Parameters;

    private int F => InputFeatures;
    private int U => OutputFeatures;
    private int T => InputSteps;
    private int G => _cell.Width;

    public override void Initialise(Span<float> parameters, NumpyRandomState random) => _cell.Initialise(parameters, random);

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        var input = BeginForward(x, batch);
        var states = EnteringStates;
        for (int t = 0; t < T; t++)
        {
            // z_t = b + x_t K + h_{t-1} R (x_t, h_{t-1} masked when dropping), accumulated where the cell says
            _cell.BeginStep(parameters, t, batch);
            // x_t: [B, F] (row stride T F), K: [F, G] -> z_t: [B, G] (+=)
            BlockProduct.MultiplyAdd(new MatrixIn(input, t * F, T * F), new MatrixIn(kernel, 0, G), _cell.InputPreactivations(t), rows: batch, depth: F, columns: G);
            // h_{t-1}: [B, U] (row stride T U), R: [U, G] -> z_t: [B, G] (+=)
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(states, (t - 1) * U, T * U), new MatrixIn(recurrent, 0, G), _cell.RecurrentPreactivations(t), rows: batch, depth: U, columns: G);
            for (int b = 0; b < batch; b++)
            {
                // z_t -> h_t of sample b
                _cell.Step(parameters, b, t);
                StateDone(b, t);
            }
        }
        WriteOutput(y, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=, skipped when dx is empty); the cell's dz_t kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Transpose.Matrix(parameters.Slice(F * G, U * G), U, G, _recurrentT);
        var dh = _dState.AsSpan(0, batch * U);
        var dzRecurrent = _cell.RecurrentPreactivationGradients;
        dh.Clear();
        _cell.BeginBackward(batch);
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                var dhb = dh.Slice(b * U, U);
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                AddOutputGradient(dy, dhb, b, t);
                // forward: z_t -> h_t; so dL/dh_t -> dz_t
                _cell.StepBackward(parameters, dhb, b, t);
            }
            dh.Clear();
            if (t > 0)
            {
                // forward: z_t += h_{t-1} R; so dL/dh_{t-1} = dz_t R^T (times the recurrent mask when dropping):
                // dz_t: [B, G] (row stride T G), R^T: [G, U] -> dh: [B, U] (+=)
                BlockProduct.MultiplyAdd(new MatrixIn(dzRecurrent, t * G, T * G), new MatrixIn(_recurrentT, 0, U), new MatrixOut(dh, 0, U), rows: batch, depth: G, columns: U);
                MaskStateGradient(dh, batch);
                _cell.AddDirectStateGradient(dh, batch);
            }
        }
        // forward: z_t += x_t K (x_t masked when dropping); so dx = dz K^T (times the input mask when dropping),
        // unless nobody wants dx (empty)
        if (dx.IsEmpty) return;
        Transpose.Matrix(parameters[..(F * G)], F, G, _kernelT);
        RecurrentGradients.InputGradient(_cell.InputPreactivationGradients, _kernelT, dx, batch, T, F, G);
        if (_inputDropped) ApplyMasks(dx, _inputMasks, batch, T, F);
    }

    // samples [first, first + count) of the last Backward -> dParameters (+=), as the cell forms them from its dz
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        _cell.AddWeightGradients(_inputDropped ? _maskedInputs : x, EnteringStates, dParameters, first, count);
    }

    /// <summary>
    /// Starts a forward pass: draws the block's masks when training with dropout and returns x as it enters x_t K
    /// ([B, T, F], masked when dropping).
    /// </summary>
    private ReadOnlySpan<float> BeginForward(ReadOnlySpan<float> x, int batch)
    {
        _inputDropped = Context.Training && _dropout > 0;
        _stateDropped = Context.Training && _recurrentDropout > 0;
        if (_stateDropped)
            for (int b = 0; b < batch; b++) DropoutMask.Fill(_recurrentMasks.AsSpan(b * U, U), _recurrentDropout, Context, b, Index, 1);
        if (!_inputDropped) return x;
        for (int b = 0; b < batch; b++)
        {
            var mask = _inputMasks.AsSpan(b * F, F);
            DropoutMask.Fill(mask, _dropout, Context, b, Index, 0);
            for (int t = 0; t < T; t++) GateKernels.Multiply(x.Slice((b * T + t) * F, F), mask, _maskedInputs.AsSpan((b * T + t) * F, F));
        }
        return _maskedInputs;
    }

    /// <summary>h_t as it enters step t + 1 (h_{t} R): [B, T, U], masked when dropping.</summary>
    private ReadOnlySpan<float> EnteringStates => _stateDropped ? _maskedStates : _states;

    /// <summary>h_t of sample b is final: keeps its masked copy for the next step when dropping.</summary>
    private void StateDone(int b, int t)
    {
        int at = (b * T + t) * U;
        if (_stateDropped) GateKernels.Multiply(_states.AsSpan(at, U), _recurrentMasks.AsSpan(b * U, U), _maskedStates.AsSpan(at, U));
    }

    // States -> y: [B, T, U] (return sequences) or [B, 1, U]
    private void WriteOutput(Span<float> y, int batch)
    {
        for (int b = 0; b < batch; b++)
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
    }

    // dh: [U] of sample b at step t += dL/dh_t from the output, when step t is an output (dy: [B, T, U] or [B, 1, U])
    private void AddOutputGradient(ReadOnlySpan<float> dy, Span<float> dh, int b, int t)
    {
        if (_returnSequences) SimdKernels.Add(dy.Slice((b * T + t) * U, U), dh);
        else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dh);
    }

    // dh: [B, U] = dL/d(h_{t-1} as it entered h_{t-1} R) -> dL/dh_{t-1}: times the recurrent mask when dropping
    private void MaskStateGradient(Span<float> dh, int batch)
    {
        if (_stateDropped) ApplyMasks(dh, _recurrentMasks, batch, 1, U);
    }

    // rows: [B, steps, n] *= the sample's mask (masks: [B, n]), in place
    private static void ApplyMasks(Span<float> rows, ReadOnlySpan<float> masks, int batch, int steps, int n)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var row = rows.Slice((b * steps + t) * n, n);
                GateKernels.Multiply(row, masks.Slice(b * n, n), row);
            }
    }
}
