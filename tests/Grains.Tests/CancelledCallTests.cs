using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A call Orleans cancels because a silo died under its addressing (not because anyone asked) is a cluster failure:
/// a job's shard is prepared again and its step recovered, and the job ends bitwise as the local trainer's; a sweep
/// starts the trial again and completes. Before this was so, each ended Failed with "The operation was canceled."
/// </summary>
public class CancelledCallTests(CancellingCallsFixture cluster) : IClassFixture<CancellingCallsFixture>
{
    [Fact]
    public async Task A_job_whose_shard_preparation_and_step_the_cluster_cancels_recovers_and_ends_bitwise_as_the_local_trainers()
    {
        var settings = new TrainingSettings(Epochs: 1, BatchSize: 32, LearningRate: 1e-3f, Seed: 42);
        string jobId = Jobs.NewId(CancellingCallsFixture.Marker);
        var job = cluster.GrainFactory.GetGrain<ITrainingJobGrain>(jobId);

        var started = await job.Start(Jobs.Spec("linear", settings, shards: 2));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var status = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(2));

        Assert.True(status.State == JobState.Completed, Jobs.Describe(status));
        Assert.Contains($"0+{jobId}: Prepare", cluster.Cancelled);
        Assert.Contains($"0+{jobId}: ComputeGradient", cluster.Cancelled);
        Assert.True(status.Recoveries >= 1, $"{status.Recoveries} recoveries");
        Assert.Equal(Trainer.Train(Jobs.Model("linear"), Jobs.Chapter, Jobs.Options(settings)).WeightsHash, status.WeightsHash);
    }

    [Fact]
    public async Task A_sweep_whose_trial_start_the_cluster_cancels_starts_it_again_and_completes()
    {
        const string spec = """
            {"model": "linear", "search": "grid", "max_concurrent": 2,
             "space": {"learning_rate": {"values": [0.001, 0.003]}, "epochs": 1}}
            """;
        string sweepId = Jobs.NewSweepId(CancellingCallsFixture.Marker);
        var sweep = cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);

        var status = await Jobs.RunSweepAsync(sweep, spec, TimeSpan.FromMinutes(2));

        Assert.True(status.State == SweepState.Completed, $"{status.State}: {status.Error}");
        Assert.All(status.Trials, t => Assert.True(t.State == TrialState.Completed, $"{t.Index}: {t.State} {t.Error}"));
        foreach (var trial in status.Trials)
            Assert.Contains($"{trial.JobId}: Start", cluster.Cancelled);
        var plan = SweepPlan.Trials(SweepSpec.FromJson(spec));
        for (int i = 0; i < plan.Count; i++)
        {
            var job = JobPlan.From(TrialJobs.Spec(SweepSpec.FromJson(spec), Jobs.ChapterData, plan[i]));
            Assert.Equal(Trainer.Train(job.Model, job.Data, job.Options).WeightsHash, status.Trials[i].WeightsHash);
        }
    }
}
