using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// Computes the gradient sum and loss sum of one aligned subtree of a batch's <see cref="GradientTree"/>: the
/// micro-shards in slots [firstSlot, firstSlot + Slots). The local trainer uses one covering the whole tree; a cluster
/// worker uses one per shard. The subtree's micro-shards run forward and BPTT together, up to
/// <see cref="BlockSlots"/> of them (32 samples) at a time, so the layers' products and element-wise passes cover a whole
/// block; then each micro-shard's weight gradients are summed into its own slot, sample after sample, and the subtree is
/// reduced. A sample's forward and backward do not depend on the other rows of its block, and a slot's sum covers the
/// same samples in the same order, so the bits are those of one micro-shard at a time. All buffers are allocated here
/// once, nothing in <see cref="Compute"/>.
/// </summary>
public sealed class SubtreeGradients
{
    private readonly Network _network;
    private readonly float[][] _gradients;   // [Slots][parameters]
    private readonly double[] _losses;       // [Slots]
    private readonly AlignedFloats _inputs;       // [block samples, steps, features]
    private readonly AlignedFloats _targets;      // [block samples, targetSize]
    private readonly AlignedFloats _dOutput;      // [block samples, targetSize]
    private readonly int _blockSlots;        // micro-shards per block: min(slots, BlockSlots)

    /// <summary>The most micro-shards that go through the network as one block (8: 32 samples).</summary>
    public const int BlockSlots = 8;

    /// <summary>The samples of the network's block for a subtree of <paramref name="slots"/> slots.</summary>
    public static int BlockSamples(int slots) => Math.Min(slots, BlockSlots) * GradientTree.MicroShardSize;

    /// <summary>The bytes of the network (<see cref="ModelSpec.BufferBytes"/>) a subtree of <paramref name="slots"/>
    /// slots builds, computed without building it.</summary>
    public static long NetworkBytes(ModelSpec spec, int steps, int features, int slots) => spec.BufferBytes(steps, features, BlockSamples(slots));

    /// <param name="withGradients">False for a loss-only user (<see cref="Evaluator"/>): no per-slot gradient buffers.</param>
    public SubtreeGradients(ModelSpec spec, int steps, int features, int targetSize, int slots, bool withGradients = true)
    {
        if (!System.Numerics.BitOperations.IsPow2(slots)) throw new ArgumentException($"slot count {slots} is not a power of two");
        _blockSlots = Math.Min(slots, BlockSlots);
        _network = new Network(spec, steps, features, BlockSamples(slots));
        if (_network.OutputSize != targetSize)
            throw new InvalidInputException("model", $"the model outputs {_network.OutputSteps} x {_network.OutputFeatures} values per sample but the targets have {targetSize}");
        Slots = slots;
        TargetSize = targetSize;
        _gradients = new float[slots][];
        for (int s = 0; s < slots; s++) _gradients[s] = withGradients ? new float[_network.ParameterCount] : [];
        _losses = new double[slots];
        _inputs = new AlignedFloats(_network.MaxBatch * _network.InputSize);
        _targets = new AlignedFloats(_network.MaxBatch * targetSize);
        _dOutput = withGradients ? new AlignedFloats(_network.MaxBatch * targetSize) : AlignedFloats.Empty;
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
        for (int start = 0; start < present; start += _blockSlots)
        {
            int slots = Math.Min(_blockSlots, present - start);
            int n = Gather(data, batch, firstSlot + start, slots);
            var predictions = _network.Forward(parameters, _inputs, n);
            var targets = _targets.AsSpan(0, n * TargetSize);
            MeanSquaredError.Backward(predictions, targets, _dOutput, n, TargetSize);
            _network.Backward(parameters, _dOutput, n, inputGradient: false);
            for (int s = 0; s < slots; s++)
            {
                int first = s * GradientTree.MicroShardSize, count = Math.Min(GradientTree.MicroShardSize, n - first);
                _losses[start + s] = MeanSquaredError.Forward(predictions.Slice(first * TargetSize, count * TargetSize),
                    targets.Slice(first * TargetSize, count * TargetSize), count, TargetSize);
                _gradients[start + s].AsSpan().Clear();
                _network.AddWeightGradients(_gradients[start + s], first, count);
            }
        }
        GradientTree.Reduce(_gradients, _losses, present);
        return present;
    }

    /// <summary>Loss sum only (no backward) of the same micro-shards, along the same tree.</summary>
    public double ComputeLoss(ReadOnlySpan<float> parameters, Dataset data, ReadOnlySpan<int> batch, int firstSlot)
    {
        int present = PresentLeaves(batch.Length, firstSlot);
        _network.Context.Training = false;
        for (int start = 0; start < present; start += _blockSlots)
        {
            int slots = Math.Min(_blockSlots, present - start);
            int n = Gather(data, batch, firstSlot + start, slots);
            var predictions = _network.Forward(parameters, _inputs, n);
            for (int s = 0; s < slots; s++)
            {
                int first = s * GradientTree.MicroShardSize, count = Math.Min(GradientTree.MicroShardSize, n - first);
                _losses[start + s] = MeanSquaredError.Forward(predictions.Slice(first * TargetSize, count * TargetSize),
                    _targets.AsSpan(first * TargetSize, count * TargetSize), count, TargetSize);
            }
        }
        return GradientTree.ReduceLosses(_losses, present);
    }

    private int PresentLeaves(int batchLength, int firstSlot)
    {
        if (firstSlot < 0 || firstSlot % Slots != 0) throw new ArgumentOutOfRangeException(nameof(firstSlot), firstSlot, $"a subtree of {Slots} slots starts at a multiple of {Slots}");
        return Math.Clamp(GradientTree.LeafCount(batchLength) - firstSlot, 0, Slots);
    }

    // copies micro-shards [slot, slot + slots) of the batch into _inputs [n, steps, features] and _targets
    // [n, targetSize]; returns n
    private int Gather(Dataset data, ReadOnlySpan<int> batch, int slot, int slots)
    {
        int start = slot * GradientTree.MicroShardSize;
        int n = Math.Min(slots * GradientTree.MicroShardSize, batch.Length - start);
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
