using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A model built from a <see cref="ModelSpec"/> for a given input shape: the layers, their slices of the one flat
/// parameter vector (gradients and Adam moments use the same layout), and the activation buffers of a block of up
/// to <see cref="MaxBatch"/> samples. The network holds no weights: they are passed in, so one flat array can be
/// shared, averaged and sent. Not thread-safe: one network per thread.
/// </summary>
public sealed class Network
{
    private readonly Layer[] _layers;
    private readonly int[] _offsets;                // [layers]: start of each layer's slice in the flat vector
    private readonly int[] _counts;                 // [layers]: length of each layer's slice
    private readonly AlignedFloats[] _activations;  // [layers + 1][MaxBatch * size]: input, then each layer's output
    private readonly AlignedFloats[] _gradients;    // [layers + 1][MaxBatch * size]: dL/d(activation)

    public Network(ModelSpec spec, int steps, int features, int maxBatch)
    {
        MaxBatch = maxBatch;
        Context = new StepContext(maxBatch);
        InputSteps = steps;
        InputFeatures = features;
        _layers = new Layer[spec.Layers.Count];
        _offsets = new int[spec.Layers.Count];
        _counts = new int[spec.Layers.Count];
        var views = new List<ParameterView>();
        var kindCounts = new Dictionary<string, int>();
        int offset = 0;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layerSpec = spec.Layers[i];
            int seen = kindCounts.GetValueOrDefault(layerSpec.Kind);
            kindCounts[layerSpec.Kind] = seen + 1;
            string name = seen == 0 ? layerSpec.Kind : $"{layerSpec.Kind}_{seen}";
            var layer = layerSpec.Build(name, maxBatch, steps, features);
            layer.Index = i;
            layer.Context = Context;
            _layers[i] = layer;
            // adjacent recurrent layers hand over the states and dx batch-minor, as they keep them (no transposes)
            if (i > 0 && layer is Recurrent recurrent && _layers[i - 1] is Recurrent previous)
            {
                recurrent.Previous = previous;
                previous.Next = recurrent;
            }
            // adjacent convolutions whose taps run over the whole block hand over x and dx channel-major (no transposes)
            if (i > 0 && layer is Conv1D { WholeBlockTaps: true } conv && _layers[i - 1] is Conv1D { WholeBlockTaps: true } previousConv)
            {
                conv.InputChannelMajor = true;
                previousConv.OutputChannelMajor = true;
            }
            _offsets[i] = offset;
            _counts[i] = layer.ParameterCount;
            foreach (var p in layer.Parameters)
            {
                views.Add(new ParameterView($"{name}/{p.Name}", offset, p.Shape));
                offset += p.Size;
            }
            steps = layer.OutputSteps;
            features = layer.OutputFeatures;
        }
        ParameterCount = offset;
        Views = views;
        OutputSteps = steps;
        OutputFeatures = features;
        _activations = new AlignedFloats[_layers.Length + 1];
        _gradients = new AlignedFloats[_layers.Length + 1];
        _activations[0] = new AlignedFloats(maxBatch * InputSize);
        _gradients[0] = new AlignedFloats(maxBatch * InputSize);
        for (int i = 0; i < _layers.Length; i++)
        {
            _activations[i + 1] = new AlignedFloats(maxBatch * _layers[i].OutputSize);
            _gradients[i + 1] = new AlignedFloats(maxBatch * _layers[i].OutputSize);
        }
    }

    /// <summary>Set before each block: training or not, and the seed, epoch and sample ids dropout masks come from.</summary>
    public StepContext Context { get; }
    public int MaxBatch { get; }
    public int InputSteps { get; }
    public int InputFeatures { get; }
    public int InputSize => InputSteps * InputFeatures;
    public int OutputSteps { get; }
    public int OutputFeatures { get; }
    public int OutputSize => OutputSteps * OutputFeatures;
    public int ParameterCount { get; }

    /// <summary>Every weight tensor, named "layer/weight" as Keras names them, in flat-vector order.</summary>
    public IReadOnlyList<ParameterView> Views { get; }

    /// <summary>Initial weights for <paramref name="seed"/>: the layers draw in order from one random state.</summary>
    public float[] InitialParameters(uint seed)
    {
        var parameters = new float[ParameterCount];
        var random = new NumpyRandomState(seed);
        for (int i = 0; i < _layers.Length; i++)
            _layers[i].Initialise(parameters.AsSpan(_offsets[i], _counts[i]), random);
        return parameters;
    }

    // parameters: [ParameterCount]; x: [batch, steps, features] -> [batch, OutputSteps * OutputFeatures]
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int batch)
    {
        CheckParameters(parameters.Length);
        x[..(batch * InputSize)].CopyTo(_activations[0]);
        for (int i = 0; i < _layers.Length; i++)
            _layers[i].Forward(parameters.Slice(_offsets[i], _counts[i]), _activations[i], _activations[i + 1], batch);
        return _activations[^1].AsSpan(0, batch * OutputSize);
    }

    // dOutput: [batch, OutputSize], after Forward of the same block -> every layer's input gradient, kept for
    //   AddWeightGradients, and the network's own (InputGradient) unless inputGradient is false (training needs none)
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> dOutput, int batch, bool inputGradient = true)
    {
        CheckParameters(parameters.Length);
        dOutput[..(batch * OutputSize)].CopyTo(_gradients[^1]);
        for (int i = _layers.Length - 1; i >= 0; i--)
            _layers[i].Backward(parameters.Slice(_offsets[i], _counts[i]), _activations[i], _activations[i + 1], _gradients[i + 1],
                i > 0 || inputGradient ? _gradients[i] : [], batch);
    }

    // after Backward: dParameters: [ParameterCount] (+=) the weight gradients of samples [first, first + count) of the block
    public void AddWeightGradients(Span<float> dParameters, int first, int count)
    {
        CheckParameters(dParameters.Length);
        for (int i = _layers.Length - 1; i >= 0; i--)
            _layers[i].AddWeightGradients(_activations[i], _gradients[i + 1], dParameters.Slice(_offsets[i], _counts[i]), first, count);
    }

    // dOutput: [batch, OutputSize], after Forward of the same block -> dParameters: [ParameterCount] (+=) of every sample
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> dOutput, Span<float> dParameters, int batch)
    {
        Backward(parameters, dOutput, batch);
        AddWeightGradients(dParameters, 0, batch);
    }

    /// <summary>The layers, in order (for tests: how neighbours were linked).</summary>
    internal IReadOnlyList<Layer> Layers => _layers;

    /// <summary>dL/dx of the last Backward: [batch, steps, features].</summary>
    public ReadOnlySpan<float> InputGradient => _gradients[0];

    private void CheckParameters(int length)
    {
        if (length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {length}");
    }
}
