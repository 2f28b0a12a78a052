using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Optim;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A job's default settings (the wire record's, which <c>train</c> and a sweep's trials take when not told) are the
/// in-process trainer's defaults, so a job and the trainer it is compared with train alike when neither is told.
/// </summary>
public class DefaultSettingsTests
{
    [Fact]
    public void A_jobs_default_settings_are_the_in_process_trainers_defaults()
    {
        var job = JobPlan.OptionsOf(new TrainingSettings());

        Assert.Equal(new TrainingOptions(Clipping: new GradientClipping()), job);
        Assert.Equal((20, 32, 1e-3f, 42u), (job.Epochs, job.BatchSize, job.LearningRate, job.Seed));   // the chapter's epochs and seed, Keras's batch, Adam's rate
    }
}
