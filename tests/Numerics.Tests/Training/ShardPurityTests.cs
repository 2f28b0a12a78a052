using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>
/// A shard's answer for a step depends on that step alone, not on the steps it computed before: the cluster's recovery
/// asks a surviving shard for a step again, or for an earlier one (its coordinator went on from a checkpoint), and two
/// coordinators of one job may ask it in turns while a lost silo is noticed. Checked on the chapter's data, where the
/// epoch's last batch is short (buffers hold fewer samples than the call before filled).
/// </summary>
public class ShardPurityTests
{
    [Theory]
    [InlineData("deep-rnn")]
    [InlineData("seq2vec-rnn")]
    [InlineData("ln-rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("wavenet")]
    public void A_step_gives_the_same_bits_whatever_the_shard_computed_before(string name)
    {
        var entry = ModelCatalogue.Find(name);
        var spec = entry.Spec!;
        var train = (entry.Task.Kind == ForecastKind.Vector
            ? ChapterSeries.TenStep(42, entry.Task.TrainingHorizon)
            : ChapterSeries.SequenceToSequence(42, entry.Task.Horizon)).Train;
        var weights = new Network(spec, train.Steps, train.Features, 1).InitialParameters(42);
        int last = (train.Count - 1) / 32 * 32, lastLength = train.Count - last;
        Assert.InRange(lastLength, 1, 31);   // the short batch this test is about

        float[] After(params (int Epoch, int Start, int Length)[] calls)
        {
            var shard = new BatchShard(spec, train, 32, 42);
            foreach (var (epoch, start, length) in calls) shard.Compute(weights, epoch, start, length);
            return shard.GradientSum.ToArray();
        }

        var full = After((2, 0, 32));
        Assert.Equal(full, After((1, last, lastLength), (2, 0, 32)));
        Assert.Equal(full, After((2, 64, 32), (2, 0, 32)));
        Assert.Equal(full, After((2, 0, 32), (2, 0, 32)));
        var shortBatch = After((1, last, lastLength));
        Assert.Equal(shortBatch, After((2, 64, 32), (1, last, lastLength)));
        Assert.Equal(shortBatch, After((2, last, lastLength), (1, last, lastLength)));
        Assert.Equal(shortBatch, After((1, last, lastLength), (1, last, lastLength)));
    }
}
