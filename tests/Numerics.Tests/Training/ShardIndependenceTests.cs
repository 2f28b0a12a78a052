using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>
/// Training does not depend on how a batch is split over shards: 1, 4 or 8 shards of a 32-sample batch run the
/// recurrent layers in blocks of 32, 8 or 4 samples (batch-minor products for the large block, sample-major ones for the
/// small), and the tree of shard sums gives the same gradients, so the same weights, bit for bit, for every cell.
/// </summary>
public class ShardIndependenceTests
{
    private const int BatchSize = 32;
    private const uint Seed = 7;

    public static TheoryData<string> Cells => ["simple_rnn", "lstm", "gru", "ln_simple_rnn", "lstm_dropout", "gru_dropout"];

    private static ModelSpec Model(string cell) => cell switch
    {
        "simple_rnn" => new ModelSpec([new SimpleRnnSpec(8, true), new SimpleRnnSpec(8), new DenseSpec(1)]),
        "lstm" => new ModelSpec([new LstmSpec(8, true), new LstmSpec(8), new DenseSpec(1)]),
        "gru" => new ModelSpec([new GruSpec(8, true), new GruSpec(8), new DenseSpec(1)]),
        "ln_simple_rnn" => new ModelSpec([new LnSimpleRnnSpec(8, true), new LnSimpleRnnSpec(8), new DenseSpec(1)]),
        "lstm_dropout" => new ModelSpec([new LstmSpec(8, true, 0.2f, 0.3f), new LstmSpec(8, false, 0.1f, 0.2f), new DenseSpec(1)]),
        "gru_dropout" => new ModelSpec([new GruSpec(8, true, 0.2f, 0.3f), new GruSpec(8, false, 0.1f, 0.2f), new DenseSpec(1)]),
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, null),
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Weights_after_training_do_not_depend_on_the_shard_count(string cell)
    {
        var spec = Model(cell);
        var one = Train(spec, 1);
        Assert.Equal(Bits(one), Bits(Train(spec, 4)));
        Assert.Equal(Bits(one), Bits(Train(spec, 8)));
    }

    // a few SGD steps over two epochs (the last batch short), the shards' sums reduced along the gradient tree
    private static float[] Train(ModelSpec spec, int shards)
    {
        var train = TestData.Sines(80, 12, 1);
        var weights = new Network(spec, train.Steps, train.Features, 1).InitialParameters(Seed);
        var parts = Enumerable.Range(0, shards).Select(k => new BatchShard(spec, train, BatchSize, Seed, k, shards)).ToArray();
        var sums = new float[shards][];
        var losses = new double[shards];
        for (int epoch = 1; epoch <= 2; epoch++)
            for (int start = 0; start < train.Count; start += BatchSize)
            {
                int length = Math.Min(BatchSize, train.Count - start), present = 0;
                for (int k = 0; k < shards; k++)
                {
                    sums[k] = new float[weights.Length];
                    losses[k] = 0;
                    if (parts[k].Compute(weights, epoch, start, length) == 0) continue;
                    parts[k].GradientSum.CopyTo(sums[k]);
                    losses[k] = parts[k].LossSum;
                    present = k + 1;
                }
                GradientTree.Reduce(sums, losses, present);
                for (int i = 0; i < weights.Length; i++) weights[i] -= 0.05f * sums[0][i] / length;
            }
        return weights;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
