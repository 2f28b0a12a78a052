using Microsoft.Extensions.Logging;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Metrics;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// The coordinator of one job. Start checks the spec, prepares the shard workers and returns; the training loop
/// (Numerics' <see cref="TrainingLoop"/> over a <see cref="ShardedGradientSource"/>) then runs on inside this
/// activation, one grain call per shard and step, never one call held open for the whole job. The grain is
/// reentrant, so status and cancel are answered between steps while the loop awaits its shards.
/// The job lives in memory: a restart of this silo loses it (durable jobs come with fault tolerance).
/// </summary>
[Reentrant]
public sealed class TrainingJobGrain(ILogger<TrainingJobGrain> logger) : Grain, ITrainingJobGrain
{
    private static readonly TimeSpan KeepFinishedJob = TimeSpan.FromHours(1);

    private JobState _state = JobState.Unknown;
    private string _model = "";
    private int _epochs;
    private int _epoch;
    private long _step;
    private double _scale2 = 1;
    private float[]? _weights;
    private double? _validMse;
    private double? _testMse;
    private double? _naiveValidMse;
    private (double[] Input, double[] Actual, double[] Forecast)? _lastWindow;
    private double[]? _columnMeans;
    private double[]? _columnScales;
    private double? _naiveTestMse;
    private string? _error;
    private string[] _silos = [];
    private List<string>? _stepHashes;
    private readonly List<EpochSummary> _history = [];
    private readonly CancellationTokenSource _cancel = new();
    private JobMetrics? _metrics;

    private string JobId => this.GetPrimaryKeyString();

    public async Task<JobStatus> Start(JobSpec spec)
    {
        if (_state != JobState.Unknown)
            return Status() with { State = JobState.Rejected, Error = $"--job-id: job '{JobId}' already exists ({_state}); choose another id" };
        JobPlan plan;
        try
        {
            plan = JobPlan.From(spec);
        }
        catch (InvalidInputException e)
        {
            DeactivateOnIdle();
            return JobStatus.Unknown(JobId) with { State = JobState.Rejected, Model = spec?.ModelName ?? "", Error = e.Message };
        }

        _state = JobState.Running;
        _model = spec.ModelName;
        _epochs = plan.Options.Epochs;
        _metrics = RnnClusterMetrics.StartJob(JobId, _model, _epochs);
        _scale2 = plan.Data.TargetScale * plan.Data.TargetScale;
        _columnMeans = plan.Data.ColumnMeans;
        _columnScales = plan.Data.ColumnScales;
        _naiveValidMse = ForecastFigures.NaiveMse(plan.Evaluation, plan.Evaluation.Valid);
        _naiveTestMse = ForecastFigures.NaiveMse(plan.Evaluation, plan.Evaluation.Test);
        if (spec.Training.RecordStepHashes) _stepHashes = [];
        this.DelayDeactivation(TimeSpan.FromDays(7));
        var workers = Enumerable.Range(0, plan.ShardCount).Select(k => GrainFactory.GetGrain<IShardWorkerGrain>(k, JobId)).ToArray();
        try
        {
            _silos = await Task.WhenAll(workers.Select(w => w.Prepare(spec)));
            await GrainFactory.GetGrain<IJobRegistryGrain>(0).Add(JobId);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {JobId}: preparing the shards failed", JobId);
            _state = JobState.Failed;
            _metrics.Ended(_state);
            _error = $"preparing the shards failed: {e.Message}";
            await ReleaseAsync(workers);
            this.DelayDeactivation(KeepFinishedJob);
            return Status();
        }
        logger.LogInformation("Job {JobId}: {Model}, {Shards} shards on {Silos}", JobId, _model, workers.Length, string.Join(", ", _silos.Distinct()));
        _ = RunAsync(plan, workers);
        return Status();
    }

    public Task<JobStatus> GetStatus() => Task.FromResult(Status());

    public Task<TrainedModel?> GetModel() => Task.FromResult(_state == JobState.Completed && _weights is not null
        ? new TrainedModel(new Immutable<float[]>((float[])_weights.Clone()), _columnMeans, _columnScales,
            _lastWindow?.Input, _lastWindow?.Actual, _lastWindow?.Forecast)
        : null);

    public Task<JobStatus> Cancel()
    {
        if (_state == JobState.Running) _cancel.Cancel();
        return Task.FromResult(Status());
    }

    private async Task RunAsync(JobPlan plan, IShardWorkerGrain[] workers)
    {
        try
        {
            var source = new ShardedGradientSource(workers, plan.ParameterCount, _metrics);
            var result = await TrainingLoop.RunAsync(plan.Model, plan.Data, plan.Options, source,
                progress: r =>
                {
                    _epoch = r.Epoch;
                    _history.Add(new EpochSummary(r.Epoch, r.TrainLoss * _scale2, r.ValidMse * _scale2, r.Elapsed.TotalSeconds));
                    _metrics?.EpochEnded(_history[^1]);
                },
                afterStep: (step, weights) =>
                {
                    _step = step;
                    _weights = weights;
                    _metrics?.StepEnded(step);
                    _stepHashes?.Add(WeightsHash.Of(weights));
                },
                _cancel.Token);
            _weights = result.Parameters;
            var (valid, test) = ForecastFigures.Of(plan.Task, plan.Model, result, plan.Data, plan.Evaluation, plan.Options.BatchSize);
            _lastWindow = ForecastFigures.LastValidationWindow(plan.Task, plan.Model, result.Parameters, plan.Data, plan.Evaluation, plan.Options.BatchSize);
            _validMse = valid;
            _testMse = test;
            _state = JobState.Completed;
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            _state = JobState.Cancelled;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {JobId} failed", JobId);
            _state = JobState.Failed;
            _error = e.Message;
        }
        _metrics?.Ended(_state);
        logger.LogInformation("Job {JobId}: {State} after {Steps} steps", JobId, _state, _step);
        await ReleaseAsync(workers);
        this.DelayDeactivation(KeepFinishedJob);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _cancel.Cancel();   // a loop still running stops calling its shards
        _metrics?.Dispose();
        if (_state != JobState.Unknown)
            try
            {
                await GrainFactory.GetGrain<IJobRegistryGrain>(0).Remove(JobId);   // the job is gone: so is its line in `jobs`
            }
            catch (Exception e)
            {
                logger.LogInformation(e, "Job {JobId}: removing it from the registry failed", JobId);
            }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task ReleaseAsync(IShardWorkerGrain[] workers)
    {
        try
        {
            await Task.WhenAll(workers.Select(w => w.Release()));
        }
        catch (Exception e)
        {
            logger.LogInformation(e, "Job {JobId}: releasing a shard failed", JobId);
        }
    }

    private JobStatus Status() => new(JobId, _state, _model, _epoch, _epochs, _step, _history.ToArray(),
        WeightsHashNow(), _validMse, _testMse, _silos, _error, _naiveValidMse, _naiveTestMse, _stepHashes?.ToArray());

    // the hash of the current weights, computed once per step (status is polled far more often than steps end)
    private (float[] Weights, long Step, string Hash)? _hashed;

    private string? WeightsHashNow()
    {
        if (_weights is null) return null;
        if (_hashed is not { } h || h.Weights != _weights || h.Step != _step) _hashed = h = (_weights, _step, WeightsHash.Of(_weights));
        return h.Hash;
    }
}
