using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// One step of a recurrent layer, as Keras's cells (SimpleRNNCell, LSTMCell, GRUCell): the <see cref="Recurrent"/>
/// layer owns the time loop, the states h_t, the dropout masks and the order of backpropagation through time; a cell
/// says what its weights are and turns a step's preactivations into h_t (forward) and dL/dh_t into the preactivation
/// gradients dz_t (backward), caching what its backward needs.
/// B = batch (the block's samples), T = steps, F = input features, U = units, G = the width of the preactivations z
/// (gates x units).
/// Weights (Keras layout, in this order): kernel [F, G], recurrent_kernel [U, G], then the cell's own (bias first).
/// Layout: batch-minor, so that SIMD lanes run across the block's samples. A step's tensors are [G, B] or [U, B]
/// (element [g, b] at g B + b, B = the block's batch), gate-major ([gates, U, B]: gate k's unit j of sample b at
/// k U B + j B + b), and a buffer of every step is [T, G, B] or [T, U, B].
/// A step: the layer asks <see cref="BeginStep"/> to put the bias where z_t^T accumulates, adds K^T x_t^T into
/// <see cref="InputPreactivations"/> and R^T h_{t-1}^T into <see cref="RecurrentPreactivations"/> (one product each, G
/// rows by B columns), then calls <see cref="Step"/> once for the whole block; where its products start their rows
/// from given values (the layer's pair blocks), it takes <see cref="InputStart"/> and <see cref="RecurrentStart"/>
/// instead of the fill. Backward mirrors it with <see cref="StepBackwardWithOutput"/> (by default, the output's
/// gradient added, then StepBackward); after each, <see cref="KeepSampleMajor"/> copies dz_t's rows sample by sample
/// (<see cref="SampleRows"/>) for the weight gradients (<see cref="AddWeightGradients"/>), which keep their per-sample order.
/// By default z_t^T [G, B] is accumulated in place in h_t^T (cells with G = U) and bias [G] is the whole bias.
/// A cell's <see cref="Step"/> and <see cref="StepBackward"/> run once per step: mark them AggressiveOptimization, as
/// the layer's loops are, so they never run unoptimised while tiering waits.
/// </summary>
public abstract class RecurrentCell
{
    protected const int Kernel = 0, RecurrentKernel = 1, Bias = 2;

    private readonly int[] _offsets; // [weights + 1]: where each weight tensor starts in the layer's slice

    protected RecurrentCell(int inputFeatures, int units, int gates, params ParameterShape[] weights)
    {
        InputFeatures = inputFeatures;
        Units = units;
        Width = gates * units;
        Parameters = [new ParameterShape("kernel", [inputFeatures, Width]), new ParameterShape("recurrent_kernel", [units, Width]), .. weights];
        _offsets = new int[Parameters.Count + 1];
        for (int i = 0; i < Parameters.Count; i++) _offsets[i + 1] = _offsets[i] + Parameters[i].Size;
    }

    public int InputFeatures { get; }
    public int Units { get; }

    /// <summary>G: the width of the preactivations z_t = x_t K + h_{t-1} R + b (gates x units).</summary>
    public int Width { get; }

    /// <summary>The weight tensors, in the order they are laid out in the layer's parameter slice.</summary>
    public IReadOnlyList<ParameterShape> Parameters { get; }

    /// <summary>The number of weights, as a long (a spec checks a model's size before anything is built).</summary>
    public long ParameterCount => Parameters.Sum(p => p.Shape.Aggregate(1L, (size, d) => size * d));

    protected int F => InputFeatures;
    protected int U => Units;
    protected int G => Width;

    /// <summary>T, from <see cref="Build"/>.</summary>
    protected int T { get; private set; }

    /// <summary>[T, U, B]: the layer's h_t^T, from <see cref="Build"/>.</summary>
    protected AlignedFloats States { get; private set; } = AlignedFloats.Empty;

    /// <summary>[T, G, B]: dL/dz_t^T, what K^T x_t^T receives (and, unless the cell says otherwise, R^T h_{t-1}^T).</summary>
    protected AlignedFloats DPreactivations { get; private set; } = AlignedFloats.Empty;

    /// <summary><see cref="DPreactivations"/> row by row, where <see cref="CopyRows"/> says, step by step from <see cref="KeepSampleMajor"/>.</summary>
    protected AlignedFloats SampleDPreactivations { get; private set; } = AlignedFloats.Empty;

