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
/// a sample's output rows (their inputs are s*C apart), or over the whole block's when strides are 1 and there are as
/// many outputs as inputs (causal padding, or a kernel of 1: see WholeBlockTaps), then with x and dz transposed so that the
/// product's a has adjacent rows. Backward keeps the sums' order of a row-by-row loop: dK and db over output rows in
/// order, sample after sample, dx over taps from the last to the first (i ascending for each input row).
/// Two adjacent convolutions that both run whole-block taps hand over channel-major activations and gradients
/// ([C, B T] rather than [B T, C]; see <see cref="InputChannelMajor"/>): their taps are then products with time as the
/// columns, and no transposes run between them. The sums, and so the bits, are the same either way.
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
    private readonly AlignedFloats _kernelT;    // [k, Fo, C]: each tap's kernel transposed, for the input gradient
    private readonly AlignedFloats _dPreactivation; // [B, To, Fo]: dL/dz of the block being backpropagated (unless dz is dy itself)
    private readonly AlignedFloats _inputCopy;  // x in the other layout (WholeBlockTaps): [C, B T] for the taps when x is [B T, C], [B T, C] for the weight gradients when x is channel-major
    private readonly AlignedFloats _dPreactivationT; // [Fo, B To]: dz transposed, when WholeBlockTaps
    private readonly AlignedFloats _kept;       // dz rows a micro-shard's whole-block tap must not read, kept aside while it runs (WholeBlockTaps)

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
        _kernelT = new AlignedFloats(kernelSize * filters * inputFeatures);
        bool wholeBlockTaps = strides == 1 && OutputSteps == steps;
        // a linear layer's dz is dy, unless dy comes channel-major (whole-block taps only), when dz is dy transposed
        _dPreactivation = activation == "linear" && !wholeBlockTaps ? AlignedFloats.Empty : new AlignedFloats(maxBatch * OutputSteps * filters);
        _inputCopy = wholeBlockTaps && inputFeatures > 1 ? new AlignedFloats(inputFeatures * maxBatch * steps) : AlignedFloats.Empty;
        _dPreactivationT = wholeBlockTaps ? new AlignedFloats(filters * maxBatch * steps) : AlignedFloats.Empty;
        _kept = wholeBlockTaps ? new AlignedFloats(maxBatch * _pad * filters) : AlignedFloats.Empty;
    }

    /// <summary>The floats the constructor allocates, computed without allocating them: what a request's model will take.</summary>
    public static long BufferFloats(int maxBatch, int steps, int inputFeatures, int filters, int kernelSize, int strides, string padding, int dilationRate, string activation)
    {
        long b = maxBatch, f = inputFeatures, fo = filters, to = OutputLength(steps, kernelSize, strides, dilationRate, padding);
        bool wholeBlockTaps = strides == 1 && to == steps;
        long pad = padding == "causal" ? (long)dilationRate * (kernelSize - 1) : 0;
        return kernelSize * fo * f
            + (activation == "linear" && !wholeBlockTaps ? 0 : b * to * fo)
            + (wholeBlockTaps && f > 1 ? f * b * steps : 0)
            + (wholeBlockTaps ? fo * b * steps + b * pad * fo : 0);
    }

    // Every sample's output i reads input i + j d - pad for tap j (strides 1, as many outputs as inputs: causal
    // padding, or a kernel of 1), so across the block output row r = b To + i reads input row r + j d - pad: a tap is
    // one product over the whole block, its rows from the first that reads a real input. The rows i &lt; i0 of
    // samples b &gt; 0 then read sample b - 1's last inputs; each pass puts back what those rows held (see Forward,
    // BackwardCore, AddWeightGradientsCore), so every element's sum is the per-sample loop's, term for term. Two such
    // layers next to each other hand over channel-major (see InputChannelMajor)
    internal bool WholeBlockTaps => _strides == 1 && To == T;

    // Dilation 1 and no padding: tap j of output i reads input i*s + j, so a sample's k taps are one product over k C
    // inputs (taps in order, each one's channels in order: the terms of the tap-by-tap loop in their order) and the
    // weight gradients of the k taps one product with k C rows
    private bool TapsAdjacent => _dilation == 1 && _pad == 0;

    /// <summary>
    /// Set by the network when the layer before is a Conv1D with whole-block taps too (and this one has them): x and
    /// dx are then [C, B T], channel-major, with the rows B T apart for a block of B (the previous layer wrote them so).
    /// </summary>
    internal bool InputChannelMajor { get; set; }

    /// <summary>Set by the network when the layer after reads channel-major: y and dy are then [Fo, B To].</summary>
    internal bool OutputChannelMajor { get; set; }

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
        if (OutputChannelMajor) ForwardChannelMajor(kernel, bias, InputChannelMajor || C == 1 ? x : TransposedInput(x, batch), y, batch);
        else
        {
            RepeatRow(bias, y[..(batch * To * Fo)]);
            ForwardRowMajor(kernel, x, y, batch);
        }
        var all = y[..(batch * To * Fo)];
        if (_activation == "relu") SimdKernels.Relu(all, all);
        else if (_activation == "tanh") SimdKernels.Tanh(all, all);
    }

    // x: [B, T, C] (or x^T: [C, B T] when InputChannelMajor), K: [k, C, Fo] -> y: [B, To, Fo] (+=)
    private void ForwardRowMajor(ReadOnlySpan<float> kernel, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        int tapSize = C * Fo;
        if (WholeBlockTaps)
        {
            // x: [B T, C] -> x^T: [C, B T], so a's rows are adjacent (the packed columns of BlockProduct)
            var xT = InputChannelMajor || C == 1 ? x : TransposedInput(x, batch);
            for (int j = 0; j < _kernelSize; j++)
            {
                // output rows [i0, B To) read input rows [0, B To - i0): x^T [C, rows] read transposed, K[j]: [C, Fo]
                int i0 = FirstOutput(j), rows = batch * To - i0;
                BlockProduct.MultiplyAdd(new MatrixIn(xT, 0, 1, batch * T), new MatrixIn(kernel, j * tapSize, Fo), new MatrixOut(y, i0 * Fo, Fo), rows, depth: C, columns: Fo);
                // rows i < i0 of samples b > 0 held the bias alone (every earlier tap starts at i0 or later), as sample
                // 0's rows i < i0 still do
                for (int b = 1; b < batch; b++) y[..(i0 * Fo)].CopyTo(y[(b * To * Fo)..]);
            }
        }
        else if (TapsAdjacent)
            // x[b, i*s .. i*s + k - 1, :] as one row of k C inputs: [To, k C] by K as [k C, Fo]
            for (int b = 0; b < batch; b++)
                BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C, _strides * C), new MatrixIn(kernel, 0, Fo), new MatrixOut(y, b * To * Fo, Fo), rows: To, depth: _kernelSize * C, columns: Fo);
        else
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < _kernelSize; j++)
                {
                    int i0 = FirstOutput(j);
                    BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C + InputStep(i0, j) * C, _strides * C), new MatrixIn(kernel, j * tapSize, Fo), new MatrixOut(y, (b * To + i0) * Fo, Fo), rows: To - i0, depth: C, columns: Fo);
                }
    }

    // x^T: [C, B T], K: [k, C, Fo], bias: [Fo] -> y^T: [Fo, B To] (whole-block taps, written channel-major)
    private void ForwardChannelMajor(ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, ReadOnlySpan<float> xT, Span<float> yT, int batch)
    {
        int n = batch * To, tapSize = C * Fo;
        SimdKernels.FillRows(bias, yT, n);
        for (int j = 0; j < _kernelSize; j++)
        {
            // output columns [i0, B To) read input columns [0, B To - i0): K[j] read transposed [Fo, C], x^T: [C, columns]
            int i0 = FirstOutput(j);
            BlockProduct.MultiplyAdd(new MatrixIn(kernel, j * tapSize, 1, Fo), new MatrixIn(xT, 0, n), new MatrixOut(yT, i0, n), rows: Fo, depth: C, columns: n - i0);
            // columns i < i0 of samples b > 0 held the bias alone (every earlier tap starts at i0 or later)
            SetSampleStarts(yT, Fo, batch, 0, i0, bias);
        }
    }

    // x: [B T, C] -> x^T: [C, B T], in the layer's own buffer
    private ReadOnlySpan<float> TransposedInput(ReadOnlySpan<float> x, int batch)
    {
        Transpose.Matrix(x[..(batch * T * C)], batch * T, C, _inputCopy);
        return _inputCopy;
    }

    // dy: [B, To, Fo] -> dx: [B, T, C] (=); dz kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        // forward: y = act(z), so dz = dy act'(z), from y (element by element: the same for either layout)
        int outputs = batch * To * Fo;
        ReadOnlySpan<float> dz = dy[..outputs];
        if (_activation != "linear")
        {
            // into dz^T's buffer when dy comes channel-major, else dz's
            var written = (OutputChannelMajor ? _dPreactivationT : _dPreactivation).AsSpan(0, outputs);
            if (_activation == "relu") SimdKernels.ReluBackward(y[..outputs], dy[..outputs], written);
            else SimdKernels.TanhBackward(y[..outputs], dy[..outputs], written);
            dz = written;
        }
        var kernel = parameters[..(_kernelSize * C * Fo)];
        // x^T: [C, B T] -> x: [B T, C] for the weight gradients, whose product runs fastest with x's rows
        if (InputChannelMajor && C > 1) Transpose.Matrix(x[..(batch * T * C)], C, batch * T, _inputCopy);
        if (OutputChannelMajor)
        {
            // dz^T: [Fo, B To] -> dz: [B To, Fo] for the weight gradients; the input gradient zeroes some of dz^T, so
            // a linear layer's (dy itself) is copied first
            Transpose.Matrix(dz, Fo, batch * To, _dPreactivation);
            if (dx.IsEmpty) return;
            if (_activation == "linear") dz.CopyTo(_dPreactivationT);
            WholeBlockInputGradient(kernel, _dPreactivationT, dx, batch);
            return;
        }
        if (dx.IsEmpty) return;
        if (WholeBlockTaps)
        {
            // dz: [B To, Fo] -> dz^T: [Fo, B To], so a's rows are adjacent
            Transpose.Matrix(dz, batch * To, Fo, _dPreactivationT);
            WholeBlockInputGradient(kernel, _dPreactivationT, dx, batch);
            return;
        }
        // forward: z_i = b + sum_j x[t_j] K[j], so dx[t_j] += dz_i K[j]^T
        TransposeKernel(kernel);
        int tapSize = C * Fo;
        dx[..(batch * T * C)].Clear();
        for (int b = 0; b < batch; b++)
            for (int j = _kernelSize - 1; j >= 0; j--)
            {
                int i0 = FirstOutput(j);
                BlockProduct.MultiplyAdd(new MatrixIn(dz, (b * To + i0) * Fo, Fo), new MatrixIn(_kernelT, j * tapSize, C), new MatrixOut(dx, b * T * C + InputStep(i0, j) * C, _strides * C), rows: To - i0, depth: Fo, columns: C);
            }
    }

    // dz^T: [Fo, B To] (this layer's own copy: zeroed in places), K: [k, C, Fo] -> dx: [B T, C], or dx^T: [C, B T]
    // when InputChannelMajor (=); whole-block taps
    private void WholeBlockInputGradient(ReadOnlySpan<float> kernel, Span<float> dzT, Span<float> dx, int batch)
    {
        // forward: z_i = b + sum_j x[i + j d - pad] K[j], so dx[i + j d - pad] += dz_i K[j]^T, taps from the last
        int n = batch * T, tapSize = C * Fo, zeroed = 0;
        TransposeKernel(kernel);
        dx[..(n * C)].Clear();
        for (int j = _kernelSize - 1; j >= 0; j--)
        {
            // output columns [i0, B To) add into input columns [0, B To - i0). Columns i < i0 of samples b > 0 would add
            // into sample b - 1's last inputs, so their dz is zero from this tap on (i0 grows from tap to tap): a zero
            // dz adds K 0 = ±0 to a sum that began at +0, which changes no bits unless that sum is -0 (every term before
            // it a product of magnitude below 2^-150, rounded to -0): so the sums' bits are the per-sample loop's
            int i0 = FirstOutput(j);
            SetSampleStarts(dzT, Fo, batch, zeroed, i0, []);
            zeroed = i0;
            if (InputChannelMajor)
                // K[j] (its transpose [Fo, C] read transposed), dz^T: [Fo, columns] -> dx^T: [C, columns]
                BlockProduct.MultiplyAdd(new MatrixIn(_kernelT, j * tapSize, 1, C), new MatrixIn(dzT, i0, n), new MatrixOut(dx, 0, n), rows: C, depth: Fo, columns: n - i0);
            else
                // dz^T [Fo, rows] read transposed, K[j]^T: [Fo, C] -> dx: [rows, C]
                BlockProduct.MultiplyAdd(new MatrixIn(dzT, i0, 1, n), new MatrixIn(_kernelT, j * tapSize, C), new MatrixOut(dx, 0, C), rows: n - i0, depth: Fo, columns: C);
        }
    }

    // K: [k, C, Fo] -> K^T: [k, Fo, C], each tap's kernel transposed
    private void TransposeKernel(ReadOnlySpan<float> kernel)
    {
        int tapSize = C * Fo;
        for (int j = 0; j < _kernelSize; j++)
            Transpose.Matrix(kernel.Slice(j * tapSize, tapSize), C, Fo, _kernelT.AsSpan(j * tapSize, tapSize));
    }

    // rows: [count, B To], channel-major -> in each row r, the columns i in [from, to) of samples b = 1 .. B - 1 set to
    // values[r] (0 when values is empty)
    private void SetSampleStarts(Span<float> rows, int count, int batch, int from, int to, ReadOnlySpan<float> values)
    {
        if (to <= from || batch < 2) return;
        int n = batch * To;
        for (int r = 0; r < count; r++)
        {
            float value = values.IsEmpty ? 0 : values[r];
            var row = rows.Slice(r * n, n);
            for (int b = 1; b < batch; b++)
                for (int i = b * To + from; i < b * To + to; i++) row[i] = value;
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
        // (the zeros go into this layer's own dz buffer: a linear layer's dz is dy, which it may not change, so a linear
        // layer with padding keeps the per-sample loop, unless its dy came channel-major and dz is a transposed copy)
        if (WholeBlockTaps && (_pad == 0 || OwnsPreactivation))
        {
            // x: [B T, C], the row-major copy Backward made when x came channel-major
            var xRows = InputChannelMajor && C > 1 ? _inputCopy : x;
            // one product a tap over the micro-shard's output rows [first To + i0, (first + count) To), in order: rows
            // i < i0 of its samples after the first read sample b - 1's last inputs, so their dz rows are zeros while
            // the tap runs (taps from the last, i0 growing; dz kept aside and put back). A zero dz adds x 0 = ±0 to
            // a sum that began at +0, which changes no bits unless that sum is -0 (every term before it a product of
            // magnitude below 2^-150, rounded to -0): so the sum's bits are the per-sample loop's
            int kept = Math.Min(_pad, To) * Fo;
            if (kept > 0)
                for (int b = first + 1; b < first + count; b++) dz.Slice(b * To * Fo, kept).CopyTo(_kept.AsSpan((b - first - 1) * kept));
            for (int j = _kernelSize - 1; j >= 0; j--)
            {
                int i0 = FirstOutput(j), depth = count * To - i0;
                if (i0 > 0)
                    for (int b = first + 1; b < first + count; b++) _dPreactivation.AsSpan(b * To * Fo, i0 * Fo).Clear();
                // x^T: [C, depth] (x read transposed), dz: [depth, Fo] -> dK[j]: [C, Fo]
                BlockProduct.MultiplyAdd(new MatrixIn(xRows, first * T * C, 1, C), new MatrixIn(dz, (first * To + i0) * Fo, Fo), new MatrixOut(dKernel, j * tapSize, Fo), rows: C, depth, columns: Fo);
            }
            if (kept > 0)
                for (int b = first + 1; b < first + count; b++) _kept.AsSpan((b - first - 1) * kept, kept).CopyTo(_dPreactivation.AsSpan(b * To * Fo));
            return;
        }
        if (TapsAdjacent)
        {
            // x read transposed: [k C, To] (row (j, c) starts at input j), dz: [To, Fo] -> dK as [k C, Fo]
            for (int b = first; b < first + count; b++)
                BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C, 1, _strides * C), new MatrixIn(dz, b * To * Fo, Fo), new MatrixOut(dKernel, 0, Fo), rows: _kernelSize * C, depth: To, columns: Fo);
            return;
        }
        for (int b = first; b < first + count; b++)
            for (int j = 0; j < _kernelSize; j++)
            {
                int i0 = FirstOutput(j);
                BlockProduct.MultiplyAdd(new MatrixIn(x, b * T * C + InputStep(i0, j) * C, 1, _strides * C), new MatrixIn(dz, (b * To + i0) * Fo, Fo), new MatrixOut(dKernel, j * tapSize, Fo), rows: C, depth: To - i0, columns: Fo);
            }
    }

    // row: [n] -> rows: [count, n], every row a copy of it (copies doubling in length: a few calls, not one a row)
    private static void RepeatRow(ReadOnlySpan<float> row, Span<float> rows)
    {
        if (rows.IsEmpty) return;
        row.CopyTo(rows);
        for (int done = row.Length; done < rows.Length; done *= 2)
            rows[..Math.Min(done, rows.Length - done)].CopyTo(rows[done..]);
    }

    // dL/dz of the last Backward, [B To, Fo]: dy itself when the activation is linear and dy is not channel-major, else the buffer Backward filled
    private ReadOnlySpan<float> Preactivation(ReadOnlySpan<float> dy) => OwnsPreactivation ? _dPreactivation : dy;

    // whether dz is in the layer's own buffer: not when the activation is linear and dy comes as dz's layout
    private bool OwnsPreactivation => _activation != "linear" || OutputChannelMajor;

    // the input step that tap j of output i reads: i*s + j*d - pad
    private int InputStep(int i, int j) => i * _strides + j * _dilation - _pad;

    // the first output whose tap j reads a real input step (not left padding)
    private int FirstOutput(int j) => Math.Min(To, Math.Max(0, (_pad - j * _dilation + _strides - 1) / _strides));
}
