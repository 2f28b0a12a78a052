using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// SimpleRNN: h_t = tanh(x_t K + h_{t-1} R + b), h_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, U] (glorot_uniform), recurrent_kernel [U, U] (orthogonal), bias [U] (zeros).
/// Dropout and the block's samples advancing together: see <see cref="RecurrentLayer"/>. Each product is one
/// <see cref="BlockProduct"/> over the block's rows; the weight gradients are computed after backpropagation as
/// products over (sample, step) in the order sample by sample, last step first: the same sums, in the same order, as
/// accumulating them step by step.
/// </summary>
public sealed class SimpleRnn : RecurrentLayer
{
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dPreactivations; // [B, T, U]: dL/dz_t
    private readonly float[] _kernelT;    // [U, F]
    private readonly float[] _recurrentT; // [U, U]

    public SimpleRnn(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, inputFeatures, units, returnSequences, dropout, recurrentDropout)
    {
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, units]),
            new ParameterShape("recurrent_kernel", [units, units]),
            new ParameterShape("bias", [units]),
        ];
        _dState = new float[maxBatch * units];
        _dPreactivations = new float[maxBatch * steps * units];
        _kernelT = new float[units * inputFeatures];
        _recurrentT = new float[units * units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(F * U)], F, U, random);
        Initialisers.Orthogonal(parameters.Slice(F * U, U * U), U, U, random);
        parameters.Slice(F * U + U * U, U).Clear();
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * U)];
        var recurrent = parameters.Slice(F * U, U * U);
        var bias = parameters.Slice(F * U + U * U, U);
        var input = BeginForward(x, batch);
        var states = EnteringStates;
        for (int t = 0; t < T; t++)
        {
            // z_t = b + x_t K + h_{t-1} R (x_t, h_{t-1} masked when dropping), accumulated in h_t, then h_t = tanh(z_t)
            for (int b = 0; b < batch; b++) bias.CopyTo(States.AsSpan((b * T + t) * U, U));
            BlockProduct.MultiplyAdd(new MatrixIn(input, t * F, T * F), new MatrixIn(kernel, 0, U), new MatrixOut(States, t * U, T * U), rows: batch, depth: F, columns: U);
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(states, (t - 1) * U, T * U), new MatrixIn(recurrent, 0, U), new MatrixOut(States, t * U, T * U), rows: batch, depth: U, columns: U);
            for (int b = 0; b < batch; b++)
            {
                var h = States.AsSpan((b * T + t) * U, U);
                SimdKernels.Tanh(h, h);
                StateDone(b, t);
            }
        }
        WriteOutput(y, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dKernel [F, U], dRecurrent [U, U], dBias [U] (+=)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(F * U)], F, U, _kernelT);
        Transpose.Matrix(parameters.Slice(F * U, U * U), U, U, _recurrentT);
        var dh = _dState.AsSpan(0, batch * U);
        var dz = _dPreactivations.AsSpan();
        dh.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                var dhb = dh.Slice(b * U, U);
                AddOutputGradient(dy, dhb, b, t);
                // forward: h_t = tanh(z_t), z_t = x_t K + h_{t-1} R + b
                SimdKernels.TanhBackward(States.AsSpan((b * T + t) * U, U), dhb, dz.Slice((b * T + t) * U, U));
            }
            dh.Clear();
            if (t > 0)
            {
                // dL/dh_{t-1} = dz_t R^T (times the recurrent mask when dropping)
                BlockProduct.MultiplyAdd(new MatrixIn(dz, t * U, T * U), new MatrixIn(_recurrentT, 0, U), new MatrixOut(dh, 0, U), rows: batch, depth: U, columns: U);
                MaskStateGradient(dh, batch);
            }
        }
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        InputGradient(dz, _kernelT, dx, batch, U);
        RecurrentGradients.WeightGradients(EnteredInputs(x), EnteringStates, dz,
            dParameters[..(F * U)], dParameters.Slice(F * U, U * U), dParameters.Slice(F * U + U * U, U), batch, T, F, U, U);
    }
}
