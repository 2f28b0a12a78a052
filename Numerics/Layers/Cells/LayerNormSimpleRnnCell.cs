using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers.Cells;

/// <summary>
/// The chapter's LNSimpleRNNCell: a SimpleRNNCell without activation (bias kept), then LayerNormalization over the
/// units, then tanh:
///   z_t = x_t K + h_{t-1} R + b,  n_t = (z_t - mean(z_t)) / sqrt(var(z_t) + eps),  h_t = tanh(n_t * gamma + beta),
/// with mean and biased variance over the units, eps = 1e-3 (Keras's default); z_t accumulates in place in h_t.
/// B = batch, T = steps, F = input features, U = units (G = U); a step's tensors are [U, B] (batch-minor), each sample's
/// normalisation runs on its column copied into a row (its own caches are sample-major).
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

    private float[] _normalised = [];  // [B, T, U]: n_t
    private float[] _rstd = [];        // [B, T]: 1 / sqrt(var(z_t) + eps)
    private float[] _dScaled = [];     // [B, T, U]: dL/d(n_t gamma + beta)
    private float[] _row = [];         // [U]: z_t, then h_t, of one sample (a column of the step's [U, B])
    private float[] _dRow = [];        // [U]: dL/dh_t, then dz_t, of one sample
    private float[] _dNormalised = []; // [U]: dL/dn_t of one sample

    protected override void Allocate(int maxBatch)
    {
        _normalised = new float[maxBatch * T * U];
        _rstd = new float[maxBatch * T];
        _dScaled = new float[maxBatch * T * U];
        _row = new float[U];
        _dRow = new float[U];
        _dNormalised = new float[U];
    }

    // weights: bias, gamma, beta [U] each
    protected override void InitialiseWeights(Span<float> weights)
    {
        weights[..U].Clear();
        Initialisers.Constant(weights.Slice(U, U), 1f);
        weights.Slice(2 * U, U).Clear();
    }

    // z_t^T [U, B] (in h_t^T) -> per sample b (its column, as a row): n_t = (z_t - mean) rstd; h_t = tanh(n_t gamma + beta)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Step(ReadOnlySpan<float> parameters, int t, int batch)
    {
        var states = AtStep(States, t, U, batch);
        var h = _row.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int row = b * T + t;
            Transpose.GatherColumn(states, batch, b, h);
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
            ConvKernels.LayerNorm(h, (float)mean, rstd, parameters[Tensor(Gamma)], parameters[Tensor(Beta)], _normalised.AsSpan(row * U, U), h);
            SimdKernels.Tanh(h, h);
            Transpose.ScatterColumn(h, states, batch, b);
        }
    }

    // dh: [U, B] = dL/dh_t^T -> dz_t^T: [U, B]; per sample b (its column, as a row); da_t kept for gamma's and beta's gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch)
    {
        var states = AtStep(States, t, U, batch);
        var dz = AtStep(DPreactivations, t, U, batch);
        var h = _row.AsSpan();
        var dRow = _dRow.AsSpan();
        var dn = _dNormalised.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int row = b * T + t;
            Transpose.GatherColumn(states, batch, b, h);
            Transpose.GatherColumn(dh, batch, b, dRow);
            // forward: h_t = tanh(a), a = n gamma + beta, so da = dh (1 - h^2), dn = da gamma (dgamma, dbeta later)
            var n = _normalised.AsSpan(row * U, U);
            var da = _dScaled.AsSpan(row * U, U);
            SimdKernels.TanhBackward(h, dRow, da);
            GateKernels.Multiply(da, parameters[Tensor(Gamma)], dn);
            // forward: n = (z - mean(z)) rstd, so dz = rstd (dn - mean(dn) - n mean(dn n)); sums in a fixed order
            double sumDn = 0, sumDnN = 0;
            for (int j = 0; j < U; j++)
            {
                sumDn += dn[j];
                sumDnN += (double)dn[j] * n[j];
            }
            ConvKernels.LayerNormBackward(dn, n, (float)(sumDn / U), (float)(sumDnN / U), _rstd[row], dRow);
            Transpose.ScatterColumn(dRow, dz, batch, b);
        }
    }

    // -> dGamma, dBeta [U], then dKernel [F, U], dRecurrent [U, U], dBias [U] (+=) of samples [first, first + count)
    internal override void AddWeightGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> states, Span<float> dParameters, int first, int count)
    {
        var dGamma = dParameters[Tensor(Gamma)];
        var dBeta = dParameters[Tensor(Beta)];
        // dbeta += Σ da, dgamma += Σ da n, sample after sample, last step first
        for (int b = first; b < first + count; b++)
            for (int t = T - 1; t >= 0; t--)
            {
                int row = b * T + t;
                SimdKernels.Add(_dScaled.AsSpan(row * U, U), dBeta);
                GateKernels.MultiplyAddElementwise(_dScaled.AsSpan(row * U, U), _normalised.AsSpan(row * U, U), dGamma);
            }
        base.AddWeightGradients(input, states, dParameters, first, count);
    }
}
