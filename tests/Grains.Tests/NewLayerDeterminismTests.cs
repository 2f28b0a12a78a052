using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// The later layers keep the cluster's promise too, dropout included: its masks are functions of the seed, the epoch
/// and the global sample index, so a sample gets the same masks on whichever shard computes it. A sequence-to-sequence
/// stack of Conv1D, LSTM and GRU with dropout and recurrent_dropout, and the layer-normalised cell, one epoch.
/// </summary>
[Collection(ClusterCollection.Name)]
public class NewLayerDeterminismTests(ClusterFixture cluster)
{
    private static readonly ModelSpec Stack = new(
    [
        new Conv1DSpec(8, 2, Padding: "causal", Activation: "relu"),
        new LstmSpec(8, ReturnSequences: true, Dropout: 0.2f, RecurrentDropout: 0.2f),
        new GruSpec(8, ReturnSequences: true, Dropout: 0.1f, RecurrentDropout: 0.1f),
        new LnSimpleRnnSpec(8, ReturnSequences: true),
        new DenseSpec(10),
    ]);

    private static readonly TrainingSettings Settings = new(Epochs: 1, Seed: 7, RecordStepHashes: true);

    private static readonly Lazy<string[]> Local = new(() =>
    {
        var hashes = new List<string>();
        var data = new ForecastTask(ForecastKind.Sequence, 10).TrainingData(new ChapterSource(42));
        Trainer.Train(Stack, data, Jobs.Options(Settings), afterStep: (_, w) => hashes.Add(WeightsHash.Of(w)));
        return hashes.ToArray();
    });

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Every_step_is_bitwise_the_local_trainers_with_dropout(int shards)
    {
        var job = cluster.Job(Jobs.NewId($"new-layers-{shards}"));
        var spec = new JobSpec("stack", Stack.ToJson(), Jobs.ChapterData, Settings, shards, new TaskSpec(Horizon: 10, Sequence: true));
        var started = await job.Start(spec);
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var status = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(3));
        Assert.True(status.State == JobState.Completed, Jobs.Describe(status));
        Assert.Equal(219, Local.Value.Length);
        Assert.Equal(Local.Value, status.StepHashes);
    }
}
