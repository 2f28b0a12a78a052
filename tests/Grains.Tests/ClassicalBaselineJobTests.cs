using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A job asked for the classical baselines (<see cref="JobSpec.Classical"/>) reports them once trained, with exactly
/// the figures Numerics gives on the job's own validation and test windows; a sweep on a CSV series carries them in
/// its baselines, one set per data split.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ClassicalBaselineJobTests(ClusterFixture cluster)
{
    // a noisy seasonal series of 400 values: period 12 and a slow trend
    private static double[] Series()
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 400).Select(i => 10 + 0.02 * i + 3 * Math.Sin(2 * Math.PI * i / 12) + random.NextDouble())];
    }

    private static DataSpec Csv(int window) => new(0, "seasonal.csv", [Series()], window);

    [Fact]
    public async Task A_linear_job_reports_the_classical_baselines_of_its_own_windows()
    {
        var linear = ModelCatalogue.Find("linear");
        var task = linear.TaskFor(3);
        var spec = new JobSpec("linear", linear.SpecFor(task)!.ToJson(), Csv(24), new TrainingSettings(Epochs: 1), 1, TaskSpecs.From(task),
            Classical: new ClassicalSpec(Season: 12, MovingAverageLength: 4, ArimaOrder: "1,1,1"));
        var job = cluster.Job(Jobs.NewId("classical"));
        Assert.Equal(JobState.Running, (await job.Start(spec)).State);

        var done = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(2));

        Assert.True(done.State == JobState.Completed, Jobs.Describe(done));
        var expected = ClassicalBaselines.Evaluate(Series(), JobPlan.From(spec).Evaluation, new ClassicalOptions(12, 4, new ArimaOrder(1, 1, 1))).Figures;
        Assert.Equal(expected.Select(f => (f.Method, f.Settings, f.ValidMse, f.TestMse)), done.Classical!.Select(c => (c.Method, c.Settings, c.ValidMse, c.TestMse)));
        Assert.Equal(["seasonal naive (season 12)", "weighted moving average (n 4, weights 1..4)", "ARIMA(1,1,1), given"], done.Classical!.Select(c => c.Name));
    }

    [Fact]
    public async Task A_sweep_on_a_csv_series_carries_the_classical_baselines_of_each_split()
    {
        const string spec = """{"model": "linear", "data": {"csv": "seasonal.csv", "column": "x", "window": 24, "season": 12, "arima": "1,0,0"}, "space": {"horizon": {"values": [1, 2]}, "epochs": 1}}""";
        var sweep = cluster.GrainFactory.GetGrain<ISweepGrain>(Jobs.NewSweepId("clsweep"));
        var started = await sweep.Start(new SweepRequest(spec, Csv(24)));
        Assert.True(started.State == SweepState.Running, $"{started.State}: {started.Error}");
        var clock = Stopwatch.StartNew();
        SweepStatus status;
        while (!(status = await sweep.GetStatus()).IsFinished)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the sweep did not finish in 2 minutes");
            await Task.Delay(100);
        }

        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal([1, 2], status.Baselines!.Select(b => b.Horizon).Order());
        foreach (var baseline in status.Baselines!)
        {
            var split = SeriesWindows.Create([Series()], 0, 24, baseline.Horizon, "seasonal.csv");
            var expected = ClassicalBaselines.Evaluate(Series(), split, new ClassicalOptions(12, null, new ArimaOrder(1, 0, 0))).Figures;
            Assert.Equal(expected.Select(f => (f.Settings, f.ValidMse, f.TestMse)), baseline.Classical!.Select(c => (c.Settings, c.ValidMse, c.TestMse)));
        }
    }

    [Fact]
    public async Task Classical_settings_a_sweep_cannot_honour_are_refused_naming_the_specs_field()
    {
        const string spec = """{"model": "linear", "data": {"csv": "seasonal.csv", "column": "x", "window": 24, "season": 5000}, "space": {"epochs": 1}}""";
        var sweep = cluster.GrainFactory.GetGrain<ISweepGrain>(Jobs.NewSweepId("clbad"));

        var rejected = await sweep.Start(new SweepRequest(spec, Csv(24)));

        Assert.Equal(SweepState.Rejected, rejected.State);
        Assert.Equal("data.season", rejected.Error!.Field);
        Assert.Contains("5000 is out of range; allowed 1..", rejected.Error.Message);
    }
}
