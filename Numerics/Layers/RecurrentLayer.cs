using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// What SimpleRNN, LSTM, GRU and the LN cell share: the states h_t of the last forward, the output (every h_t with
/// <c>return_sequences</c>, else the last), the dropout masks, and the gradients that follow from the preactivation
/// gradients once BPTT is done (<see cref="RecurrentGradients"/>). The block's samples advance through time together.
/// Dropout (training only, inverted): <c>dropout</c> multiplies x_t by a mask [F] and <c>recurrent_dropout</c> multiplies
/// h_{t-1} by a mask [U] where they enter x_t K and h_{t-1} R; each mask is drawn once per sequence (the same at every
/// step) by <see cref="DropoutMask"/> from the seed, the epoch and the sample's id (stream 0 for the inputs, 1 for the
/// state), so it does not depend on the sample's row in the block.
/// B = batch, T = steps, F = input features, U = units.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private readonly bool _returnSequences;
    private readonly float _dropout, _recurrentDropout;
    private readonly float[] _inputMasks;     // [B, F]: the dropout mask of each sample's x_t
    private readonly float[] _recurrentMasks; // [B, U]: the recurrent dropout mask of each sample's h_{t-1}
    private readonly float[] _maskedInputs;   // [B, T, F]: x_t * mask, when dropping
    private readonly float[] _maskedStates;   // [B, T, U]: h_t * recurrent mask (what enters step t+1), when dropping
    private bool _inputDropped, _stateDropped; // whether the last forward applied the masks

    protected RecurrentLayer(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
        float dropout, float recurrentDropout)
        : base(name, maxBatch, steps, inputFeatures, returnSequences ? steps : 1, units)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "allowed [0, 1)");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), recurrentDropout, "allowed [0, 1)");
        _returnSequences = returnSequences;
        _dropout = dropout;
        _recurrentDropout = recurrentDropout;
        States = new float[maxBatch * steps * units];
        _inputMasks = new float[maxBatch * inputFeatures];
        _recurrentMasks = new float[maxBatch * units];
        _maskedInputs = dropout > 0 ? new float[maxBatch * steps * inputFeatures] : [];
        _maskedStates = recurrentDropout > 0 ? new float[maxBatch * steps * units] : [];
    }

    protected int F => InputFeatures;
    protected int U => OutputFeatures;
    protected int T => InputSteps;

    /// <summary>[B, T, U]: h_t of the last forward, for backward.</summary>
    protected float[] States { get; }

    /// <summary>
    /// Starts a forward pass: draws the block's masks when training with dropout and returns x as it enters x_t K
    /// ([B, T, F], masked when dropping).
    /// </summary>
    protected ReadOnlySpan<float> BeginForward(ReadOnlySpan<float> x, int batch)
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

    /// <summary>x as it entered x_t K in the last forward: [B, T, F].</summary>
    protected ReadOnlySpan<float> EnteredInputs(ReadOnlySpan<float> x) => _inputDropped ? _maskedInputs : x;

    /// <summary>h_t as it enters step t + 1 (h_{t} R): [B, T, U], masked when dropping.</summary>
    protected ReadOnlySpan<float> EnteringStates => _stateDropped ? _maskedStates : States;

    /// <summary>h_t of sample b is final: keeps its masked copy for the next step when dropping.</summary>
    protected void StateDone(int b, int t)
    {
        int at = (b * T + t) * U;
        if (_stateDropped) GateKernels.Multiply(States.AsSpan(at, U), _recurrentMasks.AsSpan(b * U, U), _maskedStates.AsSpan(at, U));
    }

    // States -> y: [B, T, U] (return sequences) or [B, 1, U]
    protected void WriteOutput(Span<float> y, int batch)
    {
        for (int b = 0; b < batch; b++)
            if (_returnSequences) States.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else States.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
    }

    // dh: [U] of sample b at step t += dL/dh_t from the output, when step t is an output (dy: [B, T, U] or [B, 1, U])
    protected void AddOutputGradient(ReadOnlySpan<float> dy, Span<float> dh, int b, int t)
    {
        if (_returnSequences) SimdKernels.Add(dy.Slice((b * T + t) * U, U), dh);
        else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dh);
    }

    // dh: [B, U] = dL/d(h_{t-1} as it entered h_{t-1} R) -> dL/dh_{t-1}: times the recurrent mask when dropping
    protected void MaskStateGradient(Span<float> dh, int batch)
    {
        if (_stateDropped) ApplyMasks(dh, _recurrentMasks, batch, 1, U);
    }

    // dz: [B, T, G], kernelT: [G, F] -> dx: [B, T, F] = dz K^T, times the input mask when dropping (nothing when dx is empty)
    protected void InputGradient(ReadOnlySpan<float> dz, ReadOnlySpan<float> kernelT, Span<float> dx, int batch, int width)
    {
        if (dx.IsEmpty) return;
        RecurrentGradients.InputGradient(dz, kernelT, dx, batch, T, F, width);
        if (_inputDropped) ApplyMasks(dx, _inputMasks, batch, T, F);
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
