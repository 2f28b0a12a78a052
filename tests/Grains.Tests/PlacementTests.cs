using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Shard placement spreads jobs too: the offset from the job id keeps one-shard jobs (the default, and every linear
/// baseline) from all landing on the first silo. The ids are fixed, so the outcome is too.
/// </summary>
[Collection(ClusterCollection.Name)]
public class PlacementTests(ClusterFixture cluster)
{
    [Fact]
    public async Task One_shard_jobs_land_on_more_than_one_silo()
    {
        var silos = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            var job = cluster.Job($"placement-{i}");
            var started = await job.Start(Jobs.Spec("linear", new TrainingSettings(Epochs: 1)));
            Assert.True(started.State == JobState.Running, Jobs.Describe(started));
            silos.Add(Assert.Single(started.ShardSilos));
            await job.Cancel();
        }
        Assert.True(silos.Distinct().Count() >= 2, $"every one-shard job ran on {silos[0]}");
    }
}
