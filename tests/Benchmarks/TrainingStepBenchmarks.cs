using BenchmarkDotNet.Attributes;
using RnnCluster.Benchmarks.Compare;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks;

/// <summary>
/// One training step of the local trainer, and the forward-only (inference) pass over a batch, for the models of the
/// <c>compare</c> mode (<see cref="CompareCase"/>: the chapter's size, batch 32 and 20 units, and the larger one,
/// batch 256 and 128 units, keys ending in "-large") plus the catalogue's <c>deep-rnn</c>.
/// <see cref="Step"/>: <see cref="OurTrainer.Step"/>, the step the <c>compare</c> mode times (<see cref="BatchShard.Compute"/>
/// over a full batch, the division by the sample count and Adam). <see cref="Forward"/>: a batch's loss only, through
/// <see cref="SubtreeGradients.ComputeLoss"/> as <see cref="Evaluator"/> runs it. The Allocated column should read
/// "-" (0 B): every buffer is allocated once, in the setup.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private OurTrainer _trainer = null!;
    private SubtreeGradients _tree = null!;
    private Dataset _train = null!;
    private float[] _parameters = [];
    private int[] _order = [];
    private int _batchSize;
    private int _batches;
    private int _next;

    [Params("deep-rnn", "deep-rnn-dense", "lstm-dense", "gru-dense", "wavenet", "conv-gru", "deep-rnn-dense-large", "lstm-dense-large", "gru-dense-large")]
    public string Model { get; set; } = "deep-rnn";

    [GlobalSetup]
    public void Setup()
    {
        var c = CompareCase.Find(Model);
        _trainer = new OurTrainer(c);
        _train = c.Train;
        _batchSize = c.BatchSize;
        _tree = new SubtreeGradients(c.Spec, _train.Steps, _train.Features, _train.TargetSize, GradientTree.SlotCount(_batchSize), withGradients: false);
        _parameters = new Network(c.Spec, _train.Steps, _train.Features, 1).InitialParameters(OurTrainer.Seed);
        _order = new int[_train.Count];
        new EpochShuffle(_train.Count).Fill(OurTrainer.Seed, 1, _order);
        _batches = _train.Count / _batchSize; // full batches only (218 of the chapter's 219 at batch 32)
        _trainer.Step(); // the first step computes epoch 1's sample order
    }

    /// <summary>One training step on the next full batch (forward, BPTT, the tree's reduction, Adam).</summary>
    [Benchmark]
    public void Step() => _trainer.Step();

    /// <summary>The forward pass (inference, no dropout) of the next full batch; returns its loss sum.</summary>
    [Benchmark]
    public double Forward()
    {
        int start = _next * _batchSize;
        _next = (_next + 1) % _batches;
        return _tree.ComputeLoss(_parameters, _train, _order.AsSpan(start, _batchSize), 0);
    }
}
