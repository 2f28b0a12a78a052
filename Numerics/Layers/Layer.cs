namespace RnnCluster.Numerics.Layers;

/// <summary>
/// One layer of a sequential model, working on a block of up to <see cref="MaxBatch"/> samples.
/// Shapes: input x [batch, InputSteps, InputFeatures], output y [batch, OutputSteps, OutputFeatures].
/// The layer's weights are a slice of the model's flat parameter vector, laid out as <see cref="Parameters"/> lists them.
/// A layer caches what its backward pass needs in buffers it allocated at construction: it is not thread-safe,
/// and Backward must follow the Forward of the same block.
/// Conventions (from llm.c): parameter gradients are accumulated (+=), the input gradient is written (=).
/// </summary>
public abstract class Layer(string name, int maxBatch, int inputSteps, int inputFeatures, int outputSteps, int outputFeatures)
{
    /// <summary>The block of the last Backward, whose samples' weight gradients can be added.</summary>
    protected int BackwardBatch { get; private set; }

    public string Name { get; } = name;

    /// <summary>The layer's position in its network (a stream of <see cref="DropoutMask"/>).</summary>
    public int Index { get; internal set; }

    /// <summary>Training or inference, and the block's seed, epoch and sample ids; set by the network.</summary>
    public StepContext Context { get; internal set; } = new(0);
    public int MaxBatch { get; } = maxBatch;
    public int InputSteps { get; } = inputSteps;
    public int InputFeatures { get; } = inputFeatures;
    public int OutputSteps { get; } = outputSteps;
    public int OutputFeatures { get; } = outputFeatures;
    public int InputSize => InputSteps * InputFeatures;
    public int OutputSize => OutputSteps * OutputFeatures;

    /// <summary>The weight tensors in the order they are laid out in this layer's parameter slice.</summary>
    public abstract IReadOnlyList<ParameterShape> Parameters { get; }

    public int ParameterCount => Parameters.Sum(p => p.Size);

    /// <summary>Fills this layer's parameter slice with Keras's initial values.</summary>
    public abstract void Initialise(Span<float> parameters, Data.NumpyRandomState random);

    // parameters: [ParameterCount]; x: [batch, InputSteps, InputFeatures] -> y: [batch, OutputSteps, OutputFeatures]
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch);

    // x, y: those of the last Forward; dy: [batch, OutputSteps, OutputFeatures] -> dx: [batch, InputSteps, InputFeatures] (=)
    //   (skipped when dx is empty: nobody wants it, as for a network's first layer in training) and, kept for
    //   AddWeightGradients, what the weight gradients are made of (the preactivation gradients)
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        CheckBatch(batch);
        BackwardBatch = batch;
        BackwardCore(parameters, x, y, dy, dx, batch);
    }

    // x, dy: those of the last Backward -> dParameters: [ParameterCount] (+=) the weight gradients of samples
    //   [first, first + count) only, summed sample after sample (so a micro-shard's sum has the same bits whether its
    //   samples went through Forward and Backward alone or within a larger block)
    public void AddWeightGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        if (first < 0 || count < 0 || first + count > BackwardBatch)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples [{first}, {first + count}) are outside layer {Name}'s last backward block of {BackwardBatch}");
        AddWeightGradientsCore(x, dy, dParameters, first, count);
    }

    protected abstract void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch);

    protected abstract void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count);

    protected void CheckBatch(int batch)
    {
        if (batch < 0 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"layer {Name} holds at most {MaxBatch} samples");
    }
}
