using System.Collections.Concurrent;
using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// <see cref="ShardedGradientSource"/> without a cluster: shard workers that compute their subtree with a real
/// <see cref="BatchShard"/> but answer in reverse order (shard 0 last). The reduced gradient and loss must be bitwise
/// those of one <see cref="BatchShard"/> over the whole batch, full batches and the short last one alike.
/// </summary>
public class ArrivalOrderTests
{
    private const int BatchSize = 32;
    private const uint Seed = 42;
    private static readonly ModelSpec Model = Jobs.Model("deep-rnn-dense");

    /// <summary>
    /// Makes the shards of one step answer strictly backwards: shard k answers only after shard k + 1 has (the last
    /// shard after a short delay), whatever time each one's computation takes.
    /// </summary>
    private sealed class ReverseOrder
    {
        private TaskCompletionSource[] _answered = [];

        public ConcurrentQueue<int> Answers { get; } = new();

        public void NewStep(int shards)
        {
            Answers.Clear();
            _answered = Enumerable.Range(0, shards).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        }

        public async Task WaitForTurn(int shard)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5));
            if (shard + 1 < _answered.Length) await _answered[shard + 1].Task;
        }

        public void Answered(int shard)
        {
            Answers.Enqueue(shard);
            _answered[shard].SetResult();
        }
    }

    /// <summary>A shard worker in a plain class: real numerics for its subtree, answering in <see cref="ReverseOrder"/>.</summary>
    private sealed class DelayedShardWorker(int shardIndex, int shardCount, ReverseOrder order) : IShardWorkerGrain
    {
        private readonly BatchShard _shard = new(Model, Jobs.Chapter.Train, BatchSize, Seed, shardIndex, shardCount);

        public Task<string> Prepare(JobSpec spec, int run) => Task.FromResult("fake");

        public async Task<ShardGradient> ComputeGradient(GradientRequest request)
        {
            int leaves = _shard.Compute(request.Weights.Value, request.Epoch, request.BatchStart, request.BatchLength);
            var sum = leaves > 0 ? _shard.GradientSum.ToArray() : [];
            double loss = _shard.LossSum;
            await order.WaitForTurn(shardIndex);
            order.Answered(shardIndex);
            return new ShardGradient(request.Step, shardIndex, leaves, loss, new Immutable<float[]>(sum));
        }

        public Task Release(int run) => Task.CompletedTask;
    }

    // (epoch, batchStart, batchLength): two full batches of epoch 1, the short last batch (6 of 8 slots), one of epoch 2.
    private static readonly (int Epoch, int Start, int Length)[] Batches = [(1, 0, 32), (1, 32, 32), (1, 6976, 24), (2, 64, 32)];

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(8, true)]
    public async Task Reduced_gradient_is_bitwise_one_batch_shards_whatever_order_shards_answer_in(int shards, bool workersListedBackwards)
    {
        var order = new ReverseOrder();
        var workers = Enumerable.Range(0, shards).Select(k => (IShardWorkerGrain)new DelayedShardWorker(k, shards, order)).ToArray();
        if (workersListedBackwards) Array.Reverse(workers);
        var whole = new BatchShard(Model, Jobs.Chapter.Train, BatchSize, Seed);
        int parameterCount = new Network(Model, Jobs.Chapter.Train.Steps, Jobs.Chapter.Train.Features, 1).ParameterCount;
        var source = new ShardedGradientSource(workers, parameterCount, _ => Task.CompletedTask, TimeSpan.FromSeconds(10));
        var weights = new Network(Model, Jobs.Chapter.Train.Steps, Jobs.Chapter.Train.Features, 1).InitialParameters(Seed);
        var gradient = new float[parameterCount];

        long step = 0;
        foreach (var (epoch, start, length) in Batches)
        {
            step++;
            order.NewStep(shards);
            double loss = await source.SumAsync(weights, step, epoch, start, length, gradient, CancellationToken.None);

            whole.Compute(weights, epoch, start, length);
            Assert.Equal(Bits(whole.GradientSum), Bits(gradient));
            Assert.Equal(BitConverter.DoubleToInt64Bits(whole.LossSum), BitConverter.DoubleToInt64Bits(loss));
            // The shards really answered backwards.
            Assert.Equal(Enumerable.Range(0, shards).Reverse(), order.Answers);

            // New weights for the next step, so each step checks a different gradient.
            for (int i = 0; i < weights.Length; i++) weights[i] -= 0.01f * gradient[i] / length;
        }
    }

    /// <summary>
    /// The check above can fail: summing the same 8 shard sums in the order they arrive (a running sum, shard 7
    /// first) instead of along the tree gives different bits for at least one of these batches.
    /// </summary>
    [Fact]
    public void Summing_in_arrival_order_would_change_the_bits()
    {
        const int shards = 8;
        var parts = Enumerable.Range(0, shards).Select(k => new BatchShard(Model, Jobs.Chapter.Train, BatchSize, Seed, k, shards)).ToArray();
        var whole = new BatchShard(Model, Jobs.Chapter.Train, BatchSize, Seed);
        var weights = new Network(Model, Jobs.Chapter.Train.Steps, Jobs.Chapter.Train.Features, 1).InitialParameters(Seed);
        int differing = 0;
        foreach (var (epoch, start, length) in Batches)
        {
            whole.Compute(weights, epoch, start, length);
            float[]? running = null;
            for (int k = shards - 1; k >= 0; k--)
            {
                if (parts[k].Compute(weights, epoch, start, length) == 0) continue;
                if (running is null) running = parts[k].GradientSum.ToArray();
                else for (int i = 0; i < running.Length; i++) running[i] += parts[k].GradientSum[i];
            }
            if (!Bits(whole.GradientSum).SequenceEqual(Bits(running!))) differing++;
        }
        Assert.True(differing > 0, "arrival-order sums matched the tree's bits for every batch: the arrival-order test could not fail");
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }
}
