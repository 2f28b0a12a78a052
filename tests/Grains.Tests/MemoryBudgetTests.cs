using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Silo;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Jobs that each fit the per-job bound can still run a silo out of memory together: a silo holds their networks
/// against its budget (RnnCluster:Jobs:MemoryBudget). Here a one-silo cluster whose budget holds one deep RNN job and
/// not two: the second waits, holding nothing and saying why, while the first trains; once the first has ended it
/// trains. A waiting job can be cancelled. A job the whole budget could never hold fails at once, saying so.
/// </summary>
[Collection(ClusterCollection.Name)]   // not beside the shared cluster's tests: they measure latency on 2 cores
public class MemoryBudgetTests
{
    [Fact]
    public async Task A_job_past_the_silos_budget_waits_holding_nothing_and_trains_once_the_others_end()
    {
        var spec = Jobs.Spec("deep-rnn-dense", new TrainingSettings(Epochs: 500));
        var plan = JobPlan.From(spec);
        long oneJob = plan.ShardBytes + plan.EvaluationBytes;
        await using var cluster = await OneSiloAsync(oneJob * 3 / 2);
        var budget = cluster.Silos[0].ServiceProvider.GetRequiredService<MemoryBudget>();

        var first = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-first"));
        Assert.Equal(JobState.Running, (await first.Start(spec)).State);
        await WaitUntil(() => budget.Held == oneJob, "the first job's shard and evaluation held");

        var second = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-second"));
        var started = await second.Start(spec with { Training = new TrainingSettings(Epochs: 1) });
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var waiting = await WaitForAsync(second, s => s.Waiting is not null, "the second job to wait");
        Assert.StartsWith("memory: ", waiting.Waiting);
        Assert.Contains("of its budget of", waiting.Waiting);
        Assert.Equal(0, waiting.Step);
        await Task.Delay(TimeSpan.FromSeconds(2));   // a retry or two
        Assert.Equal(oneJob, budget.Held);   // the waiting job holds nothing
        Assert.True((await first.GetStatus()).Step > 0);

        // the refusal crosses a call with its type and whether it could fit later (what makes the coordinator wait)
        var shard = cluster.Client.GetGrain<IShardWorkerGrain>(0, Jobs.NewId("budget-direct"));
        var refusal = await Assert.ThrowsAsync<MemoryBudgetException>(() => shard.Prepare(spec, run: 1));
        Assert.True(refusal.Fits, refusal.Message);
        Assert.Equal(oneJob, budget.Held);

        // a waiting job is cancelled like any other
        var third = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-third"));
        await third.Start(spec);
        await WaitForAsync(third, s => s.Waiting is not null, "the third job to wait");
        await third.Cancel();
        var cancelled = await Jobs.WaitUntilFinished(third, TimeSpan.FromMinutes(1));
        Assert.True(cancelled.State == JobState.Cancelled, Jobs.Describe(cancelled));
        Assert.Equal(0, cancelled.Step);
        Assert.Equal(oneJob, budget.Held);

        await first.Cancel();
        Assert.Equal(JobState.Cancelled, (await Jobs.WaitUntilFinished(first, TimeSpan.FromMinutes(1))).State);
        var done = await Jobs.WaitUntilFinished(second, TimeSpan.FromMinutes(2));
        Assert.True(done.State == JobState.Completed, Jobs.Describe(done));
        Assert.Null(done.Waiting);
        Assert.Equal(1, done.Epoch);
        await WaitUntil(() => budget.Held == 0, "every hold released");
    }

    /// <summary>
    /// A sweep of two trials at once on that silo: the second trial's job waits, the sweep shows why (its job tells it at
    /// once), and both complete, the second once the first has made room.
    /// </summary>
    [Fact]
    public async Task A_sweeps_trial_that_waits_for_memory_is_shown_waiting_and_completes_after_the_other()
    {
        var trial = JobPlan.From(Jobs.Spec("deep-rnn-dense", new TrainingSettings(Epochs: 40)));
        await using var cluster = await OneSiloAsync((trial.ShardBytes + trial.EvaluationBytes) * 3 / 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(Jobs.NewId("budget-sweep"));
        const string spec = """{"model": "deep-rnn-dense", "max_concurrent": 2, "space": {"learning_rate": {"values": [0.001, 0.002]}, "epochs": 40}}""";
        Assert.Equal(SweepState.Running, (await sweep.Start(new SweepRequest(spec, Jobs.ChapterData))).State);

        var clock = Stopwatch.StartNew();
        SweepStatus status;
        bool sawWaiting = false;
        do
        {
            await Task.Delay(50);
            status = await sweep.GetStatus();
            sawWaiting |= status.Trials.Any(t => t.State == TrialState.Running && t.Waiting?.StartsWith("memory: ", StringComparison.Ordinal) == true);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the sweep did not end: {string.Join(", ", status.Trials.Select(t => $"{t.Index} {t.State} {t.Waiting}"))}");
        }
        while (status.State == SweepState.Running);

        Assert.True(sawWaiting, "no trial was shown waiting for memory");
        Assert.Equal(SweepState.Completed, status.State);
        Assert.All(status.Trials, t => Assert.True(t.State == TrialState.Completed && t.Waiting is null, $"trial {t.Index}: {t.State} {t.Error} {t.Waiting}"));
    }

    [Fact]
    public async Task A_job_the_whole_budget_could_never_hold_fails_at_once_saying_so()
    {
        var spec = Jobs.Spec("deep-rnn-dense", new TrainingSettings(Epochs: 1));
        var plan = JobPlan.From(spec);
        await using var cluster = await OneSiloAsync(plan.ShardBytes / 2);
        var budget = cluster.Silos[0].ServiceProvider.GetRequiredService<MemoryBudget>();

        var job = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-never"));
        await job.Start(spec);
        var failed = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.True(failed.State == JobState.Failed, Jobs.Describe(failed));
        Assert.Contains("more than this silo's whole budget", failed.Error!.Message);
        Assert.Equal(0, budget.Held);
        var refusal = await Assert.ThrowsAsync<MemoryBudgetException>(() => cluster.Client.GetGrain<IShardWorkerGrain>(0, Jobs.NewId("budget-direct")).Prepare(spec, run: 1));
        Assert.False(refusal.Fits, refusal.Message);
    }

    private static async Task<InProcessTestCluster> OneSiloAsync(long budget)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{JobOptions.Section}:MemoryBudget"] = budget.ToString() })
            .Build();
        builder.ConfigureSilo((_, silo) => SiloHost.AddJobServices(silo, configuration, new ClusterSettings()));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        Assert.Equal(budget, cluster.Silos[0].ServiceProvider.GetRequiredService<MemoryBudget>().Bytes);
        return cluster;
    }

    private static async Task<JobStatus> WaitForAsync(ITrainingJobGrain job, Func<JobStatus, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await job.GetStatus();
            if (condition(status)) return status;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"not within 30 s: {what}: {Jobs.Describe(status)}");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"not within 30 s: {what}");
            await Task.Delay(50);
        }
    }
}
