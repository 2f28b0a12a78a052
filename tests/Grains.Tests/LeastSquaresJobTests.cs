using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// The least-squares linear baseline as a cluster job: on 2 shards it completes in one epoch with the in-process fit's
/// weights and figures, reports how it was fitted, and beats naive on the CO2 series; a non-linear model asking for it
/// is rejected naming --fit; a sweep on a CSV series fits its baseline by least squares and says so.
/// </summary>
[Collection(ClusterCollection.Name)]
public class LeastSquaresJobTests(ClusterFixture cluster)
{
    private static DataSpec Co2(int window = 50) =>
        new(0, "co2-concentration.csv", [CsvSeries.ReadColumn(Repository.ExampleData("co2-concentration.csv"), "CO2")], window, ["CO2"]);

    private static readonly TrainingSettings LeastSquares = new(Epochs: 1, LeastSquares: true);

    [Fact]
    public async Task A_least_squares_job_completes_in_one_epoch_with_the_in_process_fit_and_says_so()
    {
        var spec = Jobs.Spec("linear", LeastSquares, shards: 2) with { Data = Co2() };
        string id = Jobs.NewId("lsq");
        var started = await cluster.Job(id).Start(spec);
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var done = await Jobs.WaitUntilFinished(cluster.Job(id), TimeSpan.FromSeconds(60));
        Assert.True(done.State == JobState.Completed, Jobs.Describe(done));
        Assert.Equal("least squares", done.Fit);
        Assert.Equal((1, 1, 1L), (done.Epoch, done.Epochs, done.Step));

        var plan = JobPlan.From(spec);
        var local = Trainer.Train(plan.Model, plan.Data, plan.Options);
        Assert.Equal(local.WeightsHash, done.WeightsHash);
        var (valid, test) = ForecastFigures.Of(plan.Task, plan.Model, local, plan.Data, plan.Evaluation);
        Assert.Equal(valid, done.ValidMse!.Value, 9);
        Assert.Equal(test, done.TestMse!.Value, 9);
        Assert.Equal(ForecastFigures.NaiveMse(plan.Evaluation, plan.Evaluation.Valid), done.NaiveValidMse!.Value, 9);
        Assert.True(done.ValidMse <= done.NaiveValidMse, $"least squares {done.ValidMse} vs naive {done.NaiveValidMse}");
    }

    [Fact]
    public async Task A_network_asking_for_least_squares_is_rejected_naming_fit()
    {
        var rejected = await cluster.Job(Jobs.NewId("lsq-rnn")).Start(Jobs.Spec("deep-rnn", LeastSquares) with { Data = Co2() });
        Assert.Equal(JobState.Rejected, rejected.State);
        Assert.Equal((JobErrorKind.BadInput, "fit"), (rejected.Error?.Kind, rejected.Error?.Field));
    }

    [Fact]
    public async Task A_sweep_on_a_csv_series_fits_its_linear_baseline_by_least_squares()
    {
        const string spec = """{"model": "linear", "search": "grid", "space": {"learning_rate": 0.001, "epochs": 1}}""";
        var sweep = cluster.GrainFactory.GetGrain<ISweepGrain>(Jobs.NewSweepId("lsq-sweep"));
        var started = await sweep.Start(new SweepRequest(spec, Co2(window: 24)));
        Assert.True(started.State == SweepState.Running, $"{started.State}: {started.Error}");
        var clock = Stopwatch.StartNew();
        var status = await sweep.GetStatus();
        while (!status.IsFinished)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the sweep did not finish in a minute");
            await Task.Delay(100);
            status = await sweep.GetStatus();
        }
        Assert.Equal(SweepState.Completed, status.State);
        var baseline = Assert.Single(status.Baselines!);
        Assert.Equal("least squares", baseline.LinearFit);
        Assert.True(baseline.LinearValidMse <= baseline.NaiveValidMse, $"least squares {baseline.LinearValidMse} vs naive {baseline.NaiveValidMse}");
        // the baseline job is the trial's split fitted in closed form: the same figure in process
        var trialJob = TrialJobs.Spec(Numerics.Sweeps.SweepSpec.FromJson(spec), Co2(window: 24), Numerics.Sweeps.SweepPlan.Trials(Numerics.Sweeps.SweepSpec.FromJson(spec))[0]);
        var plan = JobPlan.From(TrialJobs.Baseline(trialJob, Numerics.Sweeps.SweepSpec.FromJson(spec)));
        Assert.True(plan.Options.LeastSquares);
        var local = Trainer.Train(plan.Model, plan.Data, plan.Options);
        Assert.Equal(ForecastFigures.Of(plan.Task, plan.Model, local, plan.Data, plan.Evaluation).Valid, baseline.LinearValidMse!.Value, 9);
    }
}
