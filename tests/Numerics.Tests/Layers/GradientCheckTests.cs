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

    // blocks of 16 samples or more run batch-minor, where adjacent recurrent layers hand over x^T and dx^T as they are
    // (Recurrent.Previous): a stack of every cell kind, returning sequences and the last step
    [Fact]
    public void Stacked_recurrent_layers_in_a_batch_minor_block() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new GruSpec(3, true), new LstmSpec(3, true), new LnSimpleRnnSpec(3, true), new SimpleRnnSpec(2), new DenseSpec(2)]),
            Batch: 16, Steps: 4, Features: 2, Seed: 8));

    // ... and with input and recurrent dropout on the later layers (x masked sample-major: no hand-over there)
    [Fact]
    public void Stacked_recurrent_layers_with_dropout_in_a_batch_minor_block() =>
        Assert.Empty(GradientCheck.Failures(new(new ModelSpec([new SimpleRnnSpec(3, true, RecurrentDropout: 0.3f), new GruSpec(3, true, Dropout: 0.3f), new LstmSpec(2)]),
            Batch: 16, Steps: 4, Features: 2, Seed: 9), training: true));

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
