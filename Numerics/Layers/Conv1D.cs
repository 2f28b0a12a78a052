using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Keras's Conv1D: y[b, i, f] = act(bias[f] + sum_{j &lt; k} sum_c x[b, i*s + j*d - pad, c] K[j, c, f]), where a term
/// with a negative time index is zero padding (and is skipped).
/// B = batch, T = input steps, C = input features, k = kernel size, Fo = filters, To = output steps, s = strides,
/// d = dilation_rate. Padding "valid": pad = 0, To = floor((T - d(k-1) - 1) / s) + 1; "causal": pad = d(k-1) zeros on
/// the left, To = floor((T - 1) / s) + 1, so output i sees inputs up to i*s only.
/// Activation: linear, relu or tanh.
/// Weights (Keras layout): kernel [k, C, Fo] (glorot_uniform, fan_in = k*C, fan_out = k*Fo), bias [Fo] (zeros).
/// Each output row accumulates bias, then tap j = 0..k-1 in order; a tap is one <see cref="BlockProduct"/> over all of
/// a sample's output rows (their inputs are s*C apart). Backward keeps the sums' order of a row-by-row loop: dK and db
/// over output rows in order, dx over taps from the last to the first (i ascending for each input row).
/// </summary>
public sealed class Conv1D : Layer
{
    public static readonly IReadOnlyList<string> Paddings = ["valid", "causal"];
    public static readonly IReadOnlyList<string> Activations = ["linear", "relu", "tanh"];

    private readonly int _kernelSize;
    private readonly int _strides;
    private readonly int _dilation;
    private readonly int _pad;            // zeros on the left: d(k-1) when causal, else 0
    private readonly string _activation;
    private readonly float[] _kernelT;    // [k, Fo, C]: each tap's kernel transposed, for the input gradient
    private readonly float[] _dPreactivation; // [B, To, Fo]: dL/dz of the block being backpropagated

    public Conv1D(string name, int maxBatch, int steps, int inputFeatures, int filters, int kernelSize, int strides = 1,
        string padding = "valid", int dilationRate = 1, string activation = "linear")
        : base(name, maxBatch, steps, inputFeatures, CheckedOutputLength(name, steps, kernelSize, strides, dilationRate, padding), filters)
    {
        if (!Activations.Contains(activation)) throw new ArgumentException($"activation '{activation}'; allowed {string.Join(", ", Activations)}", nameof(activation));
        _kernelSize = kernelSize;
        _strides = strides;
        _dilation = dilationRate;
        _pad = padding == "causal" ? dilationRate * (kernelSize - 1) : 0;
        _activation = activation;
        Parameters =
        [
            new ParameterShape("kernel", [kernelSize, inputFeatures, filters]),
            new ParameterShape("bias", [filters]),
        ];
        _kernelT = new float[kernelSize * filters * inputFeatures];
        _dPreactivation = activation == "linear" ? [] : new float[maxBatch * OutputSteps * filters];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int T => InputSteps;
    private int C => InputFeatures;
    private int To => OutputSteps;
    private int Fo => OutputFeatures;

    /// <summary>
    /// Output steps of a Conv1D on <paramref name="steps"/> inputs: valid floor((T - d(k-1) - 1) / s) + 1,
    /// causal floor((T - 1) / s) + 1; 0 when the input is shorter than the (dilated) kernel.
    /// </summary>
    public static int OutputLength(int steps, int kernelSize, int strides, int dilationRate, string padding)
    {
        if (padding == "causal") return steps < 1 ? 0 : (steps - 1) / strides + 1;
        if (padding != "valid") throw new ArgumentException($"padding '{padding}'; allowed {string.Join(", ", Paddings)}", nameof(padding));
        int span = dilationRate * (kernelSize - 1) + 1;
        return steps < span ? 0 : (steps - span) / strides + 1;
    }

    private static int CheckedOutputLength(string name, int steps, int kernelSize, int strides, int dilationRate, string padding)
    {
        if (kernelSize < 1 || strides < 1 || dilationRate < 1)
            throw new ArgumentException($"kernel_size {kernelSize}, strides {strides}, dilation_rate {dilationRate}: each must be at least 1");
        int length = OutputLength(steps, kernelSize, strides, dilationRate, padding);
        if (length < 1)
            throw new InvalidInputException($"{name} kernel_size",
                $"kernel_size {kernelSize} at dilation_rate {dilationRate} spans {dilationRate * (kernelSize - 1) + 1} steps but the layer's input has {steps} ({padding} padding leaves no output step); use a shorter kernel, a smaller dilation_rate or causal padding");
        return length;
    }

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        int kernel = _kernelSize * C * Fo;
        Initialisers.GlorotUniform(parameters[..kernel], _kernelSize * C, _kernelSize * Fo, random);
        parameters.Slice(kernel, Fo).Clear();
    }

