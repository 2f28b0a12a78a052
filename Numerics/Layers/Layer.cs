namespace RnnCluster.Numerics.Layers;

/// <summary>
/// One layer of a sequential model, working on a block of up to <see cref="MaxBatch"/> samples.
/// Shapes: input x [batch, InputSteps, InputFeatures], output y [batch, OutputSteps, OutputFeatures].
/// The layer's weights are a slice of the model's flat parameter vector, laid out as <see cref="Parameters"/> lists them.
/// A layer caches what its backward pass needs in buffers it allocated at construction: it is not thread-safe,
/// and Backward must follow the Forward of the same block.
/// Conventions (from llm.c): parameter gradients are accumulated (+=), the input gradient is written (=).
/// </summary>
public abstract class Layer
{
    protected Layer(string name, int maxBatch, int inputSteps, int inputFeatures, int outputSteps, int outputFeatures)
    {
        Name = name;
        MaxBatch = maxBatch;
        InputSteps = inputSteps;
        InputFeatures = inputFeatures;
        OutputSteps = outputSteps;
        OutputFeatures = outputFeatures;
    }

    public string Name { get; }

    /// <summary>The layer's position in its network (a stream of <see cref="DropoutMask"/>).</summary>
    public int Index { get; internal set; }

    /// <summary>Training or inference, and the block's seed, epoch and sample ids; set by the network.</summary>
    public StepContext Context { get; internal set; } = new(0);
    public int MaxBatch { get; }
    public int InputSteps { get; }
    public int InputFeatures { get; }
    public int OutputSteps { get; }
    public int OutputFeatures { get; }
    public int InputSize => InputSteps * InputFeatures;
    public int OutputSize => OutputSteps * OutputFeatures;

    /// <summary>The weight tensors in the order they are laid out in this layer's parameter slice.</summary>
    public abstract IReadOnlyList<ParameterShape> Parameters { get; }

    public int ParameterCount => Parameters.Sum(p => p.Size);

    /// <summary>Fills this layer's parameter slice with Keras's initial values.</summary>
    public abstract void Initialise(Span<float> parameters, Data.NumpyRandomState random);

    // parameters: [ParameterCount]; x: [batch, InputSteps, InputFeatures] -> y: [batch, OutputSteps, OutputFeatures]
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch);

    // x, y: those of the last Forward; dy: [batch, OutputSteps, OutputFeatures]
    //   -> dx: [batch, InputSteps, InputFeatures] (=), dParameters: [ParameterCount] (+=)
    public abstract void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch);

    protected void CheckBatch(int batch)
    {
        if (batch < 0 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"layer {Name} holds at most {MaxBatch} samples");
    }
}
