using BenchmarkDotNet.Attributes;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks;

/// <summary>
/// One training step of the local trainer at the chapter's size: <see cref="BatchShard.Compute"/> over a full batch
/// of 32 (8 micro-shards, forward + BPTT, tree reduction), the division by the sample count and Adam. The point is
/// the allocated bytes per step, which should be 0 B: every buffer is allocated once in the setup.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private const int BatchSize = 32;
    private const uint Seed = 42;

    private BatchShard _shard = null!;
    private float[] _parameters = [];
    private float[] _gradient = [];
    private Adam _adam = null!;
    private int _batches;
    private int _next;

    [Params("deep-rnn", "deep-rnn-dense")]
    public string Model { get; set; } = "deep-rnn";

    [GlobalSetup]
    public void Setup()
    {
        var data = ChapterSeries.OneStep(42);
        var spec = ModelCatalogue.Find(Model).Spec!;
        var train = data.Train;
        _shard = new BatchShard(spec, train, BatchSize, Seed);
        _parameters = new Network(spec, train.Steps, train.Features, 1).InitialParameters(Seed);
        _gradient = new float[_parameters.Length];
        _adam = new Adam(_parameters.Length, new AdamSettings());
        _batches = train.Count / BatchSize; // full batches only: 218 of the epoch's 219
        _next = 0;
        Step(); // computes epoch 1's sample order once, so no measured step pays for the shuffle
    }

    /// <summary>The next full batch of epoch 1 (cycling through the epoch), one Adam step; returns the batch's loss sum.</summary>
    [Benchmark]
    public double Step()
    {
        int start = _next * BatchSize;
        _next = (_next + 1) % _batches;
        _shard.Compute(_parameters, 1, start, BatchSize);
        _shard.GradientSum.CopyTo(_gradient);
        SimdKernels.Divide(_gradient, BatchSize);
        _adam.Apply(_parameters, _gradient);
        return _shard.LossSum;
    }
}
