using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// Computes the gradient sum and loss sum of one aligned subtree of a batch's <see cref="GradientTree"/>: the
/// micro-shards in slots [firstSlot, firstSlot + Slots). The local trainer uses one covering the whole tree; a cluster
/// worker uses one per shard. Each micro-shard runs forward and BPTT on its own into its own slot, then the
/// subtree is reduced; all buffers are allocated here once, nothing in <see cref="Compute"/>.
/// </summary>
public sealed class SubtreeGradients
{
    private readonly Network _network;
    private readonly float[][] _gradients;   // [Slots][parameters]
    private readonly double[] _losses;       // [Slots]
    private readonly float[] _inputs;        // [MicroShardSize, steps, features]
    private readonly float[] _targets;       // [MicroShardSize, targetSize]
    private readonly float[] _dOutput;       // [MicroShardSize, targetSize]

    /// <param name="withGradients">False for a loss-only user (<see cref="Evaluator"/>): no per-slot gradient buffers.</param>
    public SubtreeGradients(ModelSpec spec, int steps, int features, int targetSize, int slots, bool withGradients = true)
    {
        if (!System.Numerics.BitOperations.IsPow2(slots)) throw new ArgumentException($"slot count {slots} is not a power of two");
        _network = new Network(spec, steps, features, GradientTree.MicroShardSize);
        if (_network.OutputSize != targetSize)
            throw new InvalidInputException("model", $"the model outputs {_network.OutputSteps} x {_network.OutputFeatures} values per sample but the targets have {targetSize}");
        Slots = slots;
        TargetSize = targetSize;
        _gradients = new float[slots][];
        for (int s = 0; s < slots; s++) _gradients[s] = withGradients ? new float[_network.ParameterCount] : [];
        _losses = new double[slots];
        _inputs = new float[GradientTree.MicroShardSize * _network.InputSize];
        _targets = new float[GradientTree.MicroShardSize * targetSize];
        _dOutput = withGradients ? new float[GradientTree.MicroShardSize * targetSize] : [];
    }

    public int Slots { get; }
    public int TargetSize { get; }
    public Network Network => _network;

    /// <summary>The subtree's gradient sum after <see cref="Compute"/> ([parameters]; valid when it returned &gt; 0).</summary>
    public ReadOnlySpan<float> GradientSum => _gradients[0];

    /// <summary>The subtree's loss sum after <see cref="Compute"/>.</summary>
    public double LossSum => _losses[0];

    /// <summary>
    /// Forward (training: dropout on, masks from <paramref name="seed"/>, <paramref name="epoch"/> and each sample's
    /// index) and backward of the micro-shards of <paramref name="batch"/> (sample indices into <paramref name="data"/>,
    /// micro-shard s = batch[4s .. 4s + 4)) that fall in slots [firstSlot, firstSlot + Slots), summed along the tree.
    /// Returns how many of those slots held a micro-shard (0: the subtree is empty and the sums are meaningless).
    /// </summary>
    public int Compute(ReadOnlySpan<float> parameters, Dataset data, ReadOnlySpan<int> batch, int firstSlot, uint seed = 0, int epoch = 0)
    {
        if (_dOutput.Length == 0) throw new InvalidOperationException("this SubtreeGradients was built without gradient buffers");
        int present = PresentLeaves(batch.Length, firstSlot);
        _network.Context.Training = true;
        _network.Context.Seed = seed;
        _network.Context.Epoch = epoch;
        for (int s = 0; s < present; s++)
        {
            int n = Gather(data, batch, firstSlot + s);
            var predictions = _network.Forward(parameters, _inputs, n);
            var targets = _targets.AsSpan(0, n * TargetSize);
            _losses[s] = MeanSquaredError.Forward(predictions, targets, n, TargetSize);
            MeanSquaredError.Backward(predictions, targets, _dOutput, n, TargetSize);
            _gradients[s].AsSpan().Clear();
            _network.Backward(parameters, _dOutput, _gradients[s], n);
        }
        GradientTree.Reduce(_gradients, _losses, present);
        return present;
    }

    /// <summary>Loss sum only (no backward) of the same micro-shards, along the same tree.</summary>
    public double ComputeLoss(ReadOnlySpan<float> parameters, Dataset data, ReadOnlySpan<int> batch, int firstSlot)
    {
        int present = PresentLeaves(batch.Length, firstSlot);
        _network.Context.Training = false;
        for (int s = 0; s < present; s++)
        {
            int n = Gather(data, batch, firstSlot + s);
            var predictions = _network.Forward(parameters, _inputs, n);
            _losses[s] = MeanSquaredError.Forward(predictions, _targets.AsSpan(0, n * TargetSize), n, TargetSize);
        }
        return GradientTree.ReduceLosses(_losses, present);
    }

    private int PresentLeaves(int batchLength, int firstSlot)
    {
        if (firstSlot < 0 || firstSlot % Slots != 0) throw new ArgumentOutOfRangeException(nameof(firstSlot), firstSlot, $"a subtree of {Slots} slots starts at a multiple of {Slots}");
        return Math.Clamp(GradientTree.LeafCount(batchLength) - firstSlot, 0, Slots);
    }

    // copies micro-shard `slot` of the batch into _inputs [n, steps, features] and _targets [n, targetSize]; returns n
    private int Gather(Dataset data, ReadOnlySpan<int> batch, int slot)
    {
        int start = slot * GradientTree.MicroShardSize;
        int n = Math.Min(GradientTree.MicroShardSize, batch.Length - start);
        for (int i = 0; i < n; i++)
        {
            int sample = batch[start + i];
            _network.Context.SampleIds[i] = sample;
            data.Input(sample).CopyTo(_inputs.AsSpan(i * data.InputSize, data.InputSize));
            data.Target(sample).CopyTo(_targets.AsSpan(i * TargetSize, TargetSize));
        }
        return n;
    }
}
