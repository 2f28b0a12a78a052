using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

public class GradientTreeTests
{
    [Theory]
    [InlineData(32, 8)]
    [InlineData(24, 8)]
    [InlineData(30, 8)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(33, 16)]
    public void Slot_count_is_the_batchs_micro_shards_rounded_up_to_a_power_of_two(int batch, int slots) =>
        Assert.Equal(slots, GradientTree.SlotCount(batch));

    [Fact]
    public void Empty_slots_are_skipped_not_added_as_zero()
    {
        // -0.0 + 0.0 = +0.0: a lone left leaf holding -0.0 must reach the root unchanged.
        float[][] g = [[-0f], [0f], [0f], [0f]];
        double[] loss = [1, 0, 0, 0];
        GradientTree.Reduce(g, loss, present: 1);
        Assert.True(float.IsNegative(g[0][0]));
    }

    [Fact]
    public void Nodes_are_left_plus_right_in_a_fixed_tree()
    {
        // With 3 leaves a, b, c of 4 slots the root is (a + b) + c, which differs from a + (b + c) in float.
        float a = 1e8f, b = -1e8f, c = 1f;
        Assert.NotEqual((a + b) + c, a + (b + c));
        float[][] g = [[a], [b], [c], [0f]];
        GradientTree.Reduce(g, new double[4], present: 3);
        Assert.Equal((a + b) + c, g[0][0]);
        // And with leaves b, c, a: (b + c) + a.
        g = [[b], [c], [a], [0f]];
        GradientTree.Reduce(g, new double[4], present: 3);
        Assert.Equal((b + c) + a, g[0][0]);
        // 4 leaves tell the tree from a running sum: (1e8 + 1) + (-1e8 + 1) = 0 in float, ((1e8 + 1) - 1e8) + 1 = 1.
        g = [[1e8f], [1f], [-1e8f], [1f]];
        GradientTree.Reduce(g, new double[4], present: 4);
        Assert.Equal(0f, g[0][0]);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(24)]
    [InlineData(13)]
    [InlineData(3)]
    public void Subtree_sums_reduced_again_give_the_bits_of_the_whole_tree(int batchLength)
    {
        // What a cluster of 1, 2, 4 or 8 workers does: each computes an aligned subtree of the batch-32 tree, and
        // the coordinator reduces their sums with the upper part of the same tree.
        var data = TestData.Sines(64, 10, 5);
        var spec = new ModelSpec([new SimpleRnnSpec(6, true), new SimpleRnnSpec(5), new DenseSpec(1)]);
        int slots = GradientTree.SlotCount(32);
        var whole = new SubtreeGradients(spec, 10, 1, 1, slots);
        var parameters = whole.Network.InitialParameters(9);
        var batch = Enumerable.Range(0, batchLength).Select(i => (i * 37) % 64).ToArray();
        whole.Compute(parameters, data, batch, 0);
        var expected = whole.GradientSum.ToArray();
        double expectedLoss = whole.LossSum;

        foreach (int workers in new[] { 1, 2, 4, 8 })
        {
            int size = slots / workers;
            var sums = new float[workers][];
            var losses = new double[workers];
            int present = 0;
            // any arrival order: compute the workers back to front
            for (int k = workers - 1; k >= 0; k--)
            {
                var worker = new SubtreeGradients(spec, 10, 1, 1, size);
                int leaves = worker.Compute(parameters, data, batch, k * size);
                sums[k] = leaves > 0 ? worker.GradientSum.ToArray() : new float[parameters.Length];
                losses[k] = worker.LossSum;
                if (leaves > 0) present = Math.Max(present, k + 1);
            }
            GradientTree.Reduce(sums, losses, present);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), sums[0].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(losses[0]));
        }
    }

    [Fact]
    public void A_micro_shards_sum_does_not_depend_on_its_slot_or_its_neighbours()
    {
        // Samples 2, 5, 7, 1 as micro-shard 0 of one batch and as micro-shard 3 of another batch with other
        // neighbours: the same bits.
        var data = TestData.Sines(16, 10, 6);
        var spec = new ModelSpec([new SimpleRnnSpec(7, true), new SimpleRnnSpec(3), new DenseSpec(1)]);
        var tree = new SubtreeGradients(spec, 10, 1, 1, 1);
        var parameters = tree.Network.InitialParameters(3);
        tree.Compute(parameters, data, new[] { 2, 5, 7, 1, 0, 3 }, 0);
        var first = tree.GradientSum.ToArray();
        double firstLoss = tree.LossSum;
        tree.Compute(parameters, data, new[] { 9, 8, 10, 11, 12, 13, 14, 15, 0, 3, 4, 6, 2, 5, 7, 1 }, 3);
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), tree.GradientSum.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(firstLoss, tree.LossSum);
    }
}
