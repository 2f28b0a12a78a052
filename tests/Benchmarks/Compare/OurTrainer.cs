using System.Diagnostics;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// RnnCluster's local single-thread training step, exactly as <see cref="TrainingLoop"/> runs it with a
/// <see cref="LocalGradientSource"/>: <see cref="BatchShard.Compute"/> (forward + BPTT of every micro-shard, tree
/// reduction), the division by the batch's sample count, Adam. Full batches of the epoch's shuffled order, cycling
/// through the epochs. Shard <c>k</c> of <c>S</c> computes only its part of each batch (the independent work of one
/// cluster worker), with its own copy of the weights.
/// </summary>
internal sealed class OurTrainer
{
    private readonly BatchShard _shard;
    private readonly float[] _parameters;
    private readonly float[] _gradient;
    private readonly Adam _adam;
    private readonly int _batchSize;
    private readonly int _batches;
    private int _next;
    private int _epoch = 1;

    public OurTrainer(CompareCase c, int shardIndex = 0, int shardCount = 1)
    {
        _batchSize = c.BatchSize;
        _shard = new BatchShard(c.Spec, c.Train, c.BatchSize, Seed, shardIndex, shardCount);
        _parameters = new Network(c.Spec, c.Train.Steps, c.Train.Features, 1).InitialParameters(Seed);
        _gradient = new float[_parameters.Length];
        _adam = new Adam(_parameters.Length, new AdamSettings(LearningRate));
        _batches = c.Train.Count / c.BatchSize;
        SamplesPerStep = c.BatchSize / shardCount;
        ParameterCount = _parameters.Length;
    }

    public const uint Seed = 42;
    public const float LearningRate = 1e-3f;

    /// <summary>Samples this trainer computes per step (the batch, or its shard's part of it).</summary>
    public int SamplesPerStep { get; }

    public int ParameterCount { get; }

    /// <summary>The mean training loss of the last step's samples.</summary>
    public double LastLoss { get; private set; }

    /// <summary>One training step on the next full batch; the last batch of an epoch is followed by the next epoch's first.</summary>
    public void Step()
    {
        int filled = _shard.Compute(_parameters, _epoch, _next * _batchSize, _batchSize);
        if (filled > 0)
        {
            _shard.GradientSum.CopyTo(_gradient);
            SimdKernels.Divide(_gradient, SamplesPerStep);
            _adam.Apply(_parameters, _gradient);
            LastLoss = _shard.LossSum / SamplesPerStep;
        }
        if (++_next == _batches)
        {
            _next = 0;
            _epoch++;
        }
    }

