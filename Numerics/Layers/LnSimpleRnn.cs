using System.Runtime.CompilerServices;
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
/// the units in index order; everything else is element-wise or a <see cref="BlockProduct"/>, as in the other layers:
/// the block's samples advance through time together, and the weight gradients (gamma and beta too) are sums over
/// (sample, step) taken after backpropagation, sample after sample, last step first.
/// </summary>
public sealed class LnSimpleRnn : RecurrentLayer
{
    public const double Epsilon = 1e-3;

    private readonly float[] _normalised; // [B, T, U]: n_t
    private readonly float[] _rstd;       // [B, T]: 1 / sqrt(var(z_t) + eps)
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dScaled;    // [B, T, U]: dL/d(n_t gamma + beta)
    private readonly float[] _dNormalised; // [U]: dL/dn_t of one sample
    private readonly float[] _dPreactivations; // [B, T, U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]

    public LnSimpleRnn(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences)
        : base(name, maxBatch, steps, inputFeatures, units, returnSequences, dropout: 0, recurrentDropout: 0)
    {
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, units]),
            new ParameterShape("recurrent_kernel", [units, units]),
            new ParameterShape("bias", [units]),
            new ParameterShape("gamma", [units]),
            new ParameterShape("beta", [units]),
        ];
        _normalised = new float[maxBatch * steps * units];
        _rstd = new float[maxBatch * steps];
        _dState = new float[maxBatch * units];
        _dScaled = new float[maxBatch * steps * units];
        _dNormalised = new float[units];
        _dPreactivations = new float[maxBatch * steps * units];
        _kernelT = new float[units * inputFeatures];
        _recurrentT = new float[units * units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        int biasAt = F * U + U * U;
        var kernel = parameters[..(F * U)];
        var recurrent = parameters.Slice(F * U, U * U);
        var bias = parameters.Slice(biasAt, U);
        var gamma = parameters.Slice(biasAt + U, U);
        var beta = parameters.Slice(biasAt + 2 * U, U);
        for (int t = 0; t < T; t++)
        {
            // z = b + x_t K + h_{t-1} R, accumulated in h
            for (int b = 0; b < batch; b++) bias.CopyTo(States.AsSpan((b * T + t) * U, U));
            BlockProduct.MultiplyAdd(new MatrixIn(x, t * F, T * F), new MatrixIn(kernel, 0, U), new MatrixOut(States, t * U, T * U), rows: batch, depth: F, columns: U);
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(States, (t - 1) * U, T * U), new MatrixIn(recurrent, 0, U), new MatrixOut(States, t * U, T * U), rows: batch, depth: U, columns: U);
            for (int b = 0; b < batch; b++)
            {
                int row = b * T + t;
                var h = States.AsSpan(row * U, U);
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
        }
        WriteOutput(y, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, U], dRecurrent [U, U], dBias, dGamma, dBeta [U] (+=)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var dh = _dState.AsSpan(0, batch * U);
        var dn = _dNormalised.AsSpan();
        var dz = _dPreactivations.AsSpan();
        dh.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = b * T + t;
                var dhb = dh.Slice(b * U, U);
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                AddOutputGradient(dy, dhb, b, t);
                // forward: h_t = tanh(a), a = n gamma + beta, so da = dh (1 - h^2), dn = da gamma (dgamma, dbeta below)
                var n = _normalised.AsSpan(row * U, U);
                var da = _dScaled.AsSpan(row * U, U);
                SimdKernels.TanhBackward(States.AsSpan(row * U, U), dhb, da);
                GateKernels.Multiply(da, gamma, dn);
                // forward: n = (z - mean(z)) rstd, so dz = rstd (dn - mean(dn) - n mean(dn n)); sums in a fixed order
                double sumDn = 0, sumDnN = 0;
                for (int j = 0; j < U; j++)
                {
                    sumDn += dn[j];
                    sumDnN += (double)dn[j] * n[j];
                }
                ConvKernels.LayerNormBackward(dn, n, (float)(sumDn / U), (float)(sumDnN / U), _rstd[row], dz.Slice(row * U, U));
            }
            // dL/dh_{t-1} = dz_t R^T
            dh.Clear();
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(dz, t * U, T * U), new MatrixIn(_recurrentT, 0, U), new MatrixOut(dh, 0, U), rows: batch, depth: U, columns: U);
        }
        // dbeta += Σ da, dgamma += Σ da n, sample after sample, last step first
        for (int b = 0; b < batch; b++)
            for (int t = T - 1; t >= 0; t--)
            {
                int row = b * T + t;
                SimdKernels.Add(_dScaled.AsSpan(row * U, U), dBeta);
                GateKernels.MultiplyAddElementwise(_dScaled.AsSpan(row * U, U), _normalised.AsSpan(row * U, U), dGamma);
            }
        // forward: z_t = x_t K + h_{t-1} R + b
        InputGradient(dz, _kernelT, dx, batch, U);
        RecurrentGradients.WeightGradients(x, States, dz, dKernel, dRecurrent, dBias, batch, T, F, U, U);
    }
}
