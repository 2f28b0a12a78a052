using BenchmarkDotNet.Attributes;
using RnnCluster.Benchmarks.Compare;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks;

/// <summary>
/// One training step of the local trainer, and the forward-only (inference) pass over the same batch, for the models
/// of the <c>compare</c> mode (<see cref="CompareCase"/>: the chapter's size, batch 32 and 20 units, and the larger
/// one, batch 256 and 128 units, keys ending in "-large") plus the catalogue's <c>deep-rnn</c>.
/// <see cref="Step"/>: <see cref="BatchShard.Compute"/> over a full batch (micro-shards of 4, forward + BPTT, tree
/// reduction), the division by the sample count and Adam. <see cref="Forward"/>: the same batch's loss only, through
/// <see cref="SubtreeGradients.ComputeLoss"/> as <see cref="Evaluator"/> runs it. The Allocated column should read
/// "-" (0 B): every buffer is allocated once, in the setup.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private const uint Seed = 42;

    private BatchShard _shard = null!;
    private SubtreeGradients _tree = null!;
    private Dataset _train = null!;
    private int[] _order = [];
    private float[] _parameters = [];
    private float[] _gradient = [];
    private Adam _adam = null!;
    private int _batchSize;
    private int _batches;
    private int _next;

    [Params("deep-rnn", "deep-rnn-dense", "lstm-dense", "gru-dense", "wavenet", "conv-gru", "deep-rnn-dense-large", "lstm-dense-large", "gru-dense-large")]
    public string Model { get; set; } = "deep-rnn";

    [GlobalSetup]
    public void Setup()
    {
        var c = CompareCase.Find(Model);
        _train = c.Train;
        _batchSize = c.BatchSize;
        _shard = new BatchShard(c.Spec, _train, _batchSize, Seed);
        _tree = new SubtreeGradients(c.Spec, _train.Steps, _train.Features, _train.TargetSize, GradientTree.SlotCount(_batchSize));
        _parameters = new Network(c.Spec, _train.Steps, _train.Features, 1).InitialParameters(Seed);
        _gradient = new float[_parameters.Length];
        _adam = new Adam(_parameters.Length, new AdamSettings());
        _order = new int[_train.Count];
        new EpochShuffle(_train.Count).Fill(Seed, 1, _order);
        _batches = _train.Count / _batchSize; // full batches only (218 of the chapter's 219 at batch 32)
        _next = 0;
        Step(); // computes epoch 1's sample order once, so no measured step pays for the shuffle
    }

    /// <summary>The next full batch of epoch 1 (cycling through the epoch), one Adam step; returns the batch's loss sum.</summary>
    [Benchmark]
    public double Step()
    {
        int start = _next * _batchSize;
        _next = (_next + 1) % _batches;
        _shard.Compute(_parameters, 1, start, _batchSize);
        _shard.GradientSum.CopyTo(_gradient);
        SimdKernels.Divide(_gradient, _batchSize);
        _adam.Apply(_parameters, _gradient);
        return _shard.LossSum;
    }

    /// <summary>The forward pass (inference, no dropout) of the next full batch; returns its loss sum.</summary>
    [Benchmark]
    public double Forward()
    {
        int start = _next * _batchSize;
        _next = (_next + 1) % _batches;
        return _tree.ComputeLoss(_parameters, _train, _order.AsSpan(start, _batchSize), 0);
    }
}
