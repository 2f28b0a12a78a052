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
/// </summary>
public sealed class SimpleRnn : Layer
{
    private readonly bool _returnSequences;
    private readonly float[] _states;     // [B, T, U]: h_t of the last forward, for backward
    private readonly float[] _dState;     // [U]: dL/dh_t of the sample being backpropagated
    private readonly float[] _dPreactivation; // [U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]
    private readonly float _dropout, _recurrentDropout;
    private readonly float[] _inputMasks;     // [B, F]: the dropout mask of each sample's x_t
    private readonly float[] _recurrentMasks; // [B, U]: the recurrent dropout mask of each sample's h_{t-1}
    private readonly float[] _maskedInput;    // [F]: x_t * mask
    private readonly float[] _maskedState;    // [U]: h_{t-1} * mask
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
        _dState = new float[units];
        _dPreactivation = new float[units];
        _kernelT = new float[units * inputFeatures];
        _recurrentT = new float[units * units];
        _inputMasks = new float[maxBatch * inputFeatures];
        _recurrentMasks = new float[maxBatch * units];
        _maskedInput = new float[inputFeatures];
        _maskedState = new float[units];
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
        for (int b = 0; b < batch; b++)
        {
            if (_inputDropped) DropoutMask.Fill(_inputMasks.AsSpan(b * F, F), _dropout, Context, b, Index, 0);
            if (_stateDropped) DropoutMask.Fill(_recurrentMasks.AsSpan(b * U, U), _recurrentDropout, Context, b, Index, 1);
            for (int t = 0; t < T; t++)
            {
                var h = _states.AsSpan((b * T + t) * U, U);
                // z = b + x_t K + h_{t-1} R (x_t, h_{t-1} masked when dropping), accumulated in h, then h = tanh(z)
                bias.CopyTo(h);
                SimdKernels.VectorMatrixAdd(Input(x, b, t), kernel, h);
                if (t > 0) SimdKernels.VectorMatrixAdd(PreviousState(b, t), recurrent, h);
                SimdKernels.Tanh(h, h);
            }
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
        }
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
        var dh = _dState.AsSpan();
        var dz = _dPreactivation.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            dh.Clear();
            for (int t = T - 1; t >= 0; t--)
            {
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                if (_returnSequences) SimdKernels.Add(dy.Slice((b * T + t) * U, U), dh);
                else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dh);
                // forward: h_t = tanh(z_t), z_t = x_t K + h_{t-1} R + b
                SimdKernels.TanhBackward(_states.AsSpan((b * T + t) * U, U), dh, dz);
                SimdKernels.Add(dz, dBias);
                SimdKernels.OuterAdd(Input(x, b, t), dz, dKernel);
                var dxT = dx.Slice((b * T + t) * F, F);
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
