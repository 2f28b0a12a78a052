using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// The chapter's LNSimpleRNNCell in an RNN layer: a SimpleRNNCell without activation (bias kept), then
/// LayerNormalization over the units, then tanh:
///   z_t = x_t K + h_{t-1} R + b,  n_t = (z_t - mean(z_t)) / sqrt(var(z_t) + eps),  h_t = tanh(n_t * gamma + beta),
/// with h_{-1} = 0, mean and biased variance over the units, eps = 1e-3 (Keras's default). Returns h for every step
/// when <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout, in this order): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal),
/// bias [U] (zeros), gamma [U] (ones), beta [U] (zeros).
/// The mean and the variance (and, backward, the two sums of the layer-norm gradient) are sequential double sums over
/// the units in index order; everything else is element-wise or row-after-row, as in the other layers.
/// </summary>
public sealed class LnSimpleRnn : Layer
{
    public const double Epsilon = 1e-3;

    private readonly bool _returnSequences;
    private readonly float[] _states;     // [B, T, U]: h_t of the last forward, for backward
    private readonly float[] _normalised; // [B, T, U]: n_t
    private readonly float[] _rstd;       // [B, T]: 1 / sqrt(var(z_t) + eps)
    private readonly float[] _dState;     // [U]: dL/dh_t of the sample being backpropagated
    private readonly float[] _dScaled;    // [U]: dL/d(n_t gamma + beta)
    private readonly float[] _dNormalised; // [U]: dL/dn_t
    private readonly float[] _dPreactivation; // [U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]

    public LnSimpleRnn(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences)
        : base(name, maxBatch, steps, inputFeatures, returnSequences ? steps : 1, units)
    {
        _returnSequences = returnSequences;
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, units]),
            new ParameterShape("recurrent_kernel", [units, units]),
            new ParameterShape("bias", [units]),
            new ParameterShape("gamma", [units]),
            new ParameterShape("beta", [units]),
        ];
        _states = new float[maxBatch * steps * units];
        _normalised = new float[maxBatch * steps * units];
        _rstd = new float[maxBatch * steps];
        _dState = new float[units];
        _dScaled = new float[units];
        _dNormalised = new float[units];
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
        int biasAt = F * U + U * U;
        parameters.Slice(biasAt, U).Clear();
        Initialisers.Constant(parameters.Slice(biasAt + U, U), 1f);
        parameters.Slice(biasAt + 2 * U, U).Clear();
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        int biasAt = F * U + U * U;
        var kernel = parameters[..(F * U)];
        var recurrent = parameters.Slice(F * U, U * U);
        var bias = parameters.Slice(biasAt, U);
        var gamma = parameters.Slice(biasAt + U, U);
        var beta = parameters.Slice(biasAt + 2 * U, U);
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < T; t++)
            {
                int row = b * T + t;
                var h = _states.AsSpan(row * U, U);
                // z = b + x_t K + h_{t-1} R, accumulated in h
                bias.CopyTo(h);
                SimdKernels.VectorMatrixAdd(x.Slice(row * F, F), kernel, h);
                if (t > 0) SimdKernels.VectorMatrixAdd(_states.AsSpan((row - 1) * U, U), recurrent, h);
                // mean and biased variance over the units: sequential sums in a fixed order
                double sum = 0;
                for (int j = 0; j < U; j++) sum += h[j];
                double mean = sum / U;
                double squares = 0;
                for (int j = 0; j < U; j++)
                {
                    double d = h[j] - mean;
                    squares += d * d;
                }
                float rstd = (float)(1.0 / Math.Sqrt(squares / U + Epsilon));
                _rstd[row] = rstd;
                // n = (z - mean) rstd; h = tanh(n gamma + beta)
                ConvKernels.LayerNorm(h, (float)mean, rstd, gamma, beta, _normalised.AsSpan(row * U, U), h);
                SimdKernels.Tanh(h, h);
            }
            if (_returnSequences) _states.AsSpan(b * T * U, T * U).CopyTo(y.Slice(b * T * U, T * U));
            else _states.AsSpan((b * T + T - 1) * U, U).CopyTo(y.Slice(b * U, U));
        }
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, U], dRecurrent [U, U], dBias, dGamma, dBeta [U] (+=)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(F * U)], F, U, _kernelT);
        Transpose.Matrix(parameters.Slice(F * U, U * U), U, U, _recurrentT);
        int biasAt = F * U + U * U;
        var gamma = parameters.Slice(biasAt + U, U);
        var dKernel = dParameters[..(F * U)];
        var dRecurrent = dParameters.Slice(F * U, U * U);
        var dBias = dParameters.Slice(biasAt, U);
        var dGamma = dParameters.Slice(biasAt + U, U);
        var dBeta = dParameters.Slice(biasAt + 2 * U, U);
        var dh = _dState.AsSpan();
        var da = _dScaled.AsSpan();
        var dn = _dNormalised.AsSpan();
        var dz = _dPreactivation.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            dh.Clear();
            for (int t = T - 1; t >= 0; t--)
            {
                int row = b * T + t;
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                if (_returnSequences) SimdKernels.Add(dy.Slice(row * U, U), dh);
                else if (t == T - 1) SimdKernels.Add(dy.Slice(b * U, U), dh);
                // forward: h_t = tanh(a), a = n gamma + beta, so da = dh (1 - h^2), dgamma += da n, dbeta += da, dn = da gamma
                var n = _normalised.AsSpan(row * U, U);
                SimdKernels.TanhBackward(_states.AsSpan(row * U, U), dh, da);
                SimdKernels.Add(da, dBeta);
                ConvKernels.ProductAdd(da, n, dGamma);
                ConvKernels.Multiply(da, gamma, dn);
                // forward: n = (z - mean(z)) rstd, so dz = rstd (dn - mean(dn) - n mean(dn n)); sums in a fixed order
                double sumDn = 0, sumDnN = 0;
                for (int j = 0; j < U; j++)
                {
                    sumDn += dn[j];
                    sumDnN += (double)dn[j] * n[j];
                }
                ConvKernels.LayerNormBackward(dn, n, (float)(sumDn / U), (float)(sumDnN / U), _rstd[row], dz);
                // forward: z_t = x_t K + h_{t-1} R + b
                SimdKernels.Add(dz, dBias);
                SimdKernels.OuterAdd(x.Slice(row * F, F), dz, dKernel);
                var dxT = dx.Slice(row * F, F);
                dxT.Clear();
                SimdKernels.VectorMatrixAdd(dz, _kernelT, dxT);
                dh.Clear();
                if (t > 0)
                {
                    SimdKernels.OuterAdd(_states.AsSpan((row - 1) * U, U), dz, dRecurrent);
                    SimdKernels.VectorMatrixAdd(dz, _recurrentT, dh);
                }
            }
        }
    }
}
