using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>Finite differences against backpropagation, for every layer kind and the MSE loss (see <see cref="GradientCheck"/>).</summary>
public class GradientCheckTests
{
    [Fact]
    public void Dense_on_one_step() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new DenseSpec(3)]), Batch: 3, Steps: 1, Features: 4, Seed: 1));

    [Fact]
    public void Dense_on_every_step() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new DenseSpec(2)]), Batch: 2, Steps: 5, Features: 3, Seed: 2));

    [Fact]
    public void Flatten_then_dense() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new FlattenSpec(), new DenseSpec(2)]), Batch: 4, Steps: 6, Features: 2, Seed: 3));

    [Fact]
    public void SimpleRnn_returning_the_last_state() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new SimpleRnnSpec(5)]), Batch: 3, Steps: 7, Features: 2, Seed: 4));

    [Fact]
    public void SimpleRnn_returning_sequences() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new SimpleRnnSpec(4, ReturnSequences: true)]), Batch: 2, Steps: 6, Features: 3, Seed: 5));

    [Fact]
    public void Deep_rnn_stack() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new SimpleRnnSpec(6, true), new SimpleRnnSpec(5, true), new SimpleRnnSpec(1)]),
            Batch: 4, Steps: 8, Features: 1, Seed: 6));

    [Fact]
    public void Deep_rnn_with_dense_head() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new SimpleRnnSpec(6, true), new SimpleRnnSpec(5), new DenseSpec(2)]),
            Batch: 3, Steps: 8, Features: 2, Seed: 7));

    [Fact]
    public void A_wrong_gradient_is_caught()
    {
        // The check itself must be able to fail: flip the sign of one recurrent-kernel gradient entry.
        var c = new GradientCheck.Case(new ModelSpec([new SimpleRnnSpec(4)]), Batch: 2, Steps: 5, Features: 1, Seed: 8);
        var failures = GradientCheck.Failures(c, g => { g[4 + 5] = -g[4 + 5]; return g; });
        Assert.Single(failures);
        Assert.StartsWith("simple_rnn/recurrent_kernel[5]", failures[0]);
    }
}