    // x: [B, T, C] -> y: [B, To, Fo]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        int tapSize = C * Fo;
        var kernel = parameters[..(_kernelSize * tapSize)];
        var bias = parameters.Slice(_kernelSize * tapSize, Fo);
        // z = bias + sum over taps j of x[i*s + j*d - pad] K[j]; padded taps (negative time) add nothing
        for (int row = 0; row < batch * To; row++) bias.CopyTo(y.Slice(row * Fo, Fo));
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < _kernelSize; j++)
            {
                int i0 = FirstOutput(j);
                BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C + InputStep(i0, j) * C, _strides * C), new MatrixIn(kernel, j * tapSize, Fo), new MatrixOut(y, (b * To + i0) * Fo, Fo), rows: To - i0, depth: C, columns: Fo);
            }
        var all = y[..(batch * To * Fo)];
        if (_activation == "relu") ConvKernels.Relu(all, all);
        else if (_activation == "tanh") SimdKernels.Tanh(all, all);
    }

    // dy: [B, To, Fo] -> dx: [B, T, C] (=); dz kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        // forward: y = act(z), so dz = dy act'(z), from y
        int outputs = batch * To * Fo;
        if (_activation == "relu") ConvKernels.ReluBackward(y[..outputs], dy[..outputs], _dPreactivation.AsSpan(0, outputs));
        else if (_activation == "tanh") SimdKernels.TanhBackward(y[..outputs], dy[..outputs], _dPreactivation.AsSpan(0, outputs));
        if (dx.IsEmpty) return;
        int tapSize = C * Fo;
        for (int j = 0; j < _kernelSize; j++)
            Transpose.Matrix(parameters.Slice(j * tapSize, tapSize), C, Fo, _kernelT.AsSpan(j * tapSize, tapSize));
        var dz = Preactivation(dy);
        // forward: z_i = b + sum_j x[t_j] K[j], so dx[t_j] += dz_i K[j]^T
        dx[..(batch * T * C)].Clear();
        for (int b = 0; b < batch; b++)
            for (int j = _kernelSize - 1; j >= 0; j--)
            {
                int i0 = FirstOutput(j);
                BlockProduct.MultiplyAdd(new MatrixIn(dz, (b * To + i0) * Fo, Fo), new MatrixIn(_kernelT, j * tapSize, C), new MatrixOut(dx, b * T * C + InputStep(i0, j) * C, _strides * C), rows: To - i0, depth: Fo, columns: C);
            }
    }

    // x: [B, T, C], dz of the last Backward, samples [first, first + count) -> dKernel [k, C, Fo], dBias [Fo] (+=)
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        int tapSize = C * Fo;
        var dKernel = dParameters[..(_kernelSize * tapSize)];
        var dBias = dParameters.Slice(_kernelSize * tapSize, Fo);
        var dz = Preactivation(dy);
        // forward: z_i = b + sum_j x[t_j] K[j], so db += dz_i, dK[j] += outer(x[t_j], dz_i)
        SimdKernels.AddRows(dz, first * To * Fo, Fo, count * To, dBias);
        for (int b = first; b < first + count; b++)
            for (int j = 0; j < _kernelSize; j++)
            {
                int i0 = FirstOutput(j);
                BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C + InputStep(i0, j) * C, 1, _strides * C), new MatrixIn(dz, (b * To + i0) * Fo, Fo), new MatrixOut(dKernel, j * tapSize, Fo), rows: C, depth: To - i0, columns: Fo);
            }
    }

    // dL/dz of the last Backward: dy itself when the activation is linear, else the buffer Backward filled
    private ReadOnlySpan<float> Preactivation(ReadOnlySpan<float> dy) => _activation == "linear" ? dy : _dPreactivation;

    // the input step that tap j of output i reads: i*s + j*d - pad
    private int InputStep(int i, int j) => i * _strides + j * _dilation - _pad;

    // the first output whose tap j reads a real input step (not left padding)
    private int FirstOutput(int j) => Math.Min(To, Math.Max(0, (_pad - j * _dilation + _strides - 1) / _strides));
}
