using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Tests;

/// <summary>The chapter's figure for deep-rnn-dense (validation MSE 0.003), trained through the cluster on 4 shards.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Reproduction")]
public class ChapterFigureThroughClusterTests(ClusterFixture cluster)
{
    private const double ChapterValidMse = 0.003;

    [Fact]
    public async Task Deep_rnn_dense_on_4_shards_reaches_the_chapters_0_003()
    {
        var job = cluster.Job(Jobs.NewId("chapter-figure"));
        var started = await job.Start(Jobs.Spec("deep-rnn-dense", new TrainingSettings(Epochs: 20), shards: 4));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));

        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(5));

        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(20, finished.History.Length);
        Assert.Equal(20L * 219, finished.Step);
        Assert.NotNull(finished.ValidMse);
        double valid = finished.ValidMse.Value;
        Assert.True(valid <= 1.3 * ChapterValidMse, $"validation MSE {valid:0.000000} is above 1.3 x the chapter's {ChapterValidMse}");
        Assert.True(valid >= 0.5 * ChapterValidMse, $"validation MSE {valid:0.000000} is below half the chapter's {ChapterValidMse}: look for a leak");
        Assert.True(valid < finished.NaiveValidMse, $"validation MSE {valid:0.000000} does not beat the naive forecast's {finished.NaiveValidMse:0.000000}");
    }
}
