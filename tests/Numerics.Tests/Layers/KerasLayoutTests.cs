using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// The flat vector holds each layer's weights as Keras names and shapes them, so Keras arrays can be copied in
/// and out; and the forward pass computes Keras's equations on that layout (checked against a plain double loop).
/// </summary>
public class KerasLayoutTests
{
    [Fact]
    public void Deep_rnn_dense_has_keras_names_shapes_and_order()
    {
        var network = new Network(ModelCatalogue.Find("deep-rnn-dense").Spec!, 50, 1, 4);
        var described = network.Views.Select(v => $"{v.Name} [{string.Join(", ", v.Shape)}] @{v.Offset}").ToArray();
        Assert.Equal(
        [
            "simple_rnn/kernel [1, 20] @0", "simple_rnn/recurrent_kernel [20, 20] @20", "simple_rnn/bias [20] @420",
            "simple_rnn_1/kernel [20, 20] @440", "simple_rnn_1/recurrent_kernel [20, 20] @840", "simple_rnn_1/bias [20] @1240",
            "dense/kernel [20, 1] @1260", "dense/bias [1] @1280",
        ], described);
        Assert.Equal(1281, network.ParameterCount);
    }

    [Fact]
    public void Simple_rnn_forward_is_kerass_equation_on_keras_arrays()
    {
        // h_t = tanh(x_t K + h_{t-1} R + b), K [F, U], R [U, U], row-major, as Keras stores them.
        const int F = 2, U = 3, T = 4;
        var network = new Network(new ModelSpec([new SimpleRnnSpec(U, ReturnSequences: true)]), T, F, 1);
        var random = new Random(11);
        var p = Enumerable.Range(0, network.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var x = Enumerable.Range(0, T * F).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = network.Forward(p, x, 1).ToArray();
        float[] K = p[..(F * U)], R = p[(F * U)..(F * U + U * U)], b = p[(F * U + U * U)..];
        var h = new double[U];
        for (int t = 0; t < T; t++)
        {
            var next = new double[U];
            for (int j = 0; j < U; j++)
            {
                double z = b[j];
                for (int i = 0; i < F; i++) z += x[t * F + i] * (double)K[i * U + j];
                for (int i = 0; i < U; i++) z += h[i] * R[i * U + j];
                next[j] = Math.Tanh(z);
            }
            h = next;
            for (int j = 0; j < U; j++) Assert.Equal(h[j], y[t * U + j], 5);
        }
    }

    [Fact]
    public void Dense_forward_is_x_times_kernel_plus_bias()
    {
        var network = new Network(new ModelSpec([new DenseSpec(2)]), 1, 3, 1);
        // kernel [3, 2] = ((1, 2), (3, 4), (5, 6)), bias [2] = (0.5, -0.5); x = (1, 0, -1): x K + b = (1-5+0.5, 2-6-0.5)
        float[] p = [1, 2, 3, 4, 5, 6, 0.5f, -0.5f];
        Assert.Equal([-3.5f, -4.5f], network.Forward(p, [1f, 0f, -1f], 1).ToArray());
    }
}
