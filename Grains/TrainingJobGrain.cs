using System.Diagnostics.CodeAnalysis;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// The coordinator of one job. Start checks the spec, stores it, prepares the shard workers and returns; the training
/// loop (Numerics' <see cref="TrainingLoop"/> over a <see cref="ShardedGradientSource"/>) then runs on inside this
/// activation, one grain call per shard and step. The grain is reentrant, so status and cancel are answered between
/// steps while the loop awaits its shards.
/// The job is durable (<see cref="JobStore"/>): its spec, its record and checkpoints of the loop's whole state
/// (<see cref="Checkpointer"/>). An activation that finds its job running (its silo was lost, or every silo restarted)
/// goes on from the last checkpoint; a reminder wakes it on another silo when nobody asks. Lost shards are recovered
/// inside the step. Every path gives bitwise the weights of an uninterrupted run: the loop is deterministic from its
/// state, and a redone step sends the same weights to the same shard indices.
/// </summary>
[Reentrant]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "_recordWrites and _stop hold nothing to release: the semaphore makes no wait handle, the token sources no timer")]
public sealed class TrainingJobGrain(ILogger<TrainingJobGrain> logger, ILocalSiloDetails silo, IOptions<JobOptions> jobOptions, MemoryBudget memory)
    : Grain, ITrainingJobGrain, IRemindable
{
    private static readonly TimeSpan KeepFinishedJob = TimeSpan.FromHours(1);

    // a job waiting for memory tries again after 1 s, then less and less often, at least this often
    private static readonly TimeSpan MemoryRetryMax = TimeSpan.FromSeconds(10);

    // how long Cancel waits for the loop's end to be stored before it answers (the loop stops within a step)
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    private readonly JobOptions _options = jobOptions.Value;
    private readonly SemaphoreSlim _recordWrites = new(1, 1);
    private JobStore _store = null!;
    private StoredJob _job = new();
    private JobSpec? _spec;
    private JobPlan? _plan;
    private Task? _loop;
    private CancellationTokenSource _stop = new();
    private TaskCompletionSource _endStored = new(TaskCreationOptions.RunContinuationsAsynchronously);   // the loop's end is stored

    // true while the job's end (completed, failed, cancelled) is being written: Status() still reports it running
    private bool _endUnstored;
    private bool _cancelRequested;
    // settled but while a Start or Resume call makes the job running and starts its loop: meanwhile a reminder tick
    // starts no loop, a second Resume is refused, and a Cancel waits for that loop and stops it as it starts
    private TaskCompletionSource _loopStartSettled = Settled();
    private bool _cancelAtStart;
    private bool _handedOver;   // a Start or Resume failed before its loop began and this activation goes away (HandOver)
    private bool _deactivating;
    private string? _waiting;   // why the running job does not train now: no room in a memory budget (to start, or for a recovered shard)
    private readonly FullSilos _fullSilos = new();   // the silos whose budget refused a shard while the job waits to start (see FullSilos)
    private bool _recordUnstored;   // the last write of the record failed
    private RecoveryReminder _reminder = null!;   // wakes the running job on another silo if this one is lost
    private RegistryRetry _registry = null!;   // puts the job's summary to the job registry
    private float[]? _weights;        // the loop's live weights
    private float[]? _finalWeights;   // a completed job's
    private List<string>? _stepHashes;
    private JobMetrics? _metrics;

    private string JobId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JobOptions.StorageName);
        _store = new JobStore(storage, this.GetGrainId(), _options, logger);
        _reminder = new RecoveryReminder(this, _options.RecoveryReminderPeriod,
            e => logger.LogInformation("Job {JobId}: registering its recovery reminder failed: {Error}", JobId, e.Message));
        _registry = new RegistryRetry(PutSummaryAsync, () => _deactivating,
            e => logger.LogInformation("Job {JobId}: updating the job registry failed (tried again until it lands): {Error}", JobId, e.Message),
            again => logger.LogInformation("Job {JobId}: updating the job registry failed again: {Error}", JobId, again.Message),
            landed: () => _ = ReleaseReminderOfEndAsync());
        try
        {
            _job = await _store.ReadJobAsync() ?? new StoredJob();
        }
        catch (CorruptStateException e)
        {
            logger.LogWarning("Job {JobId}: {Error}", JobId, e.Message);
            _job = new StoredJob { State = JobState.Failed, Error = new JobError(JobErrorKind.CorruptCheckpoint, "job", e.Message) };
        }
        catch (StorageFailedException e)
        {
            throw StorageFailureFilter.ToCaller(this.GetGrainId(), e);   // the activation fails; the next call tries again
        }
        _job.CoordinatorSilo = silo.SiloAddress.ToString();
        if (_job.State == JobState.Running)
        {
            _job.Recoveries++;
            logger.LogInformation("Job {JobId}: running when its coordinator was lost; recovering", JobId);
            _reminder.MarkLost();
            StartLoop(null, fromCheckpoint: true);
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<JobStatus> Start(JobSpec spec)
    {
        JobPlan plan;
        try
        {
            JobIds.Validate(JobId, "job_id");
            if (_job.State != JobState.Unknown && spec.StartToken is not null && (await SpecOrNullAsync())?.StartToken == spec.StartToken)
            {
                await _loopStartSettled.Task;   // this start, sent again (its first answer lost or late): answered as the first
                return Status();
            }
            if (_job.State != JobState.Unknown)
                return Status() with { State = JobState.Rejected, Error = new JobError(JobErrorKind.Conflict, "job_id", $"job '{JobId}' already exists ({Lower(_job.State)}); choose another id") };
            plan = JobPlan.From(spec);
            if (spec.BaselineJobId is string baseline) JobIds.Validate(baseline, "baseline job id");
            if (spec.SweepId is string sweepId) JobIds.Validate(sweepId, "sweep id");
        }
        catch (InvalidInputException e)
        {
            DeactivateOnIdle();
            return JobStatus.Unknown(JobId) with { State = JobState.Rejected, Model = spec?.ModelName ?? "", Error = new JobError(JobErrorKind.BadInput, e.Field, e.Reason) };
        }

        _spec = spec;
        _plan = plan;
        _job = new StoredJob
        {
            State = JobState.Running, Model = spec.ModelName, Epochs = plan.Options.Epochs, Created = DateTime.UtcNow, Run = 1,
            CoordinatorSilo = silo.SiloAddress.ToString(),
            NaiveValidMse = ForecastFigures.NaiveMse(plan.Evaluation, plan.Evaluation.Valid),
            NaiveTestMse = ForecastFigures.NaiveMse(plan.Evaluation, plan.Evaluation.Test),
        };
        if (spec.Training.RecordStepHashes) _stepHashes = [];
        BeginLoopStart();
        try
        {
            return await PrepareAndStartAsync(spec, plan);
        }
        finally
        {
            EndLoopStart();
        }
    }

    private bool LoopStarting => !_loopStartSettled.Task.IsCompleted;

    private static TaskCompletionSource Settled()
    {
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        settled.SetResult();
        return settled;
    }

    private void BeginLoopStart() => _loopStartSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    // the call ends, its loop started or not (a cancel it met was taken by StartLoop, or has nothing left to stop)
    private void EndLoopStart()
    {
        _cancelAtStart = false;
        _loopStartSettled.TrySetResult();
    }

    // Start after the job became running in memory: stored, its reminder registered, its shards prepared, its loop started
    private async Task<JobStatus> PrepareAndStartAsync(JobSpec spec, JobPlan plan)
    {
        await _reminder.StoreRunningAsync(async () =>
        {
            await _store.WriteSpecAsync(spec);
            await PersistAsync();
        }, HandOver);
        var workers = Workers(plan);
        try
        {
            if (!await PrepareShardsAsync(workers, spec)) return Status();
        }
        catch (MemoryBudgetException e) when (e.Fits)
        {
            // no room on a shard's silo now: the loop waits for it (the status says so) and prepares the shards then
            await WaitingForMemoryAsync(e, workers);
            StartLoop(null, fromCheckpoint: false, prepareShards: true);
            return Status();
        }
        logger.LogInformation("Job {JobId}: {Model}, {Shards} shards on {Silos}", JobId, _job.Model, workers.Length, string.Join(", ", _job.ShardSilos.Distinct()));
        StartLoop(null, fromCheckpoint: false);
        return Status();
    }

    public Task<JobStatus> GetStatus() => Task.FromResult(Status());

    public async Task<TrainedModel?> GetModel() => _job.State == JobState.Completed ? (await Export()).Model : null;

    public async Task<JobStatus> Cancel()
    {
        if (LoopStarting)
        {
            _cancelAtStart = true;   // the loop stops as it starts, even if that comes after this call answered
            await WaitQuietlyAsync(_loopStartSettled.Task, "the job's start ended; its loop stops as it starts");
        }
        // the start (or resume) failed before any loop began: nothing was stopped, and what storage holds decides
        // what the next activation does; said as an error, not answered "running" as if the cancel had taken
        if (_handedOver)
            return Status() with { Error = new JobError(JobErrorKind.Storage, "storage", $"job '{JobId}' did not start: storage or the reminder service failed before its loop began, so nothing was stopped; if it was stored running it goes on at its next activation, so cancel it again") };
        if (_job.State == JobState.Running && _loop is { IsCompleted: false })
        {
            _cancelRequested = true;
            _stop.Cancel();
        }
        // answered once the end is stored: a caller that then resumes the job (a sweep resuming its trial) finds it
        // cancelled, not still stopping and about to report cancelled after the resume
        if (_cancelRequested && _loop is { IsCompleted: false }) await WaitQuietlyAsync(_endStored.Task, "the loop's end was stored");
        JobSpec? spec;
        try
        {
            spec = _spec ?? await SpecOrNullAsync();
        }
        catch (CorruptStateException c)
        {
            // no loop runs without its spec, so nothing was left running here; a baseline started beside the job is
            // named only in the spec, so it could not be cancelled: said as the cancel's own error
            logger.LogWarning("Job {JobId}: cancel could not read the spec: {Error}", JobId, c.Message);
            return Status() with { Error = new JobError(JobErrorKind.CorruptCheckpoint, JobError.UnreadSpec, $"{c.Message}; it was left as it is, and a baseline job started beside this one (if any) was not cancelled: cancel it by its id") };
        }
        if (spec?.BaselineJobId is string baseline)
            try
            {
                await GrainFactory.GetGrain<ITrainingJobGrain>(baseline).Cancel();
            }
            catch (Exception e)
            {
                logger.LogInformation("Job {JobId}: cancelling its baseline {Baseline} failed: {Error}", JobId, baseline, e.Message);
            }
        return Status();
    }

    // what Cancel waits for, up to CancelWait; it answers anyway after that
    private async Task WaitQuietlyAsync(Task awaited, string what)
    {
        try
        {
            await awaited.WaitAsync(CancelWait);
        }
        catch (TimeoutException)
        {
            logger.LogInformation("Job {JobId}: cancel answered before {What}", JobId, what);
        }
    }

    public async Task<JobStatus> Resume(int? epochs)
    {
        JobStatus Refused(JobErrorKind kind, string field, string message) => Status() with { Error = new JobError(kind, field, message) };
        switch (_job.State)
        {
            case JobState.Unknown:
                DeactivateOnIdle();
                return Refused(JobErrorKind.BadInput, "JOB", $"no job '{JobId}' on this cluster");
            case JobState.Running:
                return Refused(JobErrorKind.Conflict, "JOB", $"job '{JobId}' is running (step {_job.Step}); resume goes on with a cancelled, failed or diverged job");
        }
        int trained = _job.History.Count;
        if (epochs is int e && (e <= trained || e > TrainingOptions.MaxEpochs))
            return Refused(JobErrorKind.BadInput, "epochs", $"{e} is out of range; the job has trained {trained} epoch(s): allowed {trained + 1}..{TrainingOptions.MaxEpochs}");
        if (_job.State == JobState.Completed && epochs is null)
            return Refused(JobErrorKind.Conflict, "epochs", $"job '{JobId}' completed its {_job.Epochs} epochs; give --epochs more than {trained} to train on");
        if (LoopStarting)
            return Refused(JobErrorKind.Conflict, "JOB", $"job '{JobId}' is being resumed by another call");
        BeginLoopStart();
        try
        {
            // the loop that ended may still be finishing (its reminder's release, its shards'): one loop at a time
            if (_loop is { IsCompleted: false } ending) await ending.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
            return await ResumeFromCheckpointAsync(epochs, Refused);
        }
        finally
        {
            EndLoopStart();
        }
    }

    private async Task<JobStatus> ResumeFromCheckpointAsync(int? epochs, Func<JobErrorKind, string, string, JobStatus> refused)
    {
        (TrainingState State, DateTime Written)? checkpoint;
        JobSpec spec;
        try
        {
            spec = await SpecOrNullAsync() ?? throw new CorruptStateException("job spec", new InvalidDataException("missing"));
            if (epochs is int more) spec = spec with { Training = spec.Training with { Epochs = more } };
            _plan = JobPlan.From(spec);
            checkpoint = await _store.ReadCheckpointAsync(_plan.ParameterCount);
        }
        catch (CorruptStateException c)
        {
            return refused(JobErrorKind.CorruptCheckpoint, "checkpoint", $"{c.Message}; the stored {c.What} was left as it is");
        }
        if (epochs is not null)
        {
            await _store.WriteSpecAsync(spec);
            _job.Epochs = spec.Training.Epochs;
        }
        _spec = spec;
        _job.State = JobState.Running;
        _job.Run++;
        _job.Error = null;
        _job.ValidMse = _job.TestMse = null;
        _job.Classical = null;
        _job.WeightsHash = null;
        _finalWeights = null;
        await _reminder.StoreRunningAsync(PersistAsync, HandOver);
        logger.LogInformation("Job {JobId}: resumed from step {Step}", JobId, checkpoint?.State.Step ?? 0);
        StartLoop(checkpoint?.State, fromCheckpoint: false, prepareShards: true);
        return Status();
    }

    public async Task<JobExport> Export()
    {
        static JobExport Refused(JobErrorKind kind, string field, string message) => new(new JobError(kind, field, message));
        if (_job.State == JobState.Unknown)
        {
            DeactivateOnIdle();
            return Refused(JobErrorKind.BadInput, "JOB", $"no job '{JobId}' on this cluster");
        }
        try
        {
            var spec = await SpecOrNullAsync() ?? throw new CorruptStateException("job spec", new InvalidDataException("missing"));
            var plan = _plan ??= JobPlan.From(spec);
            bool final = _job.State == JobState.Completed;
            float[] weights;
            long step;
            if (final && _finalWeights is not null)
            {
                (weights, step) = (_finalWeights, _job.Step);
            }
            else
            {
                if (await _store.ReadCheckpointAsync(plan.ParameterCount) is not { } checkpoint)
                    return Refused(JobErrorKind.Conflict, "JOB", $"job '{JobId}' has no checkpoint yet (step {_job.Step}); one is written at every epoch's end");
                weights = final ? checkpoint.State.FinalParameters(plan.Options.EarlyStoppingPatience is not null) : checkpoint.State.Parameters;
                step = checkpoint.State.Step;
            }
            var model = new TrainedModel(new Immutable<float[]>((float[])weights.Clone()), plan.Data.ColumnMeans, plan.Data.ColumnScales,
                _job.LastWindowInput, _job.LastWindowActual, _job.LastWindowForecast);
            return new JobExport(null, spec.ModelName, spec.ModelJson, spec.Task, spec.Data, model, step, final);
        }
        catch (CorruptStateException c)
        {
            return Refused(JobErrorKind.CorruptCheckpoint, "checkpoint", $"{c.Message}; the stored {c.What} was left as it is");
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_job.State == JobState.Running)
        {
            if ((_loop is null || _loop.IsCompleted) && !LoopStarting) StartLoop(null, fromCheckpoint: true);
        }
        else if (_job.State == JobState.Unknown)
        {
            await StopReminderAsync();
        }
        else
        {
            // an end that was not yet stored and listed (its activation may have been lost first): stored and listed
            // now, and only then does the reminder go; a failure leaves it for the next tick
            if (_recordUnstored) await WriteRecordAsync();
            await _registry.PutOrThrowAsync();
            await ReleaseReminderOfEndAsync();
        }
    }

    // a call failed after the job became running in memory and before its loop started (a silo lost under its storage
    // or its reminder): the record may be stored running, or not. This activation goes away and the next reads what
    // storage holds: a running record recovers at activation as after a silo loss (its reminder registered again),
    // none lets Start run again. So no job is left reported running with no loop and no reminder to start one.
    private void HandOver()
    {
        _handedOver = true;
        DeactivateOnIdle();
    }

    // one loop an activation, so called only where none runs (a reminder tick not while a Start or Resume is under way,
    // a Resume after the last loop ended): two would train the job twice over, each adding its epochs to the history,
    // and a completed status would report the other's live weights
    // prepareShards: a resumed loop prepares its shards for its run first (not in the Resume call: a shard on a silo
    // that stopped answering would hold it for a call's timeout), rather than its first step finding them empty and
    // recovering them as after a lost silo
    private void StartLoop(TrainingState? start, bool fromCheckpoint, bool prepareShards = false)
    {
        _stop = new CancellationTokenSource();
        _endStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_cancelRequested, _cancelAtStart) = (_cancelAtStart, false);
        if (_cancelRequested) _stop.Cancel();
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _loop = RunAsync(start, fromCheckpoint, prepareShards);
    }

    private async Task RunAsync(TrainingState? start, bool fromCheckpoint, bool prepareShards)
    {
        IShardWorkerGrain[] workers = [];
        Checkpointer? checkpointer = null;
        try
        {
            var spec = await SpecOrNullAsync() ?? throw new CorruptStateException("job spec", new InvalidDataException("missing"));
            var plan = _plan ??= JobPlan.From(spec);
            _metrics ??= RnnClusterMetrics.StartJob(JobId, _job.Model, plan.Options.Epochs);
            if (plan.Options.LeastSquares) _job.Fit ??= "least squares";   // the ridge, if any, once fitted
            if (fromCheckpoint)
            {
                await _reminder.RegisterIfLostAsync();
                var stored = await _store.ReadCheckpointAsync(plan.ParameterCount);
                start = stored?.State;
                (_job.CheckpointStep, _job.CheckpointTime) = (stored?.State.Step, stored?.Written);
                logger.LogInformation("Job {JobId}: going on from {From} on {Silo}", JobId,
                    start is null ? "the start (no checkpoint yet)" : $"the checkpoint at step {start.Step} (epoch {start.Epoch}, batch {start.BatchStart}, weights {WeightsHash.Of(start.Parameters)})", _job.CoordinatorSilo);
            }
            double scale2 = plan.Data.TargetScale * plan.Data.TargetScale;
            _job.History = start?.History.Select(r => Summary(r, scale2)).ToList() ?? [];
            _job.Epoch = _job.History.Count;
            _job.Step = start?.Step ?? 0;
            workers = Workers(plan);
            using var evaluation = await HoldMemoryAsync(plan, workers, spec, prepareShards);
            if (evaluation is null) return;
            checkpointer = new Checkpointer(_store, _options, (step, written) =>
            {
                (_job.CheckpointStep, _job.CheckpointTime) = (step, written);
                _ = PersistQuietlyAsync();   // the record and `jobs` follow every checkpoint (epoch ends included)
            });
            var source = new ShardedGradientSource(workers, plan.ParameterCount, indices => PrepareAsync(workers, indices, spec),
                _options.ShardRecoveryTimeout, _metrics,
                lost: e => logger.LogWarning("Job {JobId}: a step failed ({Error}); recovering its shards", JobId, e.Message),
                recovered: t =>
                {
                    _job.Recoveries++;
                    logger.LogInformation("Job {JobId}: shards recovered in {Seconds:0.0} s", JobId, t.TotalSeconds);
                },
                waiting: Waiting);
            var result = await TrainingLoop.RunAsync(plan.Model, plan.Data, plan.Options, source,
                progress: r =>
                {
                    _job.Epoch = r.Epoch;
                    _job.History.Add(Summary(r, scale2));
                    _metrics?.EpochEnded(_job.History[^1]);
                    logger.LogInformation("Job {JobId}: epoch {Epoch} ended at step {Step}, weights {Hash}", JobId, r.Epoch, _job.Step, WeightsHashNow());
                    NotifySweep();
                },
                afterStep: (step, weights) =>
                {
                    _job.Step = step;
                    _weights = weights;
                    _metrics?.StepEnded(step);
                    _stepHashes?.Add(WeightsHash.Of(weights));
                },
                start, checkpointer.OnStepAsync, _stop.Token);
            await checkpointer.FlushAsync(checkpointer.Latest);
            var (valid, test) = ForecastFigures.Of(plan.Task, plan.Model, result, plan.Data, plan.Evaluation);
            var window = ForecastFigures.LastValidationWindow(plan.Task, plan.Model, result.Parameters, plan.Data, plan.Evaluation, plan.Options.BatchSize);
            (_job.LastWindowInput, _job.LastWindowActual, _job.LastWindowForecast) = window;
            (_job.ValidMse, _job.TestMse) = (valid, test);
            if (plan.Classical is { } classical)   // off the scheduler: an ARIMA chosen by AIC fits a few dozen models
                _job.Classical = await Task.Run(() => ClassicalPlan.Evaluate(spec.Data, plan.Evaluation, classical), _stop.Token);
            _finalWeights = result.Parameters;
            _job.WeightsHash = WeightsHash.Of(result.Parameters);
            _job.Fit = result.Fit;
            if (result.Fit is not null) logger.LogInformation("Job {JobId}: fitted by {Fit}", JobId, result.Fit);
            await EndAsync(JobState.Completed, null, workers);
        }
        catch (Exception e) when (_deactivating)
        {
            // this activation is going away (its silo shuts down, or Orleans found a second activation): whatever the
            // loop met on its way out, the job stays running in storage, with its latest state, for the next activation
            logger.LogInformation("Job {JobId}: the coordinator's activation stops ({Error}); the job goes on at its next activation", JobId, e.Message);
            await FlushQuietlyAsync(checkpointer);
        }
        catch (OperationCanceledException) when (_cancelRequested)
        {
            await FlushQuietlyAsync(checkpointer);
            await EndAsync(JobState.Cancelled, null, workers);
        }
        catch (Exception e)
        {
            var (state, error) = Classify(e);
            logger.LogWarning(e, "Job {JobId}: {State}: {Error}", JobId, state, error.Message);
            await EndAsync(state, error, workers);
        }
        finally
        {
            _endStored.TrySetResult();   // ended, or this activation stops: a waiting cancel answers
        }
    }

    private static (JobState, JobError) Classify(Exception e) => e switch
    {
        DivergedException d => (JobState.Diverged, new JobError(JobErrorKind.Diverged, "learning_rate",
            $"{d.Message}; the last good checkpoint is kept: resume it, or train again with a lower --learning-rate or --clipnorm")),
        CorruptStateException c => (JobState.Failed, new JobError(JobErrorKind.CorruptCheckpoint, "checkpoint", $"{c.Message}; the stored {c.What} was left as it is")),
        StorageFailedException s => (JobState.Failed, new JobError(JobErrorKind.Storage, "storage", s.Message)),
        ShardsLostException l => (JobState.Failed, new JobError(JobErrorKind.Shards, "shards", l.Message)),
        MemoryBudgetException m => (JobState.Failed, new JobError(JobErrorKind.Shards, "memory", m.Message)),
        InvalidInputException i => (JobState.Failed, new JobError(JobErrorKind.BadInput, i.Field, i.Reason)),
        _ => (JobState.Failed, new JobError(JobErrorKind.Internal, "job", e.Message)),
    };

    private async Task EndAsync(JobState state, JobError? error, IShardWorkerGrain[] workers)
    {
        _endUnstored = true;   // reported running until the end is stored: a caller that sees it finished may kill this silo
        _job.State = state;
        _job.Error = error;
        _job.WeightsHash ??= WeightsHashNow();   // a stopped job reports the weights it stopped with
        _weights = null;
        _metrics?.Ended(state);
        logger.LogInformation("Job {JobId}: {State} after {Steps} steps", JobId, state, _job.Step);
        await PersistQuietlyAsync();
        _endUnstored = false;
        _endStored.TrySetResult();
        NotifySweep();   // after the record is stored: the sweep may report the trial as finished
        await ReleaseReminderOfEndAsync();
        // not awaited: a shard whose silo was lost answers only after a call's timeout, and a Resume waits for this loop
        // to end; a release that arrives after the next run prepared the shard is ignored (see IShardWorkerGrain)
        _ = ReleaseShardsAsync(workers, _job.Run);
        this.DelayDeactivation(KeepFinishedJob);
    }

    private async Task ReleaseShardsAsync(IShardWorkerGrain[] workers, int run)
    {
        try
        {
            await Task.WhenAll(workers.Select(w => w.Release(run)));
        }
        catch (Exception e)
        {
            logger.LogInformation("Job {JobId}: releasing a shard of run {Run} failed: {Error}", JobId, run, e.Message);
        }
    }

    // a sweep's trial tells its sweep of every epoch's end and of its end, one-way (the sweep polls slowly besides)
    private void NotifySweep()
    {
        if (_spec?.SweepId is not string sweepId) return;
        try
        {
            GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialChanged(Status()).Ignore();
        }
        catch (Exception e)
        {
            logger.LogInformation("Job {JobId}: telling sweep {SweepId} failed: {Error}", JobId, sweepId, e.Message);
        }
    }

    // the evaluation's network held in this silo's memory budget for the run and, when asked, the shards prepared: while a
    // budget has no room for them now, the job holds nothing, says why in its status and tries again, its shards placed
    // away from the silos that refused them while others remain (a cancel stops the wait; one that could never fit
    // throws). Null when preparing the shards failed otherwise (the job then ended failed)
    private async Task<IDisposable?> HoldMemoryAsync(JobPlan plan, IShardWorkerGrain[] workers, JobSpec spec, bool prepareShards)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            IDisposable? evaluation = null;
            try
            {
                evaluation = memory.Hold(plan.EvaluationBytes, $"job {JobId}'s evaluation");
                _fullSilos.Name();   // the shards go where there is room (see FullSilos)
                if (prepareShards && !await PrepareShardsAsync(workers, spec))
                {
                    evaluation.Dispose();
                    return null;
                }
                Waiting(null);
                _fullSilos.Clear();
                return evaluation;
            }
            catch (MemoryBudgetException e) when (e.Fits)
            {
                evaluation?.Dispose();
                await WaitingForMemoryAsync(e, workers);
                prepareShards = true;
                await Task.Delay(delay, _stop.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MemoryRetryMax.Ticks));
            }
        }
    }

    // a job waiting for memory holds none: the shards that did prepare are released, so that two waiting jobs never
    // each hold what the other needs
    private async Task WaitingForMemoryAsync(MemoryBudgetException e, IShardWorkerGrain[] workers)
    {
        if (_fullSilos.Refused(e))
            logger.LogInformation("Job {JobId}: its shards go elsewhere than {Silos} while there is another silo", JobId, string.Join(", ", _fullSilos.Silos));
        Waiting($"memory: {e.Message}");
        await ReleaseShardsAsync(workers, _job.Run);
    }

    // why the running job does not train now, in its status (null: it trains); a change is logged and told to its sweep,
    // whose trial shows it
    private void Waiting(string? reason)
    {
        if (reason == _waiting) return;
        if (reason is null) logger.LogInformation("Job {JobId}: memory found; it trains", JobId);
        else if (_waiting is null) logger.LogInformation("Job {JobId}: waiting for {Reason}", JobId, reason);
        _waiting = reason;
        NotifySweep();
    }

    // every shard prepared for this run, as a Start or a Resume begins; false when that failed for a reason of the shards'
    // own (the job then ended failed). A shard's silo without room in its memory budget throws (MemoryBudgetException).
    private async Task<bool> PrepareShardsAsync(IShardWorkerGrain[] workers, JobSpec spec)
    {
        try
        {
            _job.ShardSilos = await Task.WhenAll(workers.Select(w => w.Prepare(spec, _job.Run)));
            return true;
        }
        catch (MemoryBudgetException e) when (e.Fits)
        {
            throw;   // the caller waits for room
        }
        catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
        {
            // a silo went away under a shard: the first step finds it unprepared and prepares it again elsewhere
            logger.LogWarning("Job {JobId}: preparing a shard failed ({Error}); the first step prepares it again", JobId, e.Message);
            _job.ShardSilos = Enumerable.Repeat("unprepared", workers.Length).ToArray();
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {JobId}: preparing the shards failed", JobId);
            await EndAsync(JobState.Failed, new JobError(JobErrorKind.Shards, "shards", $"preparing the shards failed: {e.Message}"), workers);
            return false;
        }
    }

    // shards prepared again after their silo was lost (the step is then redone). Where each went is recorded even when
    // another failed (a silo's memory budget without room): the retry prepares only the failed ones, so the others'
    // silos would otherwise stay listed as the lost one's
    private async Task PrepareAsync(IShardWorkerGrain[] workers, int[] indices, JobSpec spec)
    {
        var prepares = indices.Select(i => workers[i].Prepare(spec, _job.Run)).ToArray();
        try
        {
            await Task.WhenAll(prepares);
        }
        finally
        {
            var all = _job.ShardSilos.Length == workers.Length ? (string[])_job.ShardSilos.Clone() : new string[workers.Length];
            for (int k = 0; k < indices.Length; k++)
                if (prepares[k].IsCompletedSuccessfully) all[indices[k]] = prepares[k].Result;
            _job.ShardSilos = all;
        }
        logger.LogInformation("Job {JobId}: shard(s) {Shards} prepared again on {Silos}", JobId, string.Join(", ", indices), string.Join(", ", prepares.Select(p => p.Result).Distinct()));
    }

    private IShardWorkerGrain[] Workers(JobPlan plan) =>
        Enumerable.Range(0, plan.ShardCount).Select(k => GrainFactory.GetGrain<IShardWorkerGrain>(k, JobId)).ToArray();

    private async Task<JobSpec?> SpecOrNullAsync() => _spec ??= _job.State == JobState.Unknown ? null : await _store.ReadSpecAsync();

    private async Task PersistAsync()
    {
        await WriteRecordAsync();
        await _registry.PutAsync();
    }

    private async Task WriteRecordAsync()
    {
        await _recordWrites.WaitAsync();
        try
        {
            await _store.WriteJobAsync(_job);
            _recordUnstored = false;
        }
        catch (Exception)
        {
            _recordUnstored = true;
            throw;
        }
        finally
        {
            _recordWrites.Release();
        }
    }

    // a finished job's recovery reminder goes once its end is stored and listed in the job registry; until then it stays,
    // and its next tick (here, or on another silo if this one is lost) stores and lists the end
    private async Task ReleaseReminderOfEndAsync()
    {
        if (_job.State == JobState.Running || _endUnstored || _recordUnstored || _registry.Pending)
        {
            if (_job.State != JobState.Running && !_endUnstored)
                logger.LogInformation("Job {JobId}: its end is not yet stored and listed; its recovery reminder stays until it is", JobId);
            return;
        }
        try
        {
            await _reminder.ReleaseAfterEndAsync(() => _job.State == JobState.Running);
        }
        catch (Exception e)
        {
            logger.LogInformation("Job {JobId}: updating its recovery reminder failed: {Error}", JobId, e.Message);
        }
    }

    private Task PutSummaryAsync() => GrainFactory.GetGrain<IJobRegistryGrain>(0).Put(new JobSummary(JobId, _job.State, _job.Model, _job.Epoch,
        _job.Epochs, _job.Step, _job.ValidMse ?? _job.History.LastOrDefault()?.ValidMse, WeightsHashNow(), DateTime.UtcNow));

    private async Task PersistQuietlyAsync()
    {
        try
        {
            await PersistAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("Job {JobId}: writing its record failed: {Error}", JobId, e.Message);
        }
    }

    private async Task FlushQuietlyAsync(Checkpointer? checkpointer)
    {
        try
        {
            if (checkpointer is not null) await checkpointer.FlushAsync(checkpointer.Latest);
        }
        catch (Exception e)
        {
            logger.LogWarning("Job {JobId}: writing its last checkpoint failed: {Error}", JobId, e.Message);
        }
    }

    private async Task StopReminderAsync()
    {
        try
        {
            await _reminder.UnregisterAsync();
        }
        catch (Exception e)
        {
            logger.LogInformation("Job {JobId}: removing its recovery reminder failed: {Error}", JobId, e.Message);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;   // a registry retry stops too (a finished job's reminder, kept while one is pending, goes on)
        if (_loop is { IsCompleted: false } loop)
        {
            logger.LogInformation("Job {JobId}: its coordinator deactivates while training ({Reason})", JobId, reason);
            _stop.Cancel();   // the loop stops calling its shards and writes its latest state
            try
            {
                await loop.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogInformation("Job {JobId}: the loop did not stop cleanly on deactivation: {Error}", JobId, e.Message);
            }
        }
        _metrics?.Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private JobStatus Status() => new(JobId, _endUnstored ? JobState.Running : _job.State, _job.Model, _job.Epoch, _job.Epochs, _job.Step, _job.History.ToArray(),
        WeightsHashNow(), _job.ValidMse, _job.TestMse, _job.ShardSilos, _job.Error, _job.NaiveValidMse, _job.NaiveTestMse, _stepHashes?.ToArray(),
        _job.CoordinatorSilo, _job.CheckpointStep, _job.CheckpointTime, _job.Recoveries, _spec?.BaselineJobId, _job.Fit, _job.Classical, _job.Run,
        _job.State == JobState.Running ? _waiting : null);

    private static EpochSummary Summary(EpochReport r, double scale2) => new(r.Epoch, r.TrainLoss * scale2, r.ValidMse * scale2, r.Elapsed.TotalSeconds);

    private static string Lower(JobState state) => state.ToString().ToLowerInvariant();

    // the hash of the current weights, computed once per step (status is polled far more often than steps end)
    private (float[] Weights, long Step, string Hash)? _hashed;

    private string? WeightsHashNow()
    {
        if (_weights is null) return _job.WeightsHash;
        if (_hashed is not { } h || h.Weights != _weights || h.Step != _job.Step) _hashed = h = (_weights, _job.Step, WeightsHash.Of(_weights));
        return h.Hash;
    }
}
