using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Grains.Sweeps;

/// <summary>
/// A sweep: its trials are training jobs of the cluster (ids "SWEEP-tN"), started in index order as slots free up
/// (at most MaxConcurrent at once), and under ASHA stopped at a rung when they are not in the best 1/eta of the trials
/// that reached it. A trial's job tells the sweep of every epoch's end and of its end (<see cref="TrialChanged"/>,
/// one-way); the sweep polls its running trials only every <see cref="FallbackPoll"/>, for what a lost silo kept from it.
/// The record is written at its start, on a cancel, before ASHA's stops are carried out and at its end, and otherwise
/// at most every <see cref="WriteInterval"/>, each write taking everything that changed since the last; the status
/// reports a trial finished (and the sweep ended) only once a write has stored it, so only once that is durable.
/// A sweep activated after its silo was lost (or woken by its reminder) reads its record and attaches to its trials'
/// jobs, which are durable themselves: a trial's job id is started at most once, so no trial is lost or duplicated.
/// Per trial the results are bitwise reproducible (its seed comes from the sweep seed and its index); which trials ASHA
/// stops depends on the order trials reach a rung, as in any asynchronous successive halving.
/// </summary>
[Reentrant]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "_writes holds nothing to release: the semaphore makes no wait handle")]
public sealed class SweepGrain(ILogger<SweepGrain> logger, IOptions<JobOptions> jobOptions)
    : Grain, ISweepGrain, IRemindable
{
    /// <summary>How often running trials are polled besides their notifications (which a lost silo may have dropped).</summary>
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(5);

    // after a call failed (a silo going away): soon again, with a poll
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    // a resumed trial follows no status of its job until its Start call answers with the run it is on
    private const int AnswerPending = int.MaxValue;

    /// <summary>
    /// A running sweep's record is written at most this often (its start, a cancel, ASHA's stops and its end at once):
    /// a record of many trials is a large write, and what it holds of finished trials their jobs hold durably anyway.
    /// </summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    // the sweep registry (one grain for every sweep) is told of a running sweep's progress at most this often, and
    // of every change of its state at once
    private static readonly TimeSpan RegistryInterval = TimeSpan.FromSeconds(1);
    private RegistryRetry _registry = null!;   // puts the sweep's summary to the sweep registry

    private readonly SemaphoreSlim _writes = new(1, 1);
    private SweepSpec? _spec;
    private IReadOnlyList<TrialPlan>? _plan;
    private List<JobSpec>? _jobs;
    private Asha? _asha;
    private Dictionary<string, int>? _trialOf;   // job id -> trial index
    private Task? _loop;
    private bool _baselinesStarted;
    private readonly Stopwatch _clock = new();
    private double _secondsBefore;
    private TaskCompletionSource _wake = NewSignal();
    private readonly List<string> _stopped = [];   // jobs of trials ASHA stopped, to cancel
    private readonly HashSet<int> _starting = [];  // trials whose Start call is out
    private readonly Dictionary<int, int> _runs = []; // trial -> the run of its job followed (JobStatus.Run), or AnswerPending
    private bool _dirty;                           // the record has changes that are not stored yet
    private Task _writer = Task.CompletedTask;
    private readonly Stopwatch _sinceWrite = new();
    private StoredSweep? _stored;                  // a copy of the record as last stored (see Status)
    private (SweepState State, Stopwatch Clock)? _registered;
    private bool _deactivating;                    // this activation goes away: its loop stops, the next one goes on
    private RecoveryReminder _reminder = null!;   // wakes the running sweep on another silo if this one is lost
    private SweepMetrics? _metrics;

    private StoredState<StoredSweep> _sweep = null!;                 // the record ("sweep")
    private StoredState<StoredSweepRequest> _storedRequest = null!;  // the request it was started with ("sweep-request")
    private bool _unreadable;                                        // a stored part does not read: failed, left as it is
    private (string? Token, Task<SweepStatus> Answer)? _startInFlight;  // a start still storing the sweep (calls interleave)

    private string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JobOptions.StorageName);
        _sweep = new StoredState<StoredSweep>(storage, "sweep", this.GetGrainId(), "sweep record");
        _storedRequest = new StoredState<StoredSweepRequest>(storage, "sweep-request", this.GetGrainId(), "sweep request");
        try
        {
            await _sweep.ReadStateAsync();
            await _storedRequest.ReadStateAsync();
        }
        catch (CorruptStateException e)
        {
            // reported as a failed sweep whose error names the part; its trials' jobs are stored apart and unharmed
            logger.LogWarning("Sweep {SweepId}: {Error}", SweepId, e.Message);
            _unreadable = true;
            _sweep.State = new StoredSweep
            {
                State = SweepState.Failed,
                Error = new JobError(JobErrorKind.CorruptCheckpoint, "sweep", $"{e.Message}; it was left as it is (its trials' jobs are stored apart: rnncluster status JOB)"),
            };
        }
        _stored = Copy(_sweep.State);
        _reminder = new RecoveryReminder(this, jobOptions.Value.RecoveryReminderPeriod,
            e => logger.LogInformation("Sweep {SweepId}: registering its recovery reminder failed: {Error}", SweepId, e.Message));
        _registry = new RegistryRetry(PutSummaryAsync, () => _deactivating,
            e => logger.LogInformation("Sweep {SweepId}: updating the sweep registry failed (tried again until it lands): {Error}", SweepId, e.Message),
            again => logger.LogInformation("Sweep {SweepId}: updating the sweep registry failed again: {Error}", SweepId, again.Message),
            landed: () => _ = ReleaseReminderOfEndAsync());
        if (_sweep.State.State == SweepState.Running)
        {
            logger.LogInformation("Sweep {SweepId}: running when its silo was lost; going on ({Done} of {Trials} trials done)",
                SweepId, _sweep.State.Trials.Count(t => t.IsFinished), _sweep.State.Trials.Count);
            _reminder.MarkLost();
            StartLoop();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<SweepStatus> Start(SweepRequest request)
    {
        // Calls interleave, and a start awaits storage before the sweep is Running: a start that comes meanwhile (the
        // first one's answer late, storage slow) waits for the first if it is the same start, else it is refused.
        if (_startInFlight is { } first)
            return request.StartToken is not null && request.StartToken == first.Token ? await first.Answer
                : Status() with { State = SweepState.Rejected, Error = new JobError(JobErrorKind.Conflict, "sweep_id", $"sweep '{SweepId}' is being started by another call; choose another id") };
        var answer = StartFirstAsync(request);
        _startInFlight = (request.StartToken, answer);
        try
        {
            return await answer;
        }
        finally
        {
            _startInFlight = null;
        }
    }

    private async Task<SweepStatus> StartFirstAsync(SweepRequest request)
    {
        SweepSpec spec;
        IReadOnlyList<TrialPlan> plan;
        List<JobSpec> jobs;
        try
        {
            JobIds.Validate(SweepId, "sweep_id");
            if (_sweep.State.State != SweepState.Unknown && request.StartToken is not null && _storedRequest.State.Request?.StartToken == request.StartToken)
                return Status();   // this start, sent again: its first answer was lost
            if (_sweep.State.State != SweepState.Unknown)
                return Status() with { State = SweepState.Rejected, Error = new JobError(JobErrorKind.Conflict, "sweep_id", $"sweep '{SweepId}' already exists; choose another id") };
            spec = SweepSpec.FromJson(request.SpecJson);
            plan = SweepPlan.Trials(spec);
            // every trial's job is checked before anything starts: nothing runs until the whole sweep is valid
            jobs = plan.Select(t => TrialJobs.Spec(spec, request.Data, t) with { SweepId = SweepId }).ToList();
            Check(jobs, plan);
            foreach (var split in jobs.GroupBy(TrialJobs.SplitKey).Select(g => g.First())) CheckBaseline(TrialJobs.Baseline(split, spec));
            JobIds.Validate(TrialJobs.TrialJobId(SweepId, plan.Count - 1), "sweep_id");
        }
        catch (InvalidInputException e)
        {
            DeactivateOnIdle();
            return SweepStatus.Unknown(SweepId) with { State = SweepState.Rejected, Error = new JobError(JobErrorKind.BadInput, e.Field, e.Reason) };
        }
        _spec = spec;
        _plan = plan;
        _jobs = jobs;
        _storedRequest.State = new StoredSweepRequest { Request = request };
        await _storedRequest.WriteStateAsync();
        var splits = jobs.GroupBy(TrialJobs.SplitKey).Select(g => (Key: g.Key, Horizon: g.First().Task?.Horizon ?? 1)).ToList();
        _sweep.State = new StoredSweep
        {
            State = SweepState.Running,
            Created = DateTime.UtcNow,
            MaxConcurrent = spec.MaxConcurrent ?? await DefaultConcurrencyAsync(),
            Trials = plan.Select((t, i) => new TrialResult(t.Index, t.Config.Describe(), new Dictionary<string, string>(t.Config.Values), t.Seed,
                TrialJobs.TrialJobId(SweepId, t.Index), TrialState.Pending, [], Model: spec.ModelFor(t.Config), Horizon: jobs[i].Task?.Horizon ?? 1)).ToList(),
            BaselineJobs = splits.Select((_, k) => $"{SweepId}-linear-{k}").ToList(),
            Baselines = splits.Select((split, k) => new BaselineResult($"{SweepId}-linear-{k}", split.Key, split.Horizon)).ToList(),
        };
        _dirty = true;
        await _reminder.StoreRunningAsync(PersistAsync, HandOver);
        logger.LogInformation("Sweep {SweepId}: {Trials} trials, {Concurrent} at a time, {Baselines} baseline(s)", SweepId, plan.Count, _sweep.State.MaxConcurrent, splits.Count);
        StartLoop();
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    // going away while running (its silo shuts down, or Orleans found a second activation of the sweep after a silo
    // loss): the loop stops without touching the record; the next activation goes on from what is stored
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;   // a registry retry stops too (an ended sweep's reminder, kept while one is pending, goes on)
        if (_loop is { IsCompleted: false })
        {
            logger.LogInformation("Sweep {SweepId}: its activation goes away while running ({Reason}); the next one goes on from the stored record", SweepId, reason);
            _wake.TrySetResult();
        }
        _metrics?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<SweepStatus> Cancel()
    {
        if (_sweep.State.State != SweepState.Running) return Status();
        _sweep.State.CancelRequested = true;
        _dirty = true;
        await PersistAsync();
        _wake.TrySetResult();
        return Status();
    }

    public async Task<SweepStatus> Resume()
    {
        // a loop that is cancelling or storing its end finishes first (it would end the resumed sweep, or unregister its
        // reminder); it catches what it meets
        if (_loop is { IsCompleted: false } && (_sweep.State.State != SweepState.Running || _sweep.State.CancelRequested)) await _loop;
        var state = _sweep.State.State;
        if (state == SweepState.Unknown)
        {
            DeactivateOnIdle();
            return Status() with { Error = new JobError(JobErrorKind.BadInput, "SWEEP", $"no sweep '{SweepId}' on this cluster") };
        }
        if (state is SweepState.Running or SweepState.Completed)
            return Status() with { Error = new JobError(JobErrorKind.Conflict, "SWEEP", $"sweep '{SweepId}' is {state.ToString().ToLowerInvariant()}; resume goes on with a cancelled or failed sweep") };
        if (_unreadable) return Status();   // failed with the stored part's error, which nothing mends
        _sweep.State.State = SweepState.Running;
        _sweep.State.CancelRequested = false;
        _sweep.State.Error = null;
        for (int i = 0; i < _sweep.State.Trials.Count; i++)
            if (_sweep.State.Trials[i].State is TrialState.Cancelled or TrialState.Failed)
            {
                _sweep.State.Trials[i] = _sweep.State.Trials[i] with { State = TrialState.Pending, Error = null };
                _runs[i] = AnswerPending;   // its job's cancel may still be on its way here
            }
        _dirty = true;
        await _reminder.StoreRunningAsync(PersistAsync, HandOver);
        StartLoop();
        return Status();
    }

    public Task TrialChanged(JobStatus status)
    {
        if (_sweep.State.State != SweepState.Running || _trialOf is null)
        {
            if (_sweep.State.State == SweepState.Unknown) DeactivateOnIdle();
            return Task.CompletedTask;   // a finished sweep, or one whose loop has not read its record yet (it polls first)
        }
        bool changed = _trialOf.TryGetValue(status.JobId, out int i) ? Follow(i, status) : FollowBaseline(status);
        if (changed) _wake.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_dirty) await PersistQuietlyAsync();   // a record whose last write failed
        if (_sweep.State.State == SweepState.Running)
        {
            if (_loop is null || _loop.IsCompleted) StartLoop();
        }
        else if (_sweep.State.State == SweepState.Unknown)
        {
            await _reminder.UnregisterAsync();
        }
        else if (!_dirty)
        {
            // an end stored but perhaps not listed (its activation may have been lost first): listed now, and only then
            // does the reminder go; a failure (or a record still unstored) leaves it for the next tick
            await _registry.PutOrThrowAsync();
            await ReleaseReminderOfEndAsync();
        }
    }

    // this activation goes away (its loop, if any, stops) and the next reads what storage holds
    private void HandOver()
    {
        _deactivating = true;
        _wake.TrySetResult();
        DeactivateOnIdle();
    }

    // one loop an activation (a reminder tick between a start's store and its loop may have started it already)
    private void StartLoop()
    {
        if (_loop is { IsCompleted: false })
        {
            logger.LogInformation("Sweep {SweepId}: its loop runs already; no second one started", SweepId);
            return;
        }
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _secondsBefore = _sweep.State.Seconds;
        _clock.Restart();
        _metrics = RnnClusterMetrics.StartSweep(SweepId);
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await _reminder.RegisterIfLostAsync();
            var submitted = _storedRequest.State.Request ?? throw new InvalidOperationException("the sweep's request is missing from storage");
            _spec ??= SweepSpec.FromJson(submitted.SpecJson);
            _plan ??= SweepPlan.Trials(_spec);
            _jobs ??= _plan.Select(t => TrialJobs.Spec(_spec, submitted.Data, t) with { SweepId = SweepId }).ToList();
            _asha = _spec.AshaFor(_jobs.Max(j => j.Training.Epochs));
            _trialOf ??= _sweep.State.Trials.ToDictionary(t => t.JobId, t => t.Index);
            var sincePoll = Stopwatch.StartNew();
            bool poll = true;   // at the start every running trial is read: a recovered sweep attaches to its trials' jobs
            while (!_deactivating)
            {
                if (poll)
                {
                    await FollowRunningAsync();
                    sincePoll.Restart();
                }
                await CancelStoppedAsync();
                if (_sweep.State.CancelRequested)
                {
                    await CancelRunningAsync();
                    await EndAsync(SweepState.Cancelled, null);
                    return;
                }
                bool failed = false;
                try
                {
                    if (!_baselinesStarted) await StartBaselinesAsync(_jobs);
                    await StartPendingAsync(_jobs);
                    if (poll) await FollowBaselinesAsync();
                }
                catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
                {
                    logger.LogInformation("Sweep {SweepId}: a call failed ({Error}); trying again", SweepId, e.Message);
                    failed = true;
                }
                _sweep.State.Seconds = _secondsBefore + _clock.Elapsed.TotalSeconds;
                _metrics?.Update(Status(live: true));
                if (_sweep.State.Trials.All(t => t.IsFinished) && BaselinesFinished)
                {
                    await EndAsync(SweepState.Completed, null);
                    return;
                }
                if (_dirty && _writer.IsCompleted) _writer = WriteWhileChangedAsync();
                poll = await WaitAsync(failed ? RetryDelay : FallbackPoll - sincePoll.Elapsed);
            }
        }
        catch (Exception e) when (_deactivating)
        {
            logger.LogInformation("Sweep {SweepId}: the loop of an activation going away stopped ({Error})", SweepId, e.Message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Sweep {SweepId} failed", SweepId);
            await EndAsync(SweepState.Failed, new JobError(e is InvalidInputException i ? JobErrorKind.BadInput : JobErrorKind.Internal,
                e is InvalidInputException f ? f.Field : "sweep", e.Message));
        }
    }

    // until a trial's job (or a cancel) wakes the loop, or the fallback poll is due (then true)
    private async Task<bool> WaitAsync(TimeSpan timeout)
    {
        bool due = true;
        if (timeout > TimeSpan.Zero)
        {
            try
            {
                await _wake.Task.WaitAsync(timeout);
                due = false;
            }
            catch (TimeoutException)
            {
            }
        }
        _wake = NewSignal();   // before the loop looks: whatever changes from here wakes the next wait
        return due;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // starts pending trials in index order while there are free slots, all at once; a job that already exists
    // (started before a lost silo could store it) is attached to, never started twice. A trial is recorded running only
    // once its job has answered (so a stored running trial always has a job); while its Start call is out it is
    // "starting", counted against the limit, and its job's notifications (which may come before the answer) are taken.
    private async Task StartPendingAsync(List<JobSpec> jobs)
    {
        var trials = _sweep.State.Trials;
        int running = trials.Count(t => t.State == TrialState.Running) + _starting.Count;
        var starting = new List<int>();
        for (int i = 0; i < trials.Count && running + starting.Count < _sweep.State.MaxConcurrent; i++)
            if (trials[i].State == TrialState.Pending && _starting.Add(i)) starting.Add(i);
        if (starting.Count == 0) return;
        var started = await Task.WhenAll(starting.Select(i => StartTrialAsync(i, jobs[i])));
        // a cluster failure is retried by the loop, anything else fails the sweep
        var failure = started.FirstOrDefault(f => f is not null && !ShardedGradientSource.IsClusterFailure(f)) ?? started.FirstOrDefault(f => f is not null);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    // the trial's job started or attached to; the exception of a call that failed (the trial is then still pending)
    private async Task<Exception?> StartTrialAsync(int i, JobSpec spec)
    {
        var trials = _sweep.State.Trials;
        JobStatus status;
        try
        {
            var job = GrainFactory.GetGrain<ITrainingJobGrain>(trials[i].JobId);
            status = await job.Start(spec);
            if (status.State == JobState.Rejected && status.Error?.Kind == JobErrorKind.Conflict)
            {
                status = await job.GetStatus();   // its job exists: attach, and go on from its checkpoint if it was stopped
                if (status.State is JobState.Cancelled or JobState.Failed) status = await job.Resume(null);
            }
        }
        catch (Exception e)
        {
            return e;   // not known to have started: started again next round (a job that did start is then attached to)
        }
        finally
        {
            _starting.Remove(i);
        }
        _runs[i] = status.Run;
        if (trials[i].State == TrialState.Pending)   // else its job's notifications got there first
        {
            if (status.State == JobState.Rejected) trials[i] = trials[i] with { State = TrialState.Failed, Error = status.Error?.ToString() };
            else trials[i] = trials[i] with { State = TrialState.Running };
            _dirty = true;
            Follow(i, status);   // a job attached to may have finished already: it tells nobody again
        }
        logger.LogInformation("Sweep {SweepId}: trial {Trial} {State} ({Job}: {JobState})", SweepId, i, trials[i].State, trials[i].JobId, status.State);
        return null;
    }

    // reads every running trial's status (the fallback for notifications a lost silo dropped)
    private async Task FollowRunningAsync()
    {
        var trials = _sweep.State.Trials;
        for (int i = 0; i < trials.Count; i++)
        {
            if (trials[i].State != TrialState.Running) continue;
            try
            {
                var status = await GrainFactory.GetGrain<ITrainingJobGrain>(trials[i].JobId).GetStatus();
                if (status.State == JobState.Unknown && trials[i].State == TrialState.Running)
                {
                    // no such job: not expected (a trial is recorded running once its job has answered its Start
                    // call, and the job stored itself before answering), but a trial must not wait forever for it
                    logger.LogWarning("Sweep {SweepId}: trial {Trial} is recorded running but its job {Job} does not exist; starting it", SweepId, i, trials[i].JobId);
                    trials[i] = trials[i] with { State = TrialState.Pending };
                    _dirty = true;
                    continue;
                }
                Follow(i, status);
            }
            catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
            {
                logger.LogInformation("Sweep {SweepId}: trial {Trial}'s job did not answer ({Error}); asking again", SweepId, i, e.Message);
            }
        }
    }

    // a running trial's job status, told or polled: new epochs, ASHA's decisions at the rungs, and the end. Statuses
    // come in any order: one with fewer epochs than known (older, or a job recovering from its checkpoint) or for a
    // trial no longer running changes nothing. True when the record changed.
    private bool Follow(int i, JobStatus status)
    {
        if (_runs.TryGetValue(i, out int run) && status.Run < run) return false;   // of an earlier run of its job, or one not answered yet
        var trials = _sweep.State.Trials;
        var trial = trials[i];
        bool changed = false;
        if (trial.State == TrialState.Pending && _starting.Contains(i) && status.State != JobState.Rejected)
        {
            trial = trial with { State = TrialState.Running };   // its job tells of an epoch before its Start call answered
            changed = true;
        }
        else if (trial.State != TrialState.Running)
        {
            return false;
        }
        string? waiting = status.IsFinished ? null : status.Waiting;
        if (waiting != trial.Waiting)
        {
            trial = trial with { Waiting = waiting };
            changed = true;
        }
        if (status.History.Length > trial.ValidMse.Length || status.IsFinished && status.History.Length != trial.ValidMse.Length)
        {
            trial = trial with { ValidMse = status.History.Select(h => h.ValidMse).ToArray(), TrainLoss = status.History.Select(h => h.TrainLoss).ToArray() };
            changed = true;
        }
        if (_asha is not null && !status.IsFinished && ShouldStop(_asha, trial))
        {
            _stopped.Add(trial.JobId);
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
        if (!changed) return false;
        if (trial.State != TrialState.Running) logger.LogInformation("Sweep {SweepId}: trial {Trial} {State}", SweepId, i, trial.State);
        trials[i] = trial;
        _dirty = true;
        return true;
    }

    // the jobs of trials ASHA stopped, once the decisions are stored (a recovered sweep decides again from the stored
    // arrivals, and must not find a trial it stopped merely cancelled)
    private async Task CancelStoppedAsync()
    {
        if (_stopped.Count == 0) return;
        await PersistQuietlyAsync();
        string[] jobs = [.. _stopped];   // those stopped meanwhile are cancelled at the loop's next round
        _stopped.Clear();
        await Task.WhenAll(jobs.Select(CancelQuietlyAsync));
    }

    // ASHA at every rung the trial has passed and not yet been judged at, in rung order; arrivals are stored in order
    private bool ShouldStop(Asha asha, TrialResult trial)
    {
        foreach (int rung in asha.Rungs)
        {
            if (trial.ValidMse.Length < rung) break;
            if (_sweep.State.Arrivals.Any(a => a.Rung == rung && a.Trial == trial.Index)) continue;
            double metric = RungMetric(trial, rung);
            var before = _sweep.State.Arrivals.Where(a => a.Rung == rung).Select(a => a.Metric).ToList();
            bool goOn = asha.Decide(rung, metric, before) == AshaDecision.Continue;
            _sweep.State.Arrivals.Add(new RungArrival(rung, trial.Index, metric, goOn));
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
        for (int k = 0; k < splits.Count && k < _sweep.State.BaselineJobs.Count; k++)
            await GrainFactory.GetGrain<ITrainingJobGrain>(_sweep.State.BaselineJobs[k]).Start(TrialJobs.Baseline(splits[k], _spec!) with { SweepId = SweepId });
        _baselinesStarted = true;
    }

    // every baseline's figures, polled (their jobs also tell the sweep when they end)
    private async Task FollowBaselinesAsync()
    {
        var baselines = _sweep.State.Baselines;
        if (baselines.Count == 0)   // a sweep stored before baselines were kept per split
            baselines.AddRange(_sweep.State.BaselineJobs.Select(job => new BaselineResult(job, "", 0)));
        for (int k = 0; k < baselines.Count; k++)
        {
            if (baselines[k].IsFinished) continue;
            try
            {
                FollowBaseline(await GrainFactory.GetGrain<ITrainingJobGrain>(baselines[k].JobId).GetStatus());
            }
            catch (Exception e) when (ShardedGradientSource.IsClusterFailure(e))
            {
                // its coordinator is recovering; ask again next round
            }
        }
    }

    // a baseline's figures (naive and linear) once its job has finished; the first split's also in the fields of their
    // own. False for a status of no baseline of this sweep, or one already taken
    private bool FollowBaseline(JobStatus status)
    {
        var baselines = _sweep.State.Baselines;
        int k = baselines.FindIndex(b => b.JobId == status.JobId);
        if (k < 0 || baselines[k].IsFinished || !status.IsFinished) return false;
        baselines[k] = baselines[k] with
        {
            NaiveValidMse = status.NaiveValidMse, NaiveTestMse = status.NaiveTestMse,
            LinearValidMse = status.ValidMse ?? double.NaN, LinearTestMse = status.TestMse, LinearFit = status.Fit,
            Classical = status.Classical,
        };
        if (baselines[0].IsFinished)
        {
            (_sweep.State.NaiveValidMse, _sweep.State.NaiveTestMse) = (baselines[0].NaiveValidMse, baselines[0].NaiveTestMse);
            (_sweep.State.LinearValidMse, _sweep.State.LinearTestMse) = (baselines[0].LinearValidMse, baselines[0].LinearTestMse);
        }
        _dirty = true;
        return true;
    }

    private bool BaselinesFinished => _sweep.State.Baselines.Count > 0 ? _sweep.State.Baselines.All(b => b.IsFinished) : _sweep.State.LinearValidMse is not null;

    private async Task CancelRunningAsync()
    {
        var trials = _sweep.State.Trials;
        await Task.WhenAll(trials.Where(t => t.State == TrialState.Running).Select(t => CancelQuietlyAsync(t.JobId)));
        for (int i = 0; i < trials.Count; i++)
        {
            if (trials[i].State is not (TrialState.Running or TrialState.Pending)) continue;   // its job told of its end meanwhile
            trials[i] = trials[i] with { State = TrialState.Cancelled };
            _dirty = true;
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
        _sweep.State.State = state;
        _sweep.State.Error = error;
        _sweep.State.Seconds = _secondsBefore + _clock.Elapsed.TotalSeconds;
        _dirty = true;
        logger.LogInformation("Sweep {SweepId}: {State}", SweepId, state);
        _metrics?.Ended(Status(live: true), jobOptions.Value.EndedSweepMetricsTime);
        try
        {
            await PersistAsync();
            await ReleaseReminderOfEndAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {SweepId}: storing its end failed: {Error}", SweepId, e.Message);
        }
        this.DelayDeactivation(TimeSpan.FromHours(1));
    }

    // an ended sweep's recovery reminder goes once its end is stored and listed in the sweep registry; until then it
    // stays, and its next tick (here, or on another silo if this one is lost) stores and lists the end
    private async Task ReleaseReminderOfEndAsync()
    {
        var state = _sweep.State.State;
        if (state is SweepState.Running or SweepState.Unknown || _dirty || _stored?.State != state || _registry.Pending)
        {
            if (state is not (SweepState.Running or SweepState.Unknown))
                logger.LogInformation("Sweep {SweepId}: its end is not yet stored and listed; its recovery reminder stays until it is", SweepId);
            return;
        }
        try
        {
            await _reminder.ReleaseAfterEndAsync(() => _sweep.State.State == SweepState.Running);
        }
        catch (Exception e)
        {
            logger.LogInformation("Sweep {SweepId}: updating its recovery reminder failed: {Error}", SweepId, e.Message);
        }
    }

    // the background writer: writes while the record keeps changing, at most every WriteInterval, each write taking
    // every change made before it
    private async Task WriteWhileChangedAsync()
    {
        while (_dirty && !_deactivating)
        {
            var wait = WriteInterval - _sinceWrite.Elapsed;
            if (_sinceWrite.IsRunning && wait > TimeSpan.Zero) await Task.Delay(wait);
            if (_deactivating || !await PersistQuietlyAsync()) return;
        }
    }

    // a write that fails (storage away longer than Orleans retries) is tried again at the next change (or reminder)
    private async Task<bool> PersistQuietlyAsync()
    {
        try
        {
            await PersistAsync();
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {SweepId}: storing its record failed, again at the next change: {Error}", SweepId, e.Message);
            return false;
        }
    }

    // stores the record if it changed since the last write; the status then reports what was stored
    private async Task PersistAsync()
    {
        await _writes.WaitAsync();
        try
        {
            if (!_dirty) return;
            _dirty = false;
            var copy = Copy(_sweep.State);   // in the same turn as the write takes the record
            try
            {
                await _sweep.WriteStateAsync();
            }
            catch (Exception e)
            {
                _dirty = true;
                if (StaleWrite.Is(e))
                {
                    // another activation wrote the record (two lived for a while after a silo loss), or a write that
                    // timed out landed: this activation's view is stale, and every write of it would be refused. It
                    // goes away; the next (activated by a trial's job, the reminder or a status call) reads the stored
                    // record and attaches to the trials' jobs
                    logger.LogWarning("Sweep {SweepId}: its record was written elsewhere ({Error}); this activation hands over", SweepId, e.Message);
                    HandOver();
                }
                throw;
            }
            finally
            {
                _sinceWrite.Restart();
            }
            _stored = copy;
        }
        finally
        {
            _writes.Release();
        }
        await UpdateRegistryAsync();
    }

    // the sweep's summary in the registry: at every change of its state, and while it runs at most every second
    private async Task UpdateRegistryAsync()
    {
        var stored = _stored!;
        if (_registered is { } r && r.State == stored.State && r.Clock.Elapsed < RegistryInterval) return;
        _registered = (stored.State, Stopwatch.StartNew());
        await _registry.PutAsync();
    }

    // the summary of the record as last stored
    private Task PutSummaryAsync()
    {
        var stored = _stored!;
        var best = Status().Best;
        return GrainFactory.GetGrain<ISweepRegistryGrain>(0).Put(new SweepSummary(SweepId, stored.State, stored.Trials.Count,
            stored.Trials.Count(t => t.IsFinished), best?.Metric, best?.Config, DateTime.UtcNow));
    }

    // what the status shows of a record: its state and trials as they are now (trial results are immutable)
    private static StoredSweep Copy(StoredSweep s) => new()
    {
        State = s.State, Trials = [.. s.Trials], MaxConcurrent = s.MaxConcurrent, Error = s.Error, Created = s.Created, Seconds = s.Seconds,
        NaiveValidMse = s.NaiveValidMse, NaiveTestMse = s.NaiveTestMse, LinearValidMse = s.LinearValidMse, LinearTestMse = s.LinearTestMse,
        CancelRequested = s.CancelRequested, BaselineJobs = s.BaselineJobs, Baselines = [.. s.Baselines],
    };

    // every core of every active silo busy: one trial per core (a trial's one shard runs on one core at a time)
    private async Task<int> DefaultConcurrencyAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return Math.Clamp(hosts.Count * Environment.ProcessorCount, 1, SweepSpec.MaxConcurrentLimit);
    }

    // every trial's job as its job grain checks it (JobPlan.From), the first bad one in index order throwing. Trials
    // that differ only in training settings other than the batch size (learning rate, epochs, seed, clipping) share
    // all of JobPlan.From's checks but the settings' own: those are checked for each, the rest once for the first.
    private static void Check(List<JobSpec> jobs, IReadOnlyList<TrialPlan> plan)
    {
        var checkedShapes = new HashSet<(JobSpec, string)>();
        for (int i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var shape = (job with { Training = new TrainingSettings(BatchSize: job.Training.BatchSize), Data = job.Data with { Differences = null } },
                string.Join(",", job.Data.Differences ?? []));
            try
            {
                if (checkedShapes.Contains(shape)) JobPlan.OptionsOf(job.Training).Validate();
                else
                {
                    JobPlan.From(job);
                    checkedShapes.Add(shape);
                }
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException(e.Field, $"trial {plan[i].Index} ({plan[i].Config.Describe()}): {e.Reason}");
            }
        }
    }

    // a data split's baseline job, checked like the trials: its classical settings are the spec's data.season, data.wma, data.arima
    private static void CheckBaseline(JobSpec baseline)
    {
        try
        {
            JobPlan.From(baseline);
        }
        catch (InvalidInputException e) when (e.Field is "season" or "wma" or "arima")
        {
            throw new InvalidInputException("data." + e.Field, e.Reason);
        }
    }

    // what the sweep reports: its trials as they are now (epochs included), except that a trial that finished after the
    // last write is reported running, without its result, until a write has stored it (a finished trial is reported
    // only once it is durable), and its own state as stored (Completed only once that is stored). live: everything as
    // it is now, for the metrics (which promise nothing)
    private SweepStatus Status(bool live = false)
    {
        var s = _sweep.State;
        var stored = live ? s : _stored ?? s;
        var trials = s.Trials.Select((t, i) => live || !t.IsFinished || i < stored.Trials.Count && stored.Trials[i].IsFinished ? t
            : t with { State = TrialState.Running, Metric = null, TestMse = null, WeightsHash = null, Error = null }).ToArray();
        return new SweepStatus(SweepId, stored.State, trials, s.MaxConcurrent, _spec?.Metric ?? "valid_mse", s.NaiveValidMse, s.LinearValidMse,
            stored.State == SweepState.Running && _clock.IsRunning ? _secondsBefore + _clock.Elapsed.TotalSeconds : stored.Seconds, stored.Error,
            s.NaiveTestMse, s.LinearTestMse, [.. s.Baselines], _storedRequest.State.Request?.Data.IsChapter ?? false);
    }

}
