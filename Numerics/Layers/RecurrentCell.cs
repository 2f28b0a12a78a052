using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// One step of a recurrent layer, as Keras's cells (SimpleRNNCell, LSTMCell, GRUCell): the <see cref="Recurrent"/>
/// layer owns the time loop, the states h_t, the dropout masks and the order of backpropagation through time; a cell
/// says what its weights are and turns a step's preactivations into h_t (forward) and dL/dh_t into the preactivation
/// gradients dz_t (backward), caching what its backward needs.
/// B = batch, T = steps, F = input features, U = units, G = the width of the preactivations z (gates x units).
/// Weights (Keras layout, in this order): kernel [F, G], recurrent_kernel [U, G], then the cell's own (bias first).
/// A step: the layer asks <see cref="BeginStep"/> to put the bias where z_t accumulates, adds x_t K into
/// <see cref="InputPreactivations"/> and h_{t-1} R into <see cref="RecurrentPreactivations"/> (one product over the
/// block's rows each), then calls <see cref="Step"/> for every sample. Backward mirrors it with
/// <see cref="StepBackward"/>, and the weight gradients follow from dz (<see cref="AddWeightGradients"/>).
/// By default z_t [G] is accumulated in place in h_t (cells with G = U) and bias [G] is the whole bias.
/// A cell's <see cref="Step"/> and <see cref="StepBackward"/> run once per sample and step: mark them
/// AggressiveOptimization, as the layer's loops are, so they never run unoptimised while tiering waits.
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

    /// <summary>[B, T, U]: the layer's h_t, from <see cref="Build"/>.</summary>
    protected float[] States { get; private set; } = [];

    /// <summary>[B, T, G]: dL/dz_t, what x_t K receives (and, unless the cell says otherwise, h_{t-1} R).</summary>
    protected float[] DPreactivations { get; private set; } = [];

    /// <summary>[B, T, G]: where x_t K + h_{t-1} R + b accumulates; h_t itself by default.</summary>
    protected virtual float[] Preactivations => States;

    /// <summary>Where weight tensor <paramref name="index"/> lies in the layer's parameter slice.</summary>
    protected Range Tensor(int index) => _offsets[index].._offsets[index + 1];

    /// <summary>Makes the cell's caches for blocks of <paramref name="maxBatch"/> samples of <paramref name="steps"/>
    /// steps; <paramref name="states"/> [B, T, U] are the layer's. A cell serves one layer.</summary>
    internal void Build(int maxBatch, int steps, float[] states)
    {
        if (T > 0) throw new InvalidOperationException("this cell already serves a layer");
        T = steps;
        States = states;
        DPreactivations = new float[maxBatch * steps * G];
        Allocate(maxBatch);
    }

    /// <summary>Makes the cell's own caches (T is set).</summary>
    protected virtual void Allocate(int maxBatch) { }

    /// <summary>Fills the layer's parameter slice with Keras's initial values.</summary>
    public void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[Tensor(Kernel)], F, G, random);
        Initialisers.Orthogonal(parameters[Tensor(RecurrentKernel)], U, G, random);
        InitialiseWeights(parameters[_offsets[Bias]..]);
    }

    /// <summary>The initial values of the cell's own weights (after the two kernels); nothing random.</summary>
    protected abstract void InitialiseWeights(Span<float> weights);

    // parameters -> the bias where z_t of samples [0, batch) accumulates, before x_t K and h_{t-1} R are added
    internal virtual void BeginStep(ReadOnlySpan<float> parameters, int t, int batch)
    {
        var bias = parameters[Tensor(Bias)];
        for (int b = 0; b < batch; b++) bias.CopyTo(Preactivations.AsSpan((b * T + t) * G, G));
    }

    // where x_t K of the block's rows is added: [B, G] rows
    internal MatrixOut InputPreactivations(int t) => new(Preactivations, t * G, T * G);

    // where h_{t-1} R of the block's rows is added: [B, G] rows
    internal virtual MatrixOut RecurrentPreactivations(int t) => InputPreactivations(t);

    // the preactivations of sample b at step t -> h_t: States [U] (and the cell's caches)
    internal abstract void Step(ReadOnlySpan<float> parameters, int b, int t);

    // before the first StepBackward of a block: clears what the cell carries backwards through time
    internal virtual void BeginBackward(int batch) { }

    // dh: [U] = dL/dh_t of sample b -> dz_t (the cell's preactivation gradients, kept); dh may be overwritten
    internal abstract void StepBackward(ReadOnlySpan<float> parameters, Span<float> dh, int b, int t);

    /// <summary>[B, T, G]: dL/d(x_t K), from which dx and the kernel's gradient follow.</summary>
    internal ReadOnlySpan<float> InputPreactivationGradients => DPreactivations;

    /// <summary>[B, T, G]: dL/d(h_{t-1} R), from which dL/dh_{t-1} and the recurrent kernel's gradient follow.</summary>
    internal virtual ReadOnlySpan<float> RecurrentPreactivationGradients => DPreactivations;

    // dh: [B, U] = dL/dh_{t-1} through h_{t-1} R += what reaches h_{t-1} other than through h_{t-1} R
    internal virtual void AddDirectStateGradient(Span<float> dh, int batch) { }

    // input: [B, T, F] (x_t as it entered x_t K), states: [B, T, U] (h_t as it entered h_t R)
    //   -> dParameters (+=) of samples [first, first + count): by default kernel, recurrent_kernel and bias [G] from dz
    internal virtual void AddWeightGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> states, Span<float> dParameters, int first, int count)
    {
        RecurrentGradients.WeightGradients(input, states, DPreactivations, dParameters[Tensor(Kernel)], dParameters[Tensor(RecurrentKernel)],
            dParameters[Tensor(Bias)], first, count, T, F, U, G);
    }
}
