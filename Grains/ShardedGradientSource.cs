using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Metrics;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// The coordinator's gradient source: sends the weights to every shard, and reduces the shards' subtree sums in
/// shard order along the upper levels of the batch's <see cref="GradientTree"/>, whatever order they arrive in.
/// </summary>
public sealed class ShardedGradientSource : IGradientSource
{
    private readonly IShardWorkerGrain[] _workers;
    private readonly float[][] _sums;   // [shards][parameters]
    private readonly double[] _losses;  // [shards]
    private readonly JobMetrics? _metrics;

    public ShardedGradientSource(IShardWorkerGrain[] workers, int parameterCount, JobMetrics? metrics = null)
    {
        _workers = workers;
        _metrics = metrics;
        _sums = workers.Select(_ => new float[parameterCount]).ToArray();
        _losses = new double[workers.Length];
    }

    public async ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum,
        CancellationToken cancellation)
    {
        _metrics?.StepStarted();
        // A copy: the loop changes its parameters after this step, and what is sent as immutable must never change.
        var request = new GradientRequest(step, epoch, batchStart, batchLength, new Immutable<float[]>((float[])parameters.Clone()));
        var answers = await Task.WhenAll(_workers.Select(w => w.ComputeGradient(request)));
        long reductionStarted = Stopwatch.GetTimestamp();
        int present = 0;
        foreach (var answer in answers)
        {
            if (answer.Step != step) throw new InvalidOperationException($"shard {answer.ShardIndex} answered step {answer.Step} for step {step}");
            if (answer.Leaves == 0) continue;
            answer.GradientSum.Value.CopyTo(_sums[answer.ShardIndex], 0);
            _losses[answer.ShardIndex] = answer.LossSum;
            present = Math.Max(present, answer.ShardIndex + 1);
        }
        GradientTree.Reduce(_sums, _losses, present);
        _sums[0].CopyTo(gradientSum, 0);
        _metrics?.GradientReduced(reductionStarted, gradientSum, batchLength);
        return _losses[0];
    }
}
