using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Silo;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Jobs that each fit the per-job bound can still run a silo out of memory together: a silo holds their networks
/// against its budget (RnnCluster:Jobs:MemoryBudget). Here a one-silo cluster whose budget holds one deep RNN job and not
/// two: the second fails, saying so, before it allocates anything; the first trains on; once it has ended the budget is
/// free again and the same job trains.
/// </summary>
[Collection(ClusterCollection.Name)]   // not beside the shared cluster's tests: they measure latency on 2 cores
public class MemoryBudgetTests
{
    private static readonly TrainingSettings Long = new(Epochs: 500);

    [Fact]
    public async Task A_job_past_the_silos_budget_fails_saying_so_and_the_budget_is_free_once_the_others_end()
    {
        var spec = Jobs.Spec("deep-rnn-dense", Long);
        var plan = JobPlan.From(spec);
        long oneJob = plan.ShardBytes + plan.EvaluationBytes;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{JobOptions.Section}:MemoryBudget"] = (oneJob * 3 / 2).ToString() })
            .Build();
        builder.ConfigureSilo((_, silo) => SiloHost.AddJobServices(silo, configuration, new ClusterSettings()));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var budget = cluster.Silos[0].ServiceProvider.GetRequiredService<MemoryBudget>();
        Assert.Equal(oneJob * 3 / 2, budget.Bytes);

        var first = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-first"));
        Assert.Equal(JobState.Running, (await first.Start(spec)).State);
        await WaitUntil(() => budget.Held == oneJob, "the first job's shard and evaluation held");

        var second = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-second"));
        await second.Start(spec);
        var refused = await Jobs.WaitUntilFinished(second, TimeSpan.FromMinutes(1));
        Assert.True(refused.State == JobState.Failed, Jobs.Describe(refused));
        Assert.Contains("of its budget of", refused.Error!.Message);
        Assert.Contains("MemoryBudget", refused.Error.Message);
        Assert.Equal(oneJob, budget.Held);   // the refused job holds nothing
        Assert.Equal(JobState.Running, (await first.GetStatus()).State);

        await first.Cancel();
        Assert.Equal(JobState.Cancelled, (await Jobs.WaitUntilFinished(first, TimeSpan.FromMinutes(1))).State);
        await WaitUntil(() => budget.Held == 0, "the first job's holds released");
        var again = cluster.Client.GetGrain<ITrainingJobGrain>(Jobs.NewId("budget-again"));
        Assert.Equal(JobState.Running, (await again.Start(spec with { Training = new TrainingSettings(Epochs: 1) })).State);
        var done = await Jobs.WaitUntilFinished(again, TimeSpan.FromMinutes(2));
        Assert.True(done.State == JobState.Completed, Jobs.Describe(done));
        await WaitUntil(() => budget.Held == 0, "every hold released");
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
