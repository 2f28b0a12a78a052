using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// The chapter's LNSimpleRNNCell: a SimpleRNNCell without activation (bias kept), then LayerNormalization over the
/// units, then tanh:
///   z_t = x_t K + h_{t-1} R + b,  n_t = (z_t - mean(z_t)) / sqrt(var(z_t) + eps),  h_t = tanh(n_t * gamma + beta),
/// with mean and biased variance over the units, eps = 1e-3 (Keras's default); z_t accumulates in place in h_t.
/// B = batch, T = steps, F = input features, U = units (G = U); a step's tensors are [U, B] (batch-minor): each sample's
/// mean and variance are read down its lane (stride B), and the element-wise parts run one unit row of B lanes at a time.
/// Weights (Keras layout, in this order): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal),
/// bias [U] (zeros), gamma [U] (ones), beta [U] (zeros).
/// The mean and the variance (and, backward, the two sums of the layer-norm gradient) are sequential double sums over
/// the units in index order; gamma's and beta's gradients, like the others, are sums over (sample, step) taken after
/// backpropagation, sample after sample, last step first.
/// </summary>
public sealed class LayerNormSimpleRnnCell(int inputFeatures, int units)
    : RecurrentCell(inputFeatures, units, gates: 1, new ParameterShape("bias", [units]), new ParameterShape("gamma", [units]),
        new ParameterShape("beta", [units]))
{
    public const double Epsilon = 1e-3;

    private const int Gamma = 3, Beta = 4;

    private AlignedFloats _normalised = AlignedFloats.Empty;       // [T, U, B]: n_t^T
    private AlignedFloats _rstd = AlignedFloats.Empty;             // [T, B]: 1 / sqrt(var(z_t) + eps) of each sample
    private AlignedFloats _dScaled = AlignedFloats.Empty;          // [T, U, B]: dL/d(n_t gamma + beta)^T
    private AlignedFloats _sampleNormalised = AlignedFloats.Empty; // [B, T, U]: _normalised sample-major, for gamma's gradient
    private AlignedFloats _sampleDScaled = AlignedFloats.Empty;    // [B, T, U]: _dScaled sample-major, for gamma's and beta's gradients
    private AlignedFloats _dNormalised = AlignedFloats.Empty;      // [U, B]: dL/dn_t^T of the step being backpropagated
    private double[] _sums = [];            // [B]: a sum over the units of each sample (then the mean)
    private double[] _squares = [];         // [B]: a second sum over the units of each sample
    private AlignedFloats _means = AlignedFloats.Empty;            // [B]: mean(z_t), or mean(dn), as float
    private AlignedFloats _meansDnN = AlignedFloats.Empty;         // [B]: mean(dn n) as float

    protected override void Allocate(int maxBatch)
    {
        _normalised = new AlignedFloats(T * U * maxBatch);
        _rstd = new AlignedFloats(T * maxBatch);
        _dScaled = new AlignedFloats(T * U * maxBatch);
        _sampleNormalised = new AlignedFloats(maxBatch * T * U);
        _sampleDScaled = new AlignedFloats(maxBatch * T * U);
        _dNormalised = new AlignedFloats(U * maxBatch);
        _sums = new double[maxBatch];
        _squares = new double[maxBatch];
        _means = new AlignedFloats(maxBatch);
        _meansDnN = new AlignedFloats(maxBatch);
    }

    private protected override long OwnCacheFloats(int maxBatch, int steps) => (long)maxBatch * (steps * (4L * U + 1) + U + 2 * 2 + 2);

    // weights: bias, gamma, beta [U] each
    protected override void InitialiseWeights(Span<float> weights)
    {
        weights[..U].Clear();
        Initialisers.Constant(weights.Slice(U, U), 1f);
        weights.Slice(2 * U, U).Clear();
    }

    // z_t^T [U, B] (in h_t^T) -> n_t = (z_t - mean) rstd; h_t = tanh(n_t gamma + beta), every sample in its lane
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int t, int batch)
    {
        var z = AtStep(States, t, U, batch);
        var gamma = parameters[Tensor(Gamma)];
        var beta = parameters[Tensor(Beta)];
        var sums = _sums.AsSpan(0, batch);
        var squares = _squares.AsSpan(0, batch);
        var means = _means.AsSpan(0, batch);
        var rstd = _rstd.AsSpan(t * batch, batch);
        // mean and biased variance over the units: each sample's sequential sums over j = 0..U-1 (row j of z_t^T)
        sums.Clear();
        squares.Clear();
        for (int j = 0; j < U; j++)
        {
            var row = z.Slice(j * batch, batch);
            for (int b = 0; b < batch; b++) sums[b] += row[b];
        }
        for (int b = 0; b < batch; b++) sums[b] /= U;
        for (int j = 0; j < U; j++)
        {
            var row = z.Slice(j * batch, batch);
            for (int b = 0; b < batch; b++)
            {
                double d = row[b] - sums[b];
                squares[b] += d * d;
            }
        }
        for (int b = 0; b < batch; b++)
        {
            rstd[b] = (float)(1.0 / Math.Sqrt(squares[b] / U + Epsilon));
            means[b] = (float)sums[b];
        }
        // n = (z - mean) rstd; h = tanh(n gamma + beta)
        var normalised = AtStep(_normalised, t, U, batch);
        for (int j = 0; j < U; j++)
            LayerNormKernels.Forward(z.Slice(j * batch, batch), means, rstd, gamma[j], beta[j], normalised.Slice(j * batch, batch), z.Slice(j * batch, batch));
        SimdKernels.Tanh(z, z);
    }

    // dh: [U, B] = dL/dh_t^T -> dz_t^T: [U, B]; da_t kept for gamma's and beta's gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch)
    {
        var gamma = parameters[Tensor(Gamma)];
        var n = AtStep(_normalised, t, U, batch);
        var da = AtStep(_dScaled, t, U, batch);
        var dn = _dNormalised.AsSpan(0, U * batch);
        var sumDn = _sums.AsSpan(0, batch);
        var sumDnN = _squares.AsSpan(0, batch);
        var meanDn = _means.AsSpan(0, batch);
        var meanDnN = _meansDnN.AsSpan(0, batch);
        // forward: h_t = tanh(a), a = n gamma + beta, so da = dh (1 - h^2), dn = da gamma (dgamma, dbeta later)
        SimdKernels.TanhBackward(AtStep(States, t, U, batch), dh, da);
        // forward: n = (z - mean(z)) rstd, so dz = rstd (dn - mean(dn) - n mean(dn n)); each sample's sums over j in order
        sumDn.Clear();
        sumDnN.Clear();
        for (int j = 0; j < U; j++)
        {
            float g = gamma[j];
            for (int b = 0, at = j * batch; b < batch; b++, at++)
            {
                float v = da[at] * g;
                dn[at] = v;
                sumDn[b] += v;
                sumDnN[b] += (double)v * n[at];
            }
        }
        for (int b = 0; b < batch; b++)
        {
            meanDn[b] = (float)(sumDn[b] / U);
            meanDnN[b] = (float)(sumDnN[b] / U);
        }
        var rstd = _rstd.AsSpan(t * batch, batch);
        var dz = AtStep(DPreactivations, t, U, batch);
        for (int j = 0; j < U; j++)
            LayerNormKernels.Backward(dn.Slice(j * batch, batch), n.Slice(j * batch, batch), meanDn, meanDnN, rstd, dz.Slice(j * batch, batch));
    }

    internal override void EndBackward(int batch)
    {
        base.EndBackward(batch);
        Transpose.Matrix(_normalised.AsSpan(0, T * U * batch), T * U, batch, _sampleNormalised);
        Transpose.Matrix(_dScaled.AsSpan(0, T * U * batch), T * U, batch, _sampleDScaled);
    }

    // -> dGamma, dBeta [U], then dKernel [F, U], dRecurrent [U, U], dBias [U] (+=) of samples [first, first + count)
    internal override void AddWeightGradients(ReadOnlySpan<float> input, SampleRows inputRows, ReadOnlySpan<float> states, SampleRows stateRows,
        Span<float> dParameters, int first, int count)
    {
        var dGamma = dParameters[Tensor(Gamma)];
        var dBeta = dParameters[Tensor(Beta)];
        // dbeta += Σ da, dgamma += Σ da n, sample after sample, last step first
        for (int b = first; b < first + count; b++)
        {
            SimdKernels.AddRows(_sampleDScaled, (b * T + T - 1) * U, -U, T, dBeta);
            for (int t = T - 1; t >= 0; t--)
            {
                int row = b * T + t;
                GateKernels.MultiplyAddElementwise(_sampleDScaled.AsSpan(row * U, U), _sampleNormalised.AsSpan(row * U, U), dGamma);
            }
        }
        base.AddWeightGradients(input, inputRows, states, stateRows, dParameters, first, count);
    }
}
