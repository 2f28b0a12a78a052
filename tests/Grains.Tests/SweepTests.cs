using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;
using RnnCluster.Numerics.Training;
using Xunit.Abstractions;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Sweeps on the in-process 3-silo cluster: every trial of a grid stored with its result, a random sweep reproduced
/// bit for bit by its seed, ASHA stopping the worst at the rungs and never the best, bad specs refused by the grain.
/// </summary>
[Collection(ClusterCollection.Name)]
public class SweepTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private ISweepGrain NewSweep(string prefix) => cluster.GrainFactory.GetGrain<ISweepGrain>(Jobs.NewSweepId(prefix));

    [Fact]
    public async Task A_grid_of_24_trials_completes_with_every_trial_stored_and_each_bitwise_its_own_seeds_run()
    {
        const string spec = """
            {"model": "linear", "search": "grid", "seeds_per_config": 2, "max_concurrent": 6,
             "space": {"learning_rate": {"values": [0.0005, 0.001, 0.003, 0.01]}, "batch_size": {"values": [32, 64, 128]}, "epochs": 1}}
            """;
        var sweep = NewSweep("grid");
        var done = await Jobs.RunSweepAsync(sweep, spec, TimeSpan.FromMinutes(3));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(24, done.Trials.Length);
        Assert.All(done.Trials, t => Assert.True(t.State == TrialState.Completed && t.Metric is > 0 && t.WeightsHash is not null, $"{t.Index}: {t.State} {t.Error}"));
        Assert.Equal(24, done.Trials.Select(t => (t.Config, t.Seed)).Distinct().Count());
        Assert.NotNull(done.LinearValidMse);
        Assert.NotNull(done.NaiveValidMse);

        // a trial is an ordinary job: the in-process trainer with its settings and seed gives its weights
        var plan = SweepPlan.Trials(SweepSpec.FromJson(spec));
        foreach (int i in new[] { 0, 13, 23 })
        {
            var job = JobPlan.From(TrialJobs.Spec(SweepSpec.FromJson(spec), Jobs.ChapterData, plan[i]));
            Assert.Equal(Trainer.Train(job.Model, job.Data, job.Options).WeightsHash, done.Trials[i].WeightsHash);
        }
        // the same again, stored: a new activation reads every trial back
        var listed = (await cluster.GrainFactory.GetGrain<ISweepRegistryGrain>(0).List()).Items.Single(s => s.SweepId == done.SweepId);
        Assert.Equal((SweepState.Completed, 24, 24), (listed.State, listed.Trials, listed.Done));
        Assert.Equal(done.Best!.Metric, listed.BestMetric);
    }

    [Fact]
    public async Task A_random_sweep_run_twice_with_one_seed_proposes_the_same_trials_and_ends_with_the_same_weights()
    {
        const string spec = """
            {"model": "linear", "search": "random", "trials": 5, "seed": 7,
             "space": {"learning_rate": {"log_uniform": [0.0001, 0.05]}, "batch_size": {"int_uniform": [16, 64]}, "epochs": 1}}
            """;
        var first = await Jobs.RunSweepAsync(NewSweep("random"), spec, TimeSpan.FromMinutes(2));
        var second = await Jobs.RunSweepAsync(NewSweep("random"), spec, TimeSpan.FromMinutes(2));
        Assert.Equal(first.Trials.Select(t => (t.Config, t.Seed, t.WeightsHash)), second.Trials.Select(t => (t.Config, t.Seed, t.WeightsHash)));
        Assert.All(first.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        var other = await Jobs.RunSweepAsync(NewSweep("random"), spec.Replace("\"seed\": 7", "\"seed\": 8"), TimeSpan.FromMinutes(2));
        Assert.NotEqual(first.Trials.Select(t => t.Config), other.Trials.Select(t => t.Config));
    }

    [Fact]
    public async Task Asha_stops_the_worst_trials_at_the_rungs_keeps_their_history_and_never_stops_the_best()
    {
        // learning rates from far too small to good: the small ones lag at every rung (deep-rnn: epochs long enough
        // for the sweep to see each rung before the trial is past the next)
        const string spec = """
            {"model": "deep-rnn", "search": "asha", "trials": 9, "seed": 3, "max_concurrent": 3,
             "asha": {"min_epochs": 1, "reduction_factor": 3},
             "space": {"learning_rate": {"log_uniform": [0.000001, 0.01]}, "epochs": 9}}
            """;
        var done = await Jobs.RunSweepAsync(NewSweep("asha"), spec, TimeSpan.FromMinutes(3));
        Assert.Equal(SweepState.Completed, done.State);
        var stopped = done.Trials.Where(t => t.State == TrialState.Stopped).ToArray();
        var completed = done.Trials.Where(t => t.State == TrialState.Completed).ToArray();
        Assert.NotEmpty(stopped);
        Assert.NotEmpty(completed);
        Assert.All(stopped, t => Assert.True(t.ValidMse.Length >= 1 && t.ValidMse.Length < 9, $"trial {t.Index} stopped after {t.ValidMse.Length} epochs"));
        // the best validation MSE any trial reached at the first rung belongs to a trial that was not stopped there
        var bestAtFirstRung = done.Trials.Where(t => t.ValidMse.Length >= 1).MinBy(t => t.ValidMse[0])!;
        Assert.True(bestAtFirstRung.State == TrialState.Completed || bestAtFirstRung.ValidMse.Length > 1,
            $"trial {bestAtFirstRung.Index}, the best at the first rung, was stopped there");
        Assert.Equal(TrialState.Completed, done.Best!.State);
    }

    [Fact]
    public async Task The_same_sweep_start_sent_again_is_answered_with_the_status_and_any_other_start_is_refused()
    {
        var sweep = NewSweep("resent");
        var request = new SweepRequest("""{"model": "linear", "search": "grid", "space": {"learning_rate": {"values": [0.01, 0.001]}, "epochs": 1}}""",
            Jobs.ChapterData, StartToken: "first-start");
        var started = await sweep.Start(request);
        Assert.True(started.State == SweepState.Running, $"{started.State} {started.Error}");

        var resent = await sweep.Start(request);
        Assert.True(resent.State is SweepState.Running or SweepState.Completed && resent.Error is null, $"{resent.State} {resent.Error}");
        Assert.Equal(started.Trials.Select(t => t.JobId), resent.Trials.Select(t => t.JobId));
        foreach (var other in new[] { request with { StartToken = "another-start" }, request with { StartToken = null } })
        {
            var refused = await sweep.Start(other);
            Assert.Equal(SweepState.Rejected, refused.State);
            Assert.Equal((JobErrorKind.Conflict, "sweep_id"), (refused.Error?.Kind, refused.Error?.Field));
        }
        var done = await Jobs.WaitForSweepAsync(sweep, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(2, done.Trials.Length);
    }

    [Theory]
    [InlineData("""{"model": "linear", "search": "random", "trials": 3, "space": {}}""", "space")]
    [InlineData("""{"model": "linear", "space": {"learnig_rate": 0.1}}""", "space.learnig_rate")]
    [InlineData("""{"model": "linear", "max_concurrent": 65, "space": {}}""", "max_concurrent")]
    public async Task A_bad_spec_is_refused_by_the_grain_naming_the_field_and_leaves_nothing(string spec, string field)
    {
        var sweep = NewSweep("bad");
        var rejected = await sweep.Start(new SweepRequest(spec, Jobs.ChapterData));
        Assert.Equal(SweepState.Rejected, rejected.State);
        Assert.Equal(JobErrorKind.BadInput, rejected.Error?.Kind);
        Assert.StartsWith(field, rejected.Error!.Field);
        Assert.Empty(rejected.Trials);
        Assert.Equal(SweepState.Unknown, (await sweep.GetStatus()).State);
    }

    // A cancelled trial's job tells its sweep of its end one way: that status may reach the sweep after it was resumed.
    // The test sends each such status again once its trial runs again: the sweep takes it as of an earlier run.
    [Fact]
    public async Task A_cancelled_sweep_resumed_completes_every_trial_whatever_late_statuses_of_the_cancelled_runs_arrive()
    {
        const string spec = """{"model": "deep-rnn", "max_concurrent": 2, "space": {"learning_rate": {"values": [0.001, 0.002, 0.003]}, "epochs": 2}}""";
        var sweep = NewSweep("cancel");
        Assert.Equal(SweepState.Running, (await sweep.Start(new SweepRequest(spec, Jobs.ChapterData))).State);
        while ((await sweep.GetStatus()).Trials.All(t => t.ValidMse.Length == 0)) await Task.Delay(50);
        await sweep.Cancel();
        var clock = Stopwatch.StartNew();
        SweepStatus cancelled;
        while (!(cancelled = await sweep.GetStatus()).IsFinished) { Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30)); await Task.Delay(50); }
        Assert.Equal(SweepState.Cancelled, cancelled.State);
        Assert.Contains(cancelled.Trials, t => t.State == TrialState.Cancelled);

        var late = new Dictionary<int, JobStatus>();
        foreach (var trial in cancelled.Trials.Where(t => t.State == TrialState.Cancelled))
            if (await cluster.Job(trial.JobId).GetStatus() is { State: JobState.Cancelled } status) late[trial.Index] = status;
        Assert.NotEmpty(late);   // at least one trial's job was running when the sweep was cancelled

        int sent = 0;
        Assert.Equal(SweepState.Running, (await sweep.Resume()).State);
        while (!(cancelled = await sweep.GetStatus()).IsFinished)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2));
            foreach (var trial in cancelled.Trials.Where(t => t.State == TrialState.Running && late.ContainsKey(t.Index)))
            {
                await sweep.TrialChanged(late[trial.Index]);
                late.Remove(trial.Index);
                sent++;
            }
            await Task.Delay(50);
        }
        output.WriteLine($"{sent} late statuses sent while their trials ran again");
        Assert.Equal(SweepState.Completed, cancelled.State);
        var plan = SweepPlan.Trials(SweepSpec.FromJson(spec));
        foreach (var trial in cancelled.Trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            var job = JobPlan.From(TrialJobs.Spec(SweepSpec.FromJson(spec), Jobs.ChapterData, plan[trial.Index]));
            Assert.Equal(Trainer.Train(job.Model, job.Data, job.Options).WeightsHash, trial.WeightsHash);
        }
    }
}
