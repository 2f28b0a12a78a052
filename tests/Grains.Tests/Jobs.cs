using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>Specs of the chapter's jobs and polling helpers shared by the cluster tests.</summary>
internal static class Jobs
{
    public const int ChapterDataSeed = 42;

    public static readonly DataSpec ChapterData = new(DataSeed: ChapterDataSeed);

    private static readonly Lazy<DataSplit> ChapterSplit = new(() => ChapterSeries.OneStep(ChapterDataSeed));

    /// <summary>The chapter's one-step-ahead split, as every silo builds it for <see cref="ChapterData"/>.</summary>
    public static DataSplit Chapter => ChapterSplit.Value;

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A new sweep id: the prefix and 12 hex digits, short enough that its trials' job ids stay job ids.</summary>
    public static string NewSweepId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static ModelSpec Model(string name) => ModelCatalogue.Find(name).Spec!;

    public static JobSpec Spec(string model, TrainingSettings training, int shards = 1) =>
        new(model, Model(model).ToJson(), ChapterData, training, shards);

    public static TrainingOptions Options(TrainingSettings t) => JobPlan.OptionsOf(t);

    /// <summary>Polls every 100 ms until the job is finished; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<JobStatus> WaitUntilFinished(ITrainingJobGrain job, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await job.GetStatus();
            if (status.IsFinished) return status;
            Assert.True(clock.Elapsed < timeout,
                $"job {status.JobId} not finished after {timeout.TotalSeconds:0} s: {status.State}, epoch {status.Epoch}/{status.Epochs}, step {status.Step}");
            await Task.Delay(100);
        }
    }

    /// <summary>Starts the sweep and polls it every 100 ms until it is finished; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<SweepStatus> RunSweepAsync(ISweepGrain sweep, string spec, TimeSpan timeout)
    {
        var started = await sweep.Start(new SweepRequest(spec, ChapterData));
        Assert.True(started.State == SweepState.Running, $"{started.State}: {started.Error}");
        return await WaitForSweepAsync(sweep, timeout);
    }

    /// <summary>Polls the sweep every 100 ms until it is finished; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<SweepStatus> WaitForSweepAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.IsFinished) return status;
            Assert.True(clock.Elapsed < timeout, $"sweep not finished after {timeout}: {status.Trials.Count(t => t.IsFinished)}/{status.Trials.Length} trials");
            await Task.Delay(100);
        }
    }

    public static string Describe(JobStatus s) =>
        $"{s.JobId}: {s.State}, epoch {s.Epoch}/{s.Epochs}, step {s.Step}, error '{s.Error}'";
}
