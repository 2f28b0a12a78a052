using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// SimpleRNN: h_t = tanh(x_t K + h_{t-1} R + b), h_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal), bias [U] (zeros).
/// </summary>
public sealed class SimpleRnn : Layer
{
    private readonly bool _returnSequences;
    private readonly float[] _states;     // [B, T, U]: h_t of the last forward, for backward
    private readonly float[] _dState;     // [U]: dL/dh_t of the sample being backpropagated
    private readonly float[] _dPreactivation; // [U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]

    public SimpleRnn(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences)
        : base(name, maxBatch, steps, inputFeatures, returnSequences ? steps : 1, units)
    {
        _returnSequences = returnSequences;
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
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < T; t++)
            {
                var h = _states.AsSpan((b * T + t) * U, U);
                // z = b + x_t K + h_{t-1} R, accumulated in h, then h = tanh(z)
                bias.CopyTo(h);
                SimdKernels.VectorMatrixAdd(x.Slice((b * T + t) * F, F), kernel, h);
                if (t > 0) SimdKernels.VectorMatrixAdd(_states.AsSpan((b * T + t - 1) * U, U), recurrent, h);
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
                SimdKernels.OuterAdd(x.Slice((b * T + t) * F, F), dz, dKernel);
                var dxT = dx.Slice((b * T + t) * F, F);
                dxT.Clear();
                SimdKernels.VectorMatrixAdd(dz, _kernelT, dxT);
                dh.Clear();
                if (t > 0)
                {
                    SimdKernels.OuterAdd(_states.AsSpan((b * T + t - 1) * U, U), dz, dRecurrent);
                    SimdKernels.VectorMatrixAdd(dz, _recurrentT, dh);
                }
            }
        }
    }
}
