using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Grains.Tests;

/// <summary>A trial's job spec carries what its configuration sets: here early stopping's patience, and none when unset.</summary>
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
}
