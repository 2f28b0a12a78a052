using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// The chapter's layer-normalised SimpleRNN cell: BPTT gradients (layer norm included) against finite differences,
/// the forward against the cell's equation in a plain double loop on Keras-layout arrays, Keras names and shapes,
/// initial values, row independence, and the spec's JSON.
/// </summary>
public class LnSimpleRnnTests
{
    // ---- gradients

    [Fact]
    public void Gradient_returning_the_last_state() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LnSimpleRnnSpec(5)]), Batch: 3, Steps: 7, Features: 2, Seed: 61));

    [Fact]
    public void Gradient_returning_sequences() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LnSimpleRnnSpec(4, ReturnSequences: true)]), Batch: 2, Steps: 6, Features: 3, Seed: 62));

    [Fact]
    public void Gradient_stacked_like_the_chapter() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LnSimpleRnnSpec(6, true), new LnSimpleRnnSpec(5, true), new DenseSpec(3)]),
            Batch: 2, Steps: 8, Features: 1, Seed: 63));

    [Fact]
    public void Gradient_stacked_to_a_vector() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LnSimpleRnnSpec(6, true), new LnSimpleRnnSpec(5), new DenseSpec(2)]),
            Batch: 3, Steps: 6, Features: 2, Seed: 64));

    [Fact]
    public void Gradient_with_one_unit_where_the_norm_is_constant() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LnSimpleRnnSpec(1, true)]), Batch: 2, Steps: 4, Features: 2, Seed: 65));

    [Fact]
    public void A_wrong_gamma_gradient_is_caught()
    {
        var c = new GradientCheck.Case(new ModelSpec([new LnSimpleRnnSpec(4)]), Batch: 2, Steps: 5, Features: 1, Seed: 66);
        int gammaAt = 4 + 16 + 4;
        var failures = GradientCheck.Failures(c, g => { g[gammaAt + 2] = -g[gammaAt + 2]; return g; });
        Assert.Single(failures);
        Assert.StartsWith("ln_simple_rnn/gamma[2]", failures[0]);
    }

    // ---- forward = the equation

    /// <summary>h_t = tanh(LayerNorm(x_t K + h_{t-1} R + b) gamma + beta) for every step, in double; [B, T, U].</summary>
    private static double[] Reference(float[] p, float[] x, int batch, int steps, int features, int units)
    {
        int F = features, U = units;
        int biasAt = F * U + U * U;
        var h = new double[batch * steps * U];
        for (int b = 0; b < batch; b++)
        {
            var previous = new double[U];
            for (int t = 0; t < steps; t++)
            {
                var z = new double[U];
                for (int j = 0; j < U; j++)
                {
                    z[j] = p[biasAt + j];
                    for (int i = 0; i < F; i++) z[j] += x[(b * steps + t) * F + i] * (double)p[i * U + j];
                    for (int i = 0; i < U; i++) z[j] += previous[i] * p[F * U + i * U + j];
                }
                double mean = z.Average();
                double variance = z.Select(v => (v - mean) * (v - mean)).Average();
                for (int j = 0; j < U; j++)
                {
                    double normalised = (z[j] - mean) / Math.Sqrt(variance + 1e-3);
                    previous[j] = Math.Tanh(normalised * p[biasAt + U + j] + p[biasAt + 2 * U + j]);
                    h[(b * steps + t) * U + j] = previous[j];
                }
            }
        }
        return h;
    }

    [Theory]
    [InlineData(1, 2, 5)]
    [InlineData(1, 1, 20)]
    [InlineData(6, 3, 4)]
    [InlineData(12, 1, 20)]
    public void Forward_is_the_cells_equation_on_keras_arrays(int steps, int features, int units)
    {
        const int B = 2;
        var sequences = new Network(new ModelSpec([new LnSimpleRnnSpec(units, ReturnSequences: true)]), steps, features, B);
        var last = new Network(new ModelSpec([new LnSimpleRnnSpec(units)]), steps, features, B);
        var random = new Random(70 + steps + units);
        var p = sequences.InitialParameters(4);
        // move bias, gamma and beta off their initial values so that each term of the equation shows
        for (int i = 0; i < p.Length; i++) p[i] += (float)(random.NextDouble() - 0.5) * 0.6f;
        var x = GradientCheck.Uniform(B * steps * features, random);
        var expected = Reference(p, x, B, steps, features, units);
        var y = sequences.Forward(p, x, B).ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-5); // float32 against double: a few ulp per term
        var yLast = last.Forward(p, x, B).ToArray();
        for (int b = 0; b < B; b++)
            for (int j = 0; j < units; j++)
                Assert.Equal(y[((b * steps) + steps - 1) * units + j], yLast[b * units + j]);
    }

    [Fact]
    public void One_step_by_hand()
    {
        // F = 1, U = 2, one step: z = x K + b = (1*1 + 0, 1*3 + 0) = (1, 3); mean 2, variance 1;
        // n = (-1, 1) / sqrt(1.001); h = tanh(n gamma + beta) with gamma = (1, 2), beta = (0, 0.5).
        var network = new Network(new ModelSpec([new LnSimpleRnnSpec(2)]), 1, 1, 1);
        float[] p = [1, 3, /* R */ 9, 9, 9, 9, /* b */ 0, 0, /* gamma */ 1, 2, /* beta */ 0, 0.5f];
        var y = network.Forward(p, [1f], 1).ToArray();
        double n = 1 / Math.Sqrt(1.001);
        Assert.Equal(Math.Tanh(-n), y[0], 1e-6);
        Assert.Equal(Math.Tanh(2 * n + 0.5), y[1], 1e-6);
    }

    // ---- shapes and initial values

    [Fact]
    public void Chapter_ln_rnn_has_keras_names_shapes_and_order()
    {
        var network = new Network(new ModelSpec([new LnSimpleRnnSpec(20, true), new LnSimpleRnnSpec(20, true), new DenseSpec(10)]), 50, 1, 1);
        var described = network.Views.Select(v => $"{v.Name} [{string.Join(", ", v.Shape)}] @{v.Offset}").ToArray();
        Assert.Equal(
        [
            "ln_simple_rnn/kernel [1, 20] @0", "ln_simple_rnn/recurrent_kernel [20, 20] @20", "ln_simple_rnn/bias [20] @420",
            "ln_simple_rnn/gamma [20] @440", "ln_simple_rnn/beta [20] @460",
            "ln_simple_rnn_1/kernel [20, 20] @480", "ln_simple_rnn_1/recurrent_kernel [20, 20] @880", "ln_simple_rnn_1/bias [20] @1280",
            "ln_simple_rnn_1/gamma [20] @1300", "ln_simple_rnn_1/beta [20] @1320",
            "dense/kernel [20, 10] @1340", "dense/bias [10] @1540",
        ], described);
        Assert.Equal(1550, network.ParameterCount);
        Assert.Equal(50, network.OutputSteps);
    }

    [Fact]
    public void Initial_values_are_kerass()
    {
        var network = new Network(new ModelSpec([new LnSimpleRnnSpec(20)]), 50, 3, 1);
        var p = network.InitialParameters(8);
        var view = network.Views.ToDictionary(v => v.Name, v => v.Of(p).ToArray());
        double limit = Math.Sqrt(6.0 / (3 + 20));
        Assert.All(view["ln_simple_rnn/kernel"], w => Assert.InRange(w, -limit, limit));
        var kernel = view["ln_simple_rnn/kernel"];
        Assert.True(kernel.Max() > 0.8 * limit && kernel.Min() < -0.8 * limit, "kernel does not span its glorot range");
        Assert.All(view["ln_simple_rnn/bias"], w => Assert.Equal(0f, w));
        Assert.All(view["ln_simple_rnn/gamma"], w => Assert.Equal(1f, w));
        Assert.All(view["ln_simple_rnn/beta"], w => Assert.Equal(0f, w));
        // orthogonal: R R^T = I
        var r = view["ln_simple_rnn/recurrent_kernel"];
        for (int i = 0; i < 20; i++)
            for (int j = 0; j < 20; j++)
            {
                double dot = 0;
                for (int k = 0; k < 20; k++) dot += (double)r[i * 20 + k] * r[j * 20 + k];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-5);
            }
    }

    // ---- determinism

    [Fact]
    public void A_sample_gives_the_same_bits_in_any_row_of_the_block()
    {
        const int B = 3, T = 9, F = 2;
        var network = new Network(new ModelSpec([new LnSimpleRnnSpec(7, true), new LnSimpleRnnSpec(5)]), T, F, B);
        var p = network.InitialParameters(10);
        var random = new Random(80);
        var x = GradientCheck.Uniform(B * T * F, random);
        var dOut = GradientCheck.Uniform(B * network.OutputSize, random);
        var block = network.Forward(p, x, B).ToArray();
        var dBlock = new float[p.Length];
        network.Backward(p, dOut, dBlock, B);
        var dxBlock = network.InputGradient[..(B * T * F)].ToArray();
        var dSum = new float[p.Length];
        for (int b = 0; b < B; b++)
        {
            var single = network.Forward(p, x.AsSpan(b * T * F, T * F), 1).ToArray();
            Assert.Equal(block.AsSpan(b * network.OutputSize, network.OutputSize).ToArray(), single);
            network.Backward(p, dOut.AsSpan(b * network.OutputSize, network.OutputSize), dSum, 1);
            Assert.Equal(dxBlock.AsSpan(b * T * F, T * F).ToArray(), network.InputGradient[..(T * F)].ToArray());
        }
        Assert.Equal(dBlock, dSum);
    }

    // ---- spec

    [Fact]
    public void Spec_json_names_settings_as_keras_and_round_trips()
    {
        var spec = new ModelSpec([new LnSimpleRnnSpec(20, ReturnSequences: true), new LnSimpleRnnSpec(20)]);
        string json = spec.ToJson();
        Assert.Equal("""{"layers":[{"type":"ln_simple_rnn","units":20,"return_sequences":true},{"type":"ln_simple_rnn","units":20,"return_sequences":false}]}""", json);
        var back = ModelSpec.FromJson(json);
        Assert.Equal(spec, back);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(new LnSimpleRnnSpec(3), ModelSpec.FromJson("""{"layers":[{"type":"ln_simple_rnn","units":3}]}""").Layers[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public void Bad_units_are_rejected_naming_the_layer(int units)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.FromJson($$"""{"layers":[{"type":"ln_simple_rnn","units":{{units}}}]}"""));
        Assert.Equal("model_file layer 0 (ln_simple_rnn)", e.Field);
        Assert.Contains("units", e.Message);
    }
}