    private int _backwardBatch; // the block of the last backward pass, from BeginBackward
    private bool _batchMinor; // whether the last backward ran batch-minor (its copies' order, see SampleRows), from BeginBackward

    /// <summary>[T, G, B]: where K^T x_t^T + R^T h_{t-1}^T + b accumulates; h_t^T itself by default.</summary>
    protected virtual AlignedFloats Preactivations => States;

    /// <summary>Where weight tensor <paramref name="index"/> lies in the layer's parameter slice.</summary>
    protected Range Tensor(int index) => _offsets[index].._offsets[index + 1];

    /// <summary>Step t of a batch-minor buffer of every step ([T, width, B] -> [width, B]).</summary>
    protected static Span<float> AtStep(AlignedFloats buffer, int t, int width, int batch) => buffer.AsSpan(t * width * batch, width * batch);

    /// <summary>Makes the cell's caches for blocks of <paramref name="maxBatch"/> samples of <paramref name="steps"/>
    /// steps; <paramref name="states"/> [T, U, B] are the layer's. A cell serves one layer.</summary>
    internal void Build(int maxBatch, int steps, AlignedFloats states)
    {
        if (T > 0) throw new InvalidOperationException("this cell already serves a layer");
        T = steps;
        States = states;
        DPreactivations = new AlignedFloats(maxBatch * steps * G);
        SampleDPreactivations = new AlignedFloats(maxBatch * steps * G);
        Allocate(maxBatch);
    }

    /// <summary>Makes the cell's own caches (T is set).</summary>
    protected virtual void Allocate(int maxBatch) { }

    /// <summary>The floats <see cref="Build"/> allocates for <paramref name="maxBatch"/> samples of
    /// <paramref name="steps"/> steps (its caches and <see cref="Allocate"/>'s), computed without allocating them.</summary>
    internal long CacheFloats(int maxBatch, int steps) => 2L * maxBatch * steps * G + OwnCacheFloats(maxBatch, steps);

    /// <summary>The floats <see cref="Allocate"/> makes (a double counts as two).</summary>
    private protected virtual long OwnCacheFloats(int maxBatch, int steps) => 0;

