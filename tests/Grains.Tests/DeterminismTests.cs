using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// The cluster's promise: the weights after every step are bitwise those of the local trainer with the same seed,
/// however many shards split each batch and on however many silos they run. One epoch of deep-rnn-dense on the
/// chapter's data: 219 steps, the last a short batch of 24 samples (6 of the tree's 8 slots filled).
/// </summary>
[Collection(ClusterCollection.Name)]
public class DeterminismTests(ClusterFixture cluster)
{
    private const string ModelName = "deep-rnn-dense";
    private static readonly TrainingSettings Settings = new(Epochs: 1, BatchSize: 32, LearningRate: 1e-3f, Seed: 42, RecordStepHashes: true);

    private sealed record LocalRun(string[] StepHashes, string FinalHash, double ValidMse, double TestMse);

    private static readonly Lazy<LocalRun> Local = new(() =>
    {
        var hashes = new List<string>();
        var data = Jobs.Chapter;
        var result = Trainer.Train(Jobs.Model(ModelName), data, Jobs.Options(Settings), afterStep: (_, weights) => hashes.Add(WeightsHash.Of(weights)));
        double scale2 = data.TargetScale * data.TargetScale;
        return new LocalRun(hashes.ToArray(), result.WeightsHash, result.ValidMse * scale2, result.TestMse * scale2);
    });

    [Fact]
    public void The_local_reference_has_219_steps_ending_in_a_short_batch()
    {
        Assert.Equal(7000, Jobs.Chapter.Train.Count);
        Assert.Equal(24, Jobs.Chapter.Train.Count % Settings.BatchSize);
        Assert.Equal(219, Local.Value.StepHashes.Length);
        Assert.Equal(Local.Value.FinalHash, Local.Value.StepHashes[^1]);
        // Every step changes the weights: a list of equal hashes would make the comparison below meaningless.
        Assert.Equal(219, Local.Value.StepHashes.Distinct().Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Every_step_is_bitwise_the_local_trainers(int shards)
    {
        var local = Local.Value;
        string jobId = Jobs.NewId($"determinism-{shards}");
        var job = cluster.Job(jobId);

        var started = await job.Start(Jobs.Spec(ModelName, Settings, shards));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var status = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(3));

        Assert.True(status.State == JobState.Completed, Jobs.Describe(status));
        Assert.Equal(219, status.Step);
        Assert.Equal(1, status.Epoch);
        Assert.NotNull(status.StepHashes);
        var firstDifference = Enumerable.Range(0, Math.Min(local.StepHashes.Length, status.StepHashes.Length))
            .FirstOrDefault(i => local.StepHashes[i] != status.StepHashes[i], -1);
        Assert.True(firstDifference < 0, $"{shards} shard(s): step {firstDifference + 1} differs from the local trainer");
        Assert.Equal(local.StepHashes, status.StepHashes);
        Assert.Equal(local.FinalHash, status.WeightsHash);
        Assert.Equal(local.ValidMse, status.ValidMse);
        Assert.Equal(local.TestMse, status.TestMse);

        Assert.Equal(shards, status.ShardSilos.Length);
        int expectedSilos = Math.Min(shards, ClusterFixture.SiloCount);
        Assert.Equal(expectedSilos, status.ShardSilos.Distinct().Count());
    }
}