    /// <summary>Steps for at least <paramref name="seconds"/> (and at least <paramref name="minSteps"/>); returns the steps, the time and the bytes this thread allocated.</summary>
    public Timing Run(double seconds, int minSteps)
    {
        var clock = new Stopwatch(); // allocated before the count starts
        int steps = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        clock.Start();
        while (steps < minSteps || clock.Elapsed.TotalSeconds < seconds)
        {
            Step();
            steps++;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated; // read before the result object exists
        return new Timing(steps, SamplesPerStep, elapsed, allocated);
    }

    /// <summary>
    /// Where a step's time goes: the same full batches through a <see cref="SubtreeGradients"/> over the whole tree
    /// (what <see cref="BatchShard"/> wraps), timed as forward only (<see cref="SubtreeGradients.ComputeLoss"/>),
    /// forward + backward + tree reduction (<see cref="SubtreeGradients.Compute"/>), the reduction alone
    /// (<see cref="GradientTree.Reduce"/> over as many slots of zeros) and the update (copy, divide, Adam).
    /// Milliseconds per step, best of the rounds.
    /// </summary>
    public static Breakdown MeasureBreakdown(CompareCase c, double seconds)
    {
        var train = c.Train;
        int slots = GradientTree.SlotCount(c.BatchSize);
        var tree = new SubtreeGradients(c.Spec, train.Steps, train.Features, train.TargetSize, slots);
        var parameters = new Network(c.Spec, train.Steps, train.Features, 1).InitialParameters(Seed);
        var gradient = new float[parameters.Length];
        var adam = new Adam(parameters.Length, new AdamSettings(LearningRate));
        var order = new int[train.Count];
        new EpochShuffle(train.Count).Fill(Seed, 1, order);
        int batches = train.Count / c.BatchSize;
        var zeros = new float[slots][];
        for (int s = 0; s < slots; s++) zeros[s] = new float[parameters.Length];
        var losses = new double[slots];
        int leaves = GradientTree.LeafCount(c.BatchSize);

        int next = 0;
        ReadOnlySpan<int> Batch(ref int i)
        {
            var span = order.AsSpan(i * c.BatchSize, c.BatchSize);
            i = (i + 1) % batches;
            return span;
        }

        double forward = Best(seconds, () => tree.ComputeLoss(parameters, train, Batch(ref next), 0));
        double compute = Best(seconds, () => tree.Compute(parameters, train, Batch(ref next), 0, Seed, 1));
        double reduce = Best(seconds / 4, () => GradientTree.Reduce(zeros, losses, leaves));
        double update = Best(seconds / 4, () =>
        {
            tree.GradientSum.CopyTo(gradient);
            SimdKernels.Divide(gradient, c.BatchSize);
            adam.Apply(parameters, gradient);
        });
        return new Breakdown(forward, compute - forward - reduce, reduce, update);
    }

    // ms per call: warm-up, then the best of 3 rounds of about seconds / 3 each
    private static double Best(double seconds, Action action)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < Math.Min(0.2, seconds / 3)) action();
        double best = double.PositiveInfinity;
        for (int round = 0; round < 3; round++)
        {
            int calls = 0;
            clock.Restart();
            while (calls < 2 || clock.Elapsed.TotalSeconds < seconds / 3)
            {
                action();
                calls++;
            }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / calls);
        }
        return best;
    }

    /// <summary>
    /// Throughput of <paramref name="threads"/> threads, each training its own shard (k of 2: half of every batch)
    /// with its own weights and Adam, nothing shared and no synchronisation, for about <paramref name="seconds"/>;
    /// returns the summed samples/s. With 1 thread only shard 0 runs: the same work per thread, so the ratio of the
    /// two calls is the scaling of independent shards, comparable to the FMA loop's 2-thread / 1-thread ratio.
    /// </summary>
    public static double ShardThroughput(CompareCase c, int threads, double seconds)
    {
        var trainers = Enumerable.Range(0, threads).Select(t => new OurTrainer(c, t, 2)).ToArray();
        var rates = new double[threads];
        using var ready = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var trainer = trainers[t];
            trainer.Run(Math.Min(0.3, seconds / 4), 2); // this thread's warm-up (the JIT is warm already)
            ready.SignalAndWait();
            rates[t] = trainer.Run(seconds, 3).SamplesPerSecond;
        })
        { IsBackground = true }).ToArray();
        foreach (var worker in workers) worker.Start();
        ready.SignalAndWait();
        foreach (var worker in workers) worker.Join();
        return rates.Sum();
    }
}

/// <summary>A timed run: steps of <see cref="SamplesPerStep"/> samples in <see cref="Seconds"/>, allocating <see cref="AllocatedBytes"/> on the timing thread.</summary>
internal sealed record Timing(int Steps, int SamplesPerStep, double Seconds, long AllocatedBytes)
{
    public double SamplesPerSecond => Steps * (double)SamplesPerStep / Seconds;
    public double BytesPerStep => AllocatedBytes / (double)Steps;
}

/// <summary>Milliseconds per training step in each phase (backward: forward + backward + reduction minus the other two).</summary>
internal sealed record Breakdown(double ForwardMs, double BackwardMs, double ReduceMs, double UpdateMs)
{
    public double TotalMs => ForwardMs + BackwardMs + ReduceMs + UpdateMs;
}