    /// <summary>Fills the layer's parameter slice with Keras's initial values.</summary>
    public void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[Tensor(Kernel)], F, G, random);
        Initialisers.Orthogonal(parameters[Tensor(RecurrentKernel)], U, G, random);
        InitialiseWeights(parameters[_offsets[Bias]..]);
    }

    /// <summary>The initial values of the cell's own weights (after the two kernels); nothing random.</summary>
    protected abstract void InitialiseWeights(Span<float> weights);

    // parameters -> the bias where z_t^T [G, B] accumulates, before K^T x_t^T and R^T h_{t-1}^T are added (each row
    // filled with its InputStart value)
    internal virtual void BeginStep(ReadOnlySpan<float> parameters, int t, int batch) =>
        SimdKernels.FillRows(InputStart(parameters), AtStep(Preactivations, t, G, batch), batch);

    // the values [G] that BeginStep puts in the rows where K^T x_t^T is added (the bias), for a product that starts its
    // rows from them instead of from a fill
    internal virtual ReadOnlySpan<float> InputStart(ReadOnlySpan<float> parameters) => parameters[Tensor(Bias)];

    // the values [G] that BeginStep puts in the rows where R^T h_{t-1}^T is added, where those are apart from
    // InputPreactivations' (see SharesPreactivations: the GRU's recurrent bias); none by default
    internal virtual ReadOnlySpan<float> RecurrentStart(ReadOnlySpan<float> parameters) => [];

    // where K^T x_t^T is added: [G, B]
    internal MatrixOut InputPreactivations(int t, int batch) => new(Preactivations, t * G * batch, batch);

    // where R^T h_{t-1}^T is added: [G, B]
    internal virtual MatrixOut RecurrentPreactivations(int t, int batch) => InputPreactivations(t, batch);

    // whether K^T x_t^T and R^T h_{t-1}^T are added in one place (then the layer takes them as one product)
    internal bool SharesPreactivations(int t, int batch)
    {
        var input = InputPreactivations(t, batch);
        var recurrent = RecurrentPreactivations(t, batch);
        return input.Data == recurrent.Data && input.Start == recurrent.Start && input.RowStride == recurrent.RowStride;
    }

    // the preactivations z_t^T [G, B] of the block -> h_t^T: States [U, B] at step t (and the cell's caches)
    internal abstract void Step(ReadOnlySpan<float> parameters, int t, int batch);

    // before the first StepBackward of a block: its size, whether it runs batch-minor (which sets the order of the
    // copies that the weight gradients read, see SampleRows), then the cell's own start (BeginBackwardCore)
    internal void BeginBackward(int batch, bool batchMinor)
    {
        _backwardBatch = batch;
        _batchMinor = batchMinor;
        BeginBackwardCore(batch);
    }

    // clears what the cell carries backwards through time
    protected virtual void BeginBackwardCore(int batch) { }

    /// <summary>Where the rows of width <paramref name="width"/> of the last backward's copies lie.</summary>
    private protected SampleRows CopyRows(int width) => SampleRows.Of(_batchMinor, _backwardBatch, T, width);

    // dh: [U, B] = dL/dh_t^T of the block -> dz_t^T (the cell's preactivation gradients, kept); dh may be overwritten
    internal abstract void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int t, int batch);

    // dh: [U, B] = dL/dh_t^T from step t + 1, dOutput: [U, B] = dL/dh_t^T from the output (empty where step t is not an
    // output) -> dz_t^T as StepBackward of their sum (dh + dOutput, SimdKernels.Add's bits); a cell may fuse the sum into
    // its own pass
    internal virtual void StepBackwardWithOutput(ReadOnlySpan<float> parameters, Span<float> dh, ReadOnlySpan<float> dOutput, int t, int batch)
    {
        if (!dOutput.IsEmpty) SimdKernels.Add(dOutput, dh);
        StepBackward(parameters, dh, t, batch);
    }

    // right after StepBackward(t): dz_t^T [G, B] -> its rows of the copy that the weight gradients read, while dz_t is
    // still in cache (a copy of the whole [T, G, B] at the end read it back from memory)
    internal virtual void KeepSampleMajor(int t, int batch) => KeepStep(AtStep(DPreactivations, t, G, batch), G, SampleDPreactivations, t, batch);

    // step t's rows [width, B] -> rows (b, t) of copy, where CopyRows(width) says
    protected void KeepStep(ReadOnlySpan<float> step, int width, AlignedFloats copy, int t, int batch) =>
        CopyRows(width).CopyStep(step, width, batch, copy, t);

    // after the last StepBackward of a block: the rest of what the weight gradients read, sample-major ([B, T, ...])
    internal virtual void EndBackward(int batch) { }

    /// <summary>[T, G, B]: dL/d(K^T x_t^T), from which dx follows.</summary>
    internal ReadOnlySpan<float> InputPreactivationGradients => DPreactivations;

    /// <summary>[B, T, G] (when the backward's copies are sample-major): <see cref="InputPreactivationGradients"/>, after the last <see cref="KeepSampleMajor"/>.</summary>
    internal ReadOnlySpan<float> SampleInputPreactivationGradients => SampleDPreactivations;

    /// <summary>[T, G, B]: dL/d(R^T h_{t-1}^T), from which dL/dh_{t-1} follows: its first
    /// <see cref="SharedRecurrentRows"/> rows a step are those of <see cref="DPreactivations"/>, the rest
    /// <see cref="RecurrentOwnGradients"/>.</summary>
    internal virtual int SharedRecurrentRows => G;

    /// <summary>[T, G - SharedRecurrentRows, B]: the rows of dL/d(R^T h_{t-1}^T) that are not dz's (none by default).</summary>
    internal virtual ReadOnlySpan<float> RecurrentOwnGradients => [];

    // dh: [U, B] = dL/dh_{t-1}^T through R^T h_{t-1}^T += what reaches h_{t-1} other than through h_{t-1} R
    internal virtual void AddDirectStateGradient(Span<float> dh, int batch) { }

    // input: rows (b, t) of F (x_t as it entered x_t K), states: rows of U (h_t as it entered h_t R), each where its
    // SampleRows says -> dParameters (+=) of samples [first, first + count): by default kernel, recurrent_kernel and
    // bias [G] from dz
    internal virtual void AddWeightGradients(ReadOnlySpan<float> input, SampleRows inputRows, ReadOnlySpan<float> states, SampleRows stateRows,
        Span<float> dParameters, int first, int count)
    {
        RecurrentGradients.WeightGradients(input, inputRows, states, stateRows, SampleDPreactivations, CopyRows(G), dParameters[Tensor(Kernel)], dParameters[Tensor(RecurrentKernel)],
            dParameters[Tensor(Bias)], first, count, T, F, U, G);
    }
}
