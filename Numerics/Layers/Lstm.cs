using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// LSTM, as Keras's: gates packed i, f, c (written g here), o;
/// z = x_t K + h_{t-1} R + b; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);
/// c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t); h_{-1} = c_{-1} = 0. Returns h for every step when
/// <c>returnSequences</c>, else only the last h. Trained by backpropagation through time.
/// B = batch, T = steps, F = input features, U = units.
/// Weights (Keras layout): kernel [F, 4U] (glorot_uniform, fan_in F, fan_out 4U), recurrent_kernel [U, 4U]
/// (orthogonal over the whole matrix), bias [4U] (zeros, the forget slice ones: unit_forget_bias).
/// Dropout as <see cref="RecurrentLayer"/> says, one mask each shared by all four gates (Keras's implementation 2);
/// the cell state is never masked. The block's samples advance through time together (one <see cref="BlockProduct"/>
/// per product and step), and the weight gradients are products over (sample, step) after backpropagation, in
/// SimpleRnn's order.
/// </summary>
public sealed class Lstm : RecurrentLayer
{
    private readonly float[] _gates;      // [B, T, 4U]: activated i, f, g, o of the last forward
    private readonly float[] _cells;      // [B, T, U]: c_t
    private readonly float[] _tanhCells;  // [B, T, U]: tanh(c_t)
    private readonly float[] _zeros;      // [U]: c_{-1}
    private readonly float[] _dState;     // [B, U]: dL/dh_t of the block's samples at the step being backpropagated
    private readonly float[] _dCell;      // [B, U]: dL/dc_t
    private readonly float[] _dGates;     // [B, T, 4U]: dL/dz_t
    private readonly float[] _kernelT;    // [4U, F]
    private readonly float[] _recurrentT; // [4U, U]

    public Lstm(string name, int maxBatch, int steps, int inputFeatures, int units, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, inputFeatures, units, returnSequences, dropout, recurrentDropout)
    {
        Parameters =
        [
            new ParameterShape("kernel", [inputFeatures, 4 * units]),
            new ParameterShape("recurrent_kernel", [units, 4 * units]),
            new ParameterShape("bias", [4 * units]),
        ];
        _gates = new float[maxBatch * steps * 4 * units];
        _cells = new float[maxBatch * steps * units];
        _tanhCells = new float[maxBatch * steps * units];
        _zeros = new float[units];
        _dState = new float[maxBatch * units];
        _dCell = new float[maxBatch * units];
        _dGates = new float[maxBatch * steps * 4 * units];
        _kernelT = new float[4 * units * inputFeatures];
        _recurrentT = new float[4 * units * units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int G => 4 * OutputFeatures;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(F * G)], F, G, random);
        Initialisers.Orthogonal(parameters.Slice(F * G, U * G), U, G, random);
        var bias = parameters.Slice(F * G + U * G, G);
        bias.Clear();
        bias.Slice(U, U).Fill(1f);
    }

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        var bias = parameters.Slice(F * G + U * G, G);
        var input = BeginForward(x, batch);
        var states = EnteringStates;
        for (int t = 0; t < T; t++)
        {
            // z = b + x_t K + h_{t-1} R, accumulated in gates, then activated in place
            for (int b = 0; b < batch; b++) bias.CopyTo(_gates.AsSpan((b * T + t) * G, G));
            BlockProduct.MultiplyAdd(new MatrixIn(input, t * F, T * F), new MatrixIn(kernel, 0, G), new MatrixOut(_gates, t * G, T * G), rows: batch, depth: F, columns: G);
            if (t > 0) BlockProduct.MultiplyAdd(new MatrixIn(states, (t - 1) * U, T * U), new MatrixIn(recurrent, 0, G), new MatrixOut(_gates, t * G, T * G), rows: batch, depth: U, columns: G);
            for (int b = 0; b < batch; b++)
            {
                int step = b * T + t;
                var gates = _gates.AsSpan(step * G, G);
                // i, f, o = σ(z), g = tanh(z); c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)
                LstmStepKernel.Forward(gates, t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros, _cells.AsSpan(step * U, U),
                    _tanhCells.AsSpan(step * U, U), States.AsSpan(step * U, U));
                StateDone(b, t);
            }
        }
        WriteOutput(y, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=); dz_t kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Transpose.Matrix(parameters[..(F * G)], F, G, _kernelT);
        Transpose.Matrix(parameters.Slice(F * G, U * G), U, G, _recurrentT);
        var dh = _dState.AsSpan(0, batch * U);
        var dc = _dCell.AsSpan(0, batch * U);
        var dz = _dGates.AsSpan();
        dh.Clear();
        dc.Clear();
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int step = b * T + t;
                var dhb = dh.Slice(b * U, U);
                // dL/dh_t = (from step t+1, already in dh) + (from the output, if step t is an output)
                AddOutputGradient(dy, dhb, b, t);
                // dz_t from dh_t and dc_t; dc becomes dL/dc_{t-1} (through f)
                GateKernels.LstmCellBackward(_gates.AsSpan(step * G, G), t > 0 ? _cells.AsSpan((step - 1) * U, U) : _zeros,
                    _tanhCells.AsSpan(step * U, U), dhb, dc.Slice(b * U, U), dz.Slice(step * G, G));
            }
            dh.Clear();
            if (t > 0)
            {
                // dL/dh_{t-1} = dz_t R^T (times the recurrent mask when dropping)
                BlockProduct.MultiplyAdd(new MatrixIn(dz, t * G, T * G), new MatrixIn(_recurrentT, 0, U), new MatrixOut(dh, 0, U), rows: batch, depth: G, columns: U);
                MaskStateGradient(dh, batch);
            }
        }
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        InputGradient(dz, _kernelT, dx, batch, G);
    }

    // samples [first, first + count) of the last Backward -> dKernel [F, G], dRecurrent [U, G], dBias [G] (+=)
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping)
        RecurrentGradients.WeightGradients(EnteredInputs(x), EnteringStates, _dGates,
            dParameters[..(F * G)], dParameters.Slice(F * G, U * G), dParameters.Slice(F * G + U * G, G), first, count, T, F, U, G);
    }
}
