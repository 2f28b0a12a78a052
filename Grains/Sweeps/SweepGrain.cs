using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Metrics;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Grains.Sweeps;

/// <summary>
/// A sweep: its trials are training jobs of the cluster (ids "SWEEP-tN"), started in index order as slots free up
/// (at most MaxConcurrent at once), followed by polling their status, and under ASHA stopped at a rung when they are
/// not in the best 1/eta of the trials that reached it. Every change is stored; a sweep activated after its silo was
/// lost (or woken by its reminder) reads its record and attaches to its trials' jobs, which are durable themselves:
/// a trial's job id is started at most once, so no trial is lost or duplicated.
/// Per trial the results are bitwise reproducible (its seed comes from the sweep seed and its index); which trials ASHA
/// stops depends on the order trials reach a rung, as in any asynchronous successive halving.
/// </summary>
[Reentrant]
public sealed class SweepGrain(
    [PersistentState("sweep", JobOptions.StorageName)] IPersistentState<StoredSweep> sweep,
    [PersistentState("sweep-request", JobOptions.StorageName)] IPersistentState<StoredSweepRequest> request,
    ILogger<SweepGrain> logger, IOptions<JobOptions> jobOptions)
    : Grain, ISweepGrain, IRemindable
{
    private const string RecoveryReminder = "recover";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    public const int MaxConcurrentLimit = 64;

    private readonly SemaphoreSlim _writes = new(1, 1);
    private SweepSpec? _spec;
    private IReadOnlyList<TrialPlan>? _plan;
    private Task? _loop;
    private bool _baselinesStarted;
    private readonly Stopwatch _clock = new();
    private double _secondsBefore;
    private SweepMetrics? _metrics;

    private string SweepId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (sweep.State.State == SweepState.Running)
        {
            logger.LogInformation("Sweep {SweepId}: running when its silo was lost; going on ({Done} of {Trials} trials done)",
                SweepId, sweep.State.Trials.Count(t => t.IsFinished), sweep.State.Trials.Count);
            StartLoop();
        }
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<SweepStatus> Start(SweepRequest submitted)
    {
        SweepSpec spec;
        IReadOnlyList<TrialPlan> plan;
        List<JobSpec> jobs;
        try
        {
            JobIds.Validate(SweepId, "--sweep-id");
            if (sweep.State.State != SweepState.Unknown)
                return Status() with { State = SweepState.Rejected, Error = new JobError(JobErrorKind.Conflict, "--sweep-id", $"sweep '{SweepId}' already exists; choose another id") };
            spec = SweepSpec.FromJson(submitted.SpecJson);
            plan = SweepPlan.Trials(spec);
            // every trial's job is checked before anything starts: nothing runs until the whole sweep is valid
            jobs = plan.Select(t => TrialJobs.Spec(spec, submitted.Data, t)).ToList();
            foreach (var (job, trial) in jobs.Zip(plan)) Check(job, trial);
            JobIds.Validate(TrialJobs.TrialJobId(SweepId, plan.Count - 1), "--sweep-id");
        }
        catch (InvalidInputException e)
        {
            DeactivateOnIdle();
            return SweepStatus.Unknown(SweepId) with { State = SweepState.Rejected, Error = new JobError(JobErrorKind.BadInput, e.Field, Reason(e)) };
        }
        _spec = spec;
        _plan = plan;
        request.State = new StoredSweepRequest { Request = submitted };
        await request.WriteStateAsync();
        var splits = jobs.GroupBy(TrialJobs.SplitKey).Select(g => (Key: g.Key, Horizon: g.First().Task?.Horizon ?? 1)).ToList();
        sweep.State = new StoredSweep
        {
            State = SweepState.Running,
            Created = DateTime.UtcNow,
            MaxConcurrent = spec.MaxConcurrent ?? await DefaultConcurrencyAsync(),
            Trials = plan.Select((t, i) => new TrialResult(t.Index, t.Config.Describe(), new Dictionary<string, string>(t.Config.Values), t.Seed,
                TrialJobs.TrialJobId(SweepId, t.Index), TrialState.Pending, [], Model: spec.ModelFor(t.Config), Horizon: jobs[i].Task?.Horizon ?? 1)).ToList(),
            BaselineJobs = splits.Select((_, k) => $"{SweepId}-linear-{k}").ToList(),
            Baselines = splits.Select((split, k) => new BaselineResult($"{SweepId}-linear-{k}", split.Key, split.Horizon)).ToList(),
        };
        await PersistAsync();
        await this.RegisterOrUpdateReminder(RecoveryReminder, jobOptions.Value.RecoveryReminderPeriod, jobOptions.Value.RecoveryReminderPeriod);
        logger.LogInformation("Sweep {SweepId}: {Trials} trials, {Concurrent} at a time, {Baselines} baseline(s)", SweepId, plan.Count, sweep.State.MaxConcurrent, splits.Count);
        StartLoop();
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public async Task<SweepStatus> Cancel()
    {
        if (sweep.State.State != SweepState.Running) return Status();
        sweep.State.CancelRequested = true;
        await PersistAsync();
        return Status();
    }

    public async Task<SweepStatus> Resume()
    {
        var state = sweep.State.State;
        if (state == SweepState.Unknown)
        {
            DeactivateOnIdle();
            return Status() with { Error = new JobError(JobErrorKind.BadInput, "SWEEP", $"no sweep '{SweepId}' on this cluster") };
        }
        if (state is SweepState.Running or SweepState.Completed)
            return Status() with { Error = new JobError(JobErrorKind.Conflict, "SWEEP", $"sweep '{SweepId}' is {state.ToString().ToLowerInvariant()}; resume goes on with a cancelled or failed sweep") };
        sweep.State.State = SweepState.Running;
        sweep.State.CancelRequested = false;
        sweep.State.Error = null;
        for (int i = 0; i < sweep.State.Trials.Count; i++)
            if (sweep.State.Trials[i].State is TrialState.Cancelled or TrialState.Failed)
                sweep.State.Trials[i] = sweep.State.Trials[i] with { State = TrialState.Pending, Error = null };
        await PersistAsync();
        await this.RegisterOrUpdateReminder(RecoveryReminder, jobOptions.Value.RecoveryReminderPeriod, jobOptions.Value.RecoveryReminderPeriod);
        StartLoop();
        return Status();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (sweep.State.State == SweepState.Running)
        {
            if (_loop is null || _loop.IsCompleted) StartLoop();
        }
        else if (await this.GetReminder(RecoveryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StartLoop()
    {
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _secondsBefore = sweep.State.Seconds;
        _clock.Restart();
        _metrics = RnnClusterMetrics.StartSweep(SweepId);
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var submitted = request.State.Request ?? throw new InvalidOperationException("the sweep's request is missing from storage");
            _spec ??= SweepSpec.FromJson(submitted.SpecJson);
            _plan ??= SweepPlan.Trials(_spec);
            var jobs = _plan.Select(t => TrialJobs.Spec(_spec, submitted.Data, t)).ToList();
            var asha = _spec.AshaFor(jobs.Max(j => j.Training.Epochs));
            while (true)
            {
                bool changed = await FollowRunningAsync(asha);
                if (sweep.State.CancelRequested)
                {
                    await CancelRunningAsync();
                    await EndAsync(SweepState.Cancelled, null);
                    return;
                }
                try
                {
                    if (!_baselinesStarted) await StartBaselinesAsync(jobs);
                    changed |= await StartPendingAsync(jobs);
                    changed |= await FollowBaselinesAsync();
                }
                catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
                {
                    logger.LogInformation("Sweep {SweepId}: a call failed ({Error}); trying again", SweepId, e.Message);
                }
                sweep.State.Seconds = _secondsBefore + _clock.Elapsed.TotalSeconds;
                _metrics?.Update(Status());
                if (sweep.State.Trials.All(t => t.IsFinished) && BaselinesFinished)
                {
                    await EndAsync(SweepState.Completed, null);
                    return;
                }
                if (changed) await PersistQuietlyAsync();
                await Task.Delay(Poll);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Sweep {SweepId} failed", SweepId);
            await EndAsync(SweepState.Failed, new JobError(e is InvalidInputException i ? JobErrorKind.BadInput : JobErrorKind.Internal,
                e is InvalidInputException f ? f.Field : "sweep", e.Message));
        }
    }

    // starts pending trials in index order while there are free slots; a job that already exists (started before a
    // lost silo could store it) is attached to, never started twice
    private async Task<bool> StartPendingAsync(List<JobSpec> jobs)
    {
        bool changed = false;
        var trials = sweep.State.Trials;
        int running = trials.Count(t => t.State == TrialState.Running);
        for (int i = 0; i < trials.Count && running < sweep.State.MaxConcurrent; i++)
        {
            if (trials[i].State != TrialState.Pending) continue;
            var job = GrainFactory.GetGrain<ITrainingJobGrain>(trials[i].JobId);
            var status = await job.Start(jobs[i]);
            if (status.State == JobState.Rejected && status.Error?.Kind == JobErrorKind.Conflict)
            {
                status = await job.GetStatus();   // its job exists: attach, and go on from its checkpoint if it was stopped
                if (status.State is JobState.Cancelled or JobState.Failed) status = await job.Resume(null);
            }
            if (status.State == JobState.Rejected)
            {
                trials[i] = trials[i] with { State = TrialState.Failed, Error = status.Error?.ToString() };
            }
            else
            {
                trials[i] = trials[i] with { State = TrialState.Running };
                running++;
            }
            logger.LogInformation("Sweep {SweepId}: trial {Trial} {State} ({Job}: {JobState})", SweepId, i, trials[i].State, trials[i].JobId, status.State);
            changed = true;
        }
        return changed;
    }

    // reads every running trial's status: new epochs, ASHA's decisions at the rungs, and the end
    private async Task<bool> FollowRunningAsync(Asha? asha)
    {
        bool changed = false;
        var trials = sweep.State.Trials;
        for (int i = 0; i < trials.Count; i++)
        {
            var trial = trials[i];
            if (trial.State != TrialState.Running) continue;
            JobStatus status;
            try
            {
                status = await GrainFactory.GetGrain<ITrainingJobGrain>(trial.JobId).GetStatus();
            }
            catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
            {
                logger.LogInformation("Sweep {SweepId}: trial {Trial}'s job did not answer ({Error}); asking again", SweepId, i, e.Message);
                continue;   // its coordinator is recovering; ask again next round
            }
            var valid = status.History.Select(h => h.ValidMse).ToArray();
            var loss = status.History.Select(h => h.TrainLoss).ToArray();
            if (valid.Length != trial.ValidMse.Length)
            {
                trial = trial with { ValidMse = valid, TrainLoss = loss };
                changed = true;
            }
            if (asha is not null && !status.IsFinished && ShouldStop(asha, trial))
            {
                await CancelQuietlyAsync(trial.JobId);
                trial = trial with { State = TrialState.Stopped, Metric = Metric(trial, null), WeightsHash = status.WeightsHash };
                changed = true;
            }
            else if (status.IsFinished)
            {
                trial = status.State switch
                {
                    JobState.Completed => trial with { State = TrialState.Completed, Metric = Metric(trial, status.ValidMse), TestMse = status.TestMse, WeightsHash = status.WeightsHash },
                    JobState.Cancelled => trial with { State = TrialState.Cancelled, WeightsHash = status.WeightsHash },
                    _ => trial with { State = TrialState.Failed, Error = status.Error?.ToString() ?? status.State.ToString(), WeightsHash = status.WeightsHash },
                };
                changed = true;
            }
            if (trial.State != trials[i].State) logger.LogInformation("Sweep {SweepId}: trial {Trial} {State}", SweepId, i, trial.State);
            trials[i] = trial;
        }
        return changed;
    }

    // ASHA at every rung the trial has passed and not yet been judged at, in rung order; arrivals are stored in order
    private bool ShouldStop(Asha asha, TrialResult trial)
    {
        foreach (int rung in asha.Rungs)
        {
            if (trial.ValidMse.Length < rung) break;
            if (sweep.State.Arrivals.Any(a => a.Rung == rung && a.Trial == trial.Index)) continue;
            double metric = RungMetric(trial, rung);
            var before = sweep.State.Arrivals.Where(a => a.Rung == rung).Select(a => a.Metric).ToList();
            bool goOn = asha.Decide(rung, metric, before) == AshaDecision.Continue;
            sweep.State.Arrivals.Add(new RungArrival(rung, trial.Index, metric, goOn));
            if (!goOn) return true;
        }
        return false;
    }

    // the sweep's metric of a trial at the end of epoch `epochs`
    private double RungMetric(TrialResult trial, int epochs) =>
        _spec!.Metric == SweepSpec.TrainLoss ? trial.TrainLoss![epochs - 1] : trial.ValidMse[epochs - 1];

    // a finished trial's metric: the job's final validation MSE (early stopping's best), else its last epoch's
    private double? Metric(TrialResult trial, double? finalValid) =>
        _spec!.Metric == SweepSpec.TrainLoss ? trial.TrainLoss?.LastOrDefault() : finalValid ?? trial.ValidMse.LastOrDefault();

    // one linear job per data split; starting one again is refused as existing, which is fine
    private async Task StartBaselinesAsync(List<JobSpec> jobs)
    {
        var splits = jobs.GroupBy(TrialJobs.SplitKey).Select(g => g.First()).ToList();
        for (int k = 0; k < splits.Count && k < sweep.State.BaselineJobs.Count; k++)
            await GrainFactory.GetGrain<ITrainingJobGrain>(sweep.State.BaselineJobs[k]).Start(TrialJobs.Baseline(splits[k]));
        _baselinesStarted = true;
    }

    // every baseline's figures (naive and linear) once its job has finished; the first split's also in the fields of their own
    private async Task<bool> FollowBaselinesAsync()
    {
        var baselines = sweep.State.Baselines;
        if (baselines.Count == 0)   // a sweep stored before baselines were kept per split
            baselines.AddRange(sweep.State.BaselineJobs.Select(job => new BaselineResult(job, "", 0)));
        bool changed = false;
        for (int k = 0; k < baselines.Count; k++)
        {
            if (baselines[k].IsFinished) continue;
            try
            {
                var status = await GrainFactory.GetGrain<ITrainingJobGrain>(baselines[k].JobId).GetStatus();
                if (!status.IsFinished) continue;
                baselines[k] = baselines[k] with
                {
                    NaiveValidMse = status.NaiveValidMse, NaiveTestMse = status.NaiveTestMse,
                    LinearValidMse = status.ValidMse ?? double.NaN, LinearTestMse = status.TestMse,
                };
                changed = true;
            }
            catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
            {
                // its coordinator is recovering; ask again next round
            }
        }
        if (changed && baselines[0].IsFinished)
        {
            (sweep.State.NaiveValidMse, sweep.State.NaiveTestMse) = (baselines[0].NaiveValidMse, baselines[0].NaiveTestMse);
            (sweep.State.LinearValidMse, sweep.State.LinearTestMse) = (baselines[0].LinearValidMse, baselines[0].LinearTestMse);
        }
        return changed;
    }

    private bool BaselinesFinished => sweep.State.Baselines.Count > 0 ? sweep.State.Baselines.All(b => b.IsFinished) : sweep.State.LinearValidMse is not null;

    private async Task CancelRunningAsync()
    {
        var trials = sweep.State.Trials;
        for (int i = 0; i < trials.Count; i++)
        {
            if (trials[i].State is not (TrialState.Running or TrialState.Pending)) continue;
            if (trials[i].State == TrialState.Running) await CancelQuietlyAsync(trials[i].JobId);
            trials[i] = trials[i] with { State = TrialState.Cancelled };
        }
    }

    // a trial's job cancelled; one that cannot be reached now trains on to its end, while the sweep has recorded it as
    // stopped or cancelled and no longer waits for it
    private async Task CancelQuietlyAsync(string jobId)
    {
        try
        {
            await GrainFactory.GetGrain<ITrainingJobGrain>(jobId).Cancel();
        }
        catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
        {
            logger.LogInformation("Sweep {SweepId}: cancelling {Job} failed: {Error}", SweepId, jobId, e.Message);
        }
    }

    private async Task EndAsync(SweepState state, JobError? error)
    {
        sweep.State.State = state;
        sweep.State.Error = error;
        sweep.State.Seconds = _secondsBefore + _clock.Elapsed.TotalSeconds;
        logger.LogInformation("Sweep {SweepId}: {State}", SweepId, state);
        _metrics?.Ended(Status(), jobOptions.Value.EndedSweepMetricsTime);
        try
        {
            await PersistAsync();
            if (await this.GetReminder(RecoveryReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {SweepId}: storing its end failed: {Error}", SweepId, e.Message);
        }
        this.DelayDeactivation(TimeSpan.FromHours(1));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    // a write that fails (storage away longer than Orleans retries) is tried again at the next change
    private async Task PersistQuietlyAsync()
    {
        try
        {
            await PersistAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {SweepId}: storing its record failed, again at the next change: {Error}", SweepId, e.Message);
        }
    }

    private async Task PersistAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await sweep.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
        try
        {
            var best = Status().Best;
            await GrainFactory.GetGrain<ISweepRegistryGrain>(0).Put(new SweepSummary(SweepId, sweep.State.State, sweep.State.Trials.Count,
                sweep.State.Trials.Count(t => t.IsFinished), best?.Metric, best?.Config, DateTime.UtcNow));
        }
        catch (Exception e)
        {
            logger.LogInformation("Sweep {SweepId}: updating the sweep registry failed: {Error}", SweepId, e.Message);
        }
    }

    // every core of every active silo busy: one trial per core (a trial's one shard runs on one core at a time)
    private async Task<int> DefaultConcurrencyAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return Math.Clamp(hosts.Count * Environment.ProcessorCount, 1, MaxConcurrentLimit);
    }

    private static void Check(JobSpec job, TrialPlan trial)
    {
        try
        {
            JobPlan.From(job);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException(e.Field, $"trial {trial.Index} ({trial.Config.Describe()}): {Reason(e)}");
        }
    }

    private SweepStatus Status()
    {
        var s = sweep.State;
        return new SweepStatus(SweepId, s.State, s.Trials.ToArray(), s.MaxConcurrent, _spec?.Metric ?? "valid_mse", s.NaiveValidMse, s.LinearValidMse,
            s.State == SweepState.Running && _clock.IsRunning ? _secondsBefore + _clock.Elapsed.TotalSeconds : s.Seconds, s.Error, s.NaiveTestMse, s.LinearTestMse,
            [.. s.Baselines], request.State.Request?.Data.IsChapter ?? false);
    }

    private static string Reason(InvalidInputException e) => e.Message.StartsWith(e.Field + ": ", StringComparison.Ordinal) ? e.Message[(e.Field.Length + 2)..] : e.Message;
}
