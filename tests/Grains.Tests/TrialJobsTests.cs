using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A trial's job spec carries what its configuration sets: here early stopping's patience, and none when unset; what it
/// leaves unset is the chapter's setting, on a CSV series too.
/// </summary>
public class TrialJobsTests
{
    [Fact]
    public void A_trial_with_early_stopping_trains_with_that_patience_and_one_without_trains_every_epoch()
    {
        var spec = SweepSpec.FromJson("""{"model": "gru", "space": {"early_stopping": {"values": [3, 7]}, "epochs": 50}}""");
        var trials = SweepPlan.Trials(spec);

        Assert.Equal([3, 7], trials.Select(t => TrialJobs.Spec(spec, Jobs.ChapterData, t).Training.EarlyStoppingPatience));
        Assert.All(trials, t => Assert.Equal(50, TrialJobs.Spec(spec, Jobs.ChapterData, t).Training.Epochs));
        var plain = SweepSpec.FromJson("""{"model": "gru"}""");
        Assert.Null(TrialJobs.Spec(plain, Jobs.ChapterData, SweepPlan.Trials(plain)[0]).Training.EarlyStoppingPatience);
    }

    [Fact]
    public void A_trial_on_a_csv_series_leaves_unset_settings_at_the_chapters_not_at_trains_data_defaults()
    {
        var csv = new DataSpec(0, "series", [[.. Enumerable.Range(0, 200).Select(i => Math.Sin(i / 5.0))]], Window: 10, ColumnNames: ["x"]);
        var spec = SweepSpec.FromJson("""{"model": "seq2seq-rnn", "space": {"units": 8}}""");

        var training = TrialJobs.Spec(spec, csv, SweepPlan.Trials(spec)[0]).Training;

        Assert.Equal((20, 32, 0.01f), (training.Epochs, training.BatchSize, training.LearningRate));
        Assert.Null(training.EarlyStoppingPatience);
    }
}
