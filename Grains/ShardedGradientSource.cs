using System.Diagnostics;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// The coordinator's gradient source: sends the weights to every shard, and reduces the shards' subtree sums in
/// shard order along the upper levels of the batch's <see cref="GradientTree"/>, whatever order they arrive in.
/// A shard lost with its silo is recovered: the step is sent again (with backoff while the cluster notices the dead
/// silo), shards that come back empty are prepared again from the job's spec, and the step is redone with the same
/// weights, so its answer is bitwise the one the lost shard would have given. A silo without room for a shard prepared
/// again (<see cref="MemoryBudget"/>) is waited for like a lost one, and said (<c>waiting</c>) until the step goes on;
/// meanwhile the step's calls name the silos that refused (<see cref="FullSilos"/>), so the shard goes where there is room.
/// After <c>timeout</c> of failures the step fails with <see cref="ShardsLostException"/>.
/// </summary>
public sealed class ShardedGradientSource : IGradientSource
{
    private readonly IShardWorkerGrain[] _workers;
    private readonly float[][] _sums;   // [shards][parameters]
    private readonly double[] _losses;  // [shards]
    private readonly JobMetrics? _metrics;
    private readonly Func<int[], Task> _prepare;
    private readonly TimeSpan _timeout;
    private readonly Action<Exception>? _lost;
    private readonly Action<TimeSpan>? _recovered;
    private readonly Action<string?>? _waiting;

    /// <param name="prepare">Prepares the shards of these indices again (their silo was lost).</param>
    /// <param name="lost">Told of the first failure of a step that then recovers or not.</param>
    /// <param name="recovered">Told how long a failed step took to succeed after its first failure.</param>
    /// <param name="waiting">Told why a recovering step waits ("memory: " and the budget's refusal) at each refusal,
    /// then null once the step goes on after one.</param>
    public ShardedGradientSource(IShardWorkerGrain[] workers, int parameterCount, Func<int[], Task> prepare, TimeSpan timeout,
        JobMetrics? metrics = null, Action<Exception>? lost = null, Action<TimeSpan>? recovered = null, Action<string?>? waiting = null)
    {
        (_workers, _metrics, _prepare, _timeout, _lost, _recovered, _waiting) = (workers, metrics, prepare, timeout, lost, recovered, waiting);
        _sums = workers.Select(_ => new float[parameterCount]).ToArray();
        _losses = new double[workers.Length];
    }

    public async ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum,
        CancellationToken cancellation)
    {
        _metrics?.StepStarted();
        // A copy: the loop changes its parameters after this step, and what is sent as immutable must never change.
        var request = new GradientRequest(step, epoch, batchStart, batchLength, new Immutable<float[]>((float[])parameters.Clone()));
        var answers = await AnswersAsync(request, cancellation);
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

    // every shard's answer to this request, recovering lost shards until the timeout
    private async Task<ShardGradient[]> AnswersAsync(GradientRequest request, CancellationToken cancellation)
    {
        long? firstFailure = null;
        FullSilos? refused = null;   // the silos whose memory budget had no room for a shard prepared again, once one had none
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                refused?.Name();   // a refused shard is placed anew elsewhere where there is room (see FullSilos)
                var answers = await Task.WhenAll(_workers.Select(w => w.ComputeGradient(request)));
                var empty = answers.Where(a => a.Leaves < 0).Select(a => a.ShardIndex).ToArray();
                if (empty.Length == 0)
                {
                    if (refused is not null) _waiting?.Invoke(null);
                    if (firstFailure is long t) _recovered?.Invoke(Stopwatch.GetElapsedTime(t));
                    return answers;
                }
                firstFailure ??= Lost(new ShardsLostException($"shard(s) {string.Join(", ", empty)} came back without data (their silo was lost)"));
                await _prepare(empty);
            }
            catch (Exception e) when (IsClusterFailure(e) || e is MemoryBudgetException { Fits: true })
            {
                // a silo lost, or the silos the lost shards moved to without room for them in their memory budget yet
                cancellation.ThrowIfCancellationRequested();   // stopping (a cancel, a deactivation): not a failure of the job
                firstFailure ??= Lost(e);
                if (e is MemoryBudgetException full)
                {
                    (refused ??= new()).Refused(full);
                    _waiting?.Invoke($"memory: {e.Message}");
                }
                if (Stopwatch.GetElapsedTime(firstFailure.Value) > _timeout)
                    throw new ShardsLostException($"step {request.Step}: shards not back after {_timeout.TotalSeconds:0} s: {e.Message}", e);
                await Task.Delay(delay, cancellation);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private long Lost(Exception e)
    {
        _lost?.Invoke(e);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// A failure of the cluster (a silo lost, a message rejected, timed out or cancelled), not of the grain's own code.
    /// Orleans cancels a call it cannot address when the silo owning the target's directory entry dies under it (the
    /// distributed grain directory cancels what it asked of a dead member); no grain call of ours takes a cancellation
    /// token, so a cancelled call is always the cluster's. Callers with a token of their own test it first.
    /// </summary>
    public static bool IsClusterFailure(Exception e) => e is OrleansException or TimeoutException or ShardsLostException or OperationCanceledException;
}
