using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// SimpleRNN: h_t = tanh(x_t K + h_{t-1} R + b), h_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal), bias [U] (zeros).
/// Dropout (training only, inverted): <c>dropout</c> multiplies x_t by a mask [F] and <c>recurrent_dropout</c> multiplies
/// h_{t-1} by a mask [U] where they enter the products x_t K and h_{t-1} R; each mask is drawn once per sequence
/// (the same at every step) by <see cref="DropoutMask"/> from the seed, the epoch and the sample's id (stream 0 for the
/// inputs, 1 for the state), so it does not depend on the sample's row in the block.
/// The block's samples advance through time together, so each product is one <see cref="BlockProduct"/> over the
/// block's rows; the weight gradients are computed after backpropagation as products over (sample, step) in the
/// order sample by sample, last step first: the same sums, in the same order, as accumulating them step by step.
/// </summary>
public sealed class SimpleRnn : Layer
{
    private readonly bool _returnSequences;
    private readonly float[] _states;     // [B, T, U]: h_t of the last forward, for backward
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dPreactivations; // [B, T, U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]
    private readonly float _dropout, _recurrentDropout;
    private readonly float[] _inputMasks;     // [B, F]: the dropout mask of each sample's x_t
    private readonly float[] _recurrentMasks; // [B, U]: the recurrent dropout mask of each sample's h_{t-1}
    private readonly float[] _maskedInputs;   // [B, T, F]: x_t * mask, when dropping
    private readonly float[] _maskedStates;   // [B, T, U]: h_t * recurrent mask (what enters step t+1), when dropping
    private bool _inputDropped, _stateDropped; // whether the last forward applied the masks

    public SimpleRnn(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
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
            new ParameterShape("kernel", [inputFeatures, units]),
            new ParameterShape("recurrent_kernel", [units, units]),
            new ParameterShape("bias", [units]),
        ];
        _states = new float[maxBatch * steps * units];
        _dState = new float[maxBatch * units];
        _dPreactivations = new float[maxBatch * steps * units];
        _kernelT = new float[units * inputFeatures];
        _recurrentT = new float[units * units];
        _inputMasks = new float[maxBatch * inputFeatures];
        _recurrentMasks = new float[maxBatch * units];
        _maskedInputs = dropout > 0 ? new float[maxBatch * steps * inputFeatures] : [];
        _maskedStates = recurrentDropout > 0 ? new float[maxBatch * steps * units] : [];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int F => InputFeatures;
    private int U => OutputFeatures;
    private int T => InputSteps;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(F * U)], F, U, random);
        Initialisers.Orthogonal(parameters.Slice(F * U, U * U), U, U, random);
        parameters.Slice(F * U + U * U, U).Clear();
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * U)];
        var recurrent = parameters.Slice(F * U, U * U);
        var bias = parameters.Slice(F * U + U * U, U);
        _inputDropped = Context.Training && _dropout > 0;
        _stateDropped = Context.Training && _recurrentDropout > 0;
        var input = _inputDropped ? RecurrentMasks.MaskInputs(x, _inputMasks, _maskedInputs, _dropout, Context, Index, batch, T, F) : x;
        var states = _stateDropped ? (ReadOnlySpan<float>)_maskedStates : _states;
        if (_stateDropped) RecurrentMasks.Fill(_recurrentMasks, _recurrentDropout, Context, Index, batch, U);
        for (int t = 0; t < T; t++)
        {
            // z_t = b + x_t K + h_{t-1} R (x_t, h_{t-1} masked when dropping), accumulated in h_t, then h_t = tanh(z_t)
            for (int b = 0; b < batch; b++) bias.CopyTo(_states.AsSpan((b * T + t) * U, U));
            BlockProduct.MultiplyAdd(input, t * F, T * F, 1, batch, kernel, 0, U, F, _states, t * U, T * U, U);
            if (t > 0) BlockProduct.MultiplyAdd(states, (t - 1) * U, T * U, 1, batch, recurrent, 0, U, U, _states, t * U, T * U, U);
            for (int b = 0; b < batch; b++)
            {
                var h = _states.AsSpan((b * T + t) * U, U);
                SimdKernels.Tanh(h, h);
                if (_stateDropped) GateKernels.Multiply(h, _recurrentMasks.AsSpan(b * U, U), _maskedStates.AsSpan((b * T + t) * U, U));
            }
        }
        for (int b = 0; b < batch; b++)
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, U], dRecurrent [U, U], dBias [U] (+=)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(F * U)], F, U, _kernelT);
        Transpose.Matrix(parameters.Slice(F * U, U * U), U, U, _recurrentT);
        var dKernel = dParameters[..(F * U)];
        var dRecurrent = dParameters.Slice(F * U, U * U);
        var dBias = dParameters.Slice(F * U + U * U, U);
        var dh = _dState.AsSpan(0, batch * U);
        var dz = _dPreactivations.AsSpan();
        dh.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                var dhb = dh.Slice(b * U, U);
                if (_returnSequences) SimdKernels.Add(dy.Slice((b * T + t) * U, U), dhb);
                else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dhb);
                // forward: h_t = tanh(z_t), z_t = x_t K + h_{t-1} R + b
                SimdKernels.TanhBackward(_states.AsSpan((b * T + t) * U, U), dhb, dz.Slice((b * T + t) * U, U));
            }
            dh.Clear();
            if (t > 0)
            {
                // dL/dh_{t-1} = dz_t R^T (times the recurrent mask when dropping)
                BlockProduct.MultiplyAdd(dz, t * U, T * U, 1, batch, _recurrentT, 0, U, U, dh, 0, U, U);
                if (_stateDropped) RecurrentMasks.Apply(dh, _recurrentMasks, batch, 1, U);
            }
        }
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        RecurrentGradients.InputGradient(dz, _kernelT, dx, batch, T, F, U);
        if (_inputDropped) RecurrentMasks.Apply(dx, _inputMasks, batch, T, F);
        RecurrentGradients.WeightGradients(_inputDropped ? _maskedInputs : x, _stateDropped ? _maskedStates : _states, dz,
            dKernel, dRecurrent, dBias, batch, T, F, U, U);
    }
}
