using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// LSTM and GRU (Keras's equations, layouts, initialisers, BPTT gradients) and dropout / recurrent_dropout on
/// SimpleRNN, LSTM and GRU (training only, one mask per sequence, a function of seed, epoch and sample id).
/// </summary>
public class LstmGruTests
{
    private static void AssertPassesInTraining(GradientCheck.Case c)
    {
        var failures = GradientCheck.Failures(c, training: true);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static float[] RandomValues(int n, int seed, double scale = 1) => GradientCheck.Uniform(n, new Random(seed), scale);

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    // ---- gradient checks (finite differences, see GradientCheck) ----

    [Fact]
    public void Lstm_gradients_returning_the_last_state() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LstmSpec(4)]), Batch: 3, Steps: 6, Features: 2, Seed: 21));

    [Fact]
    public void Lstm_gradients_returning_sequences() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LstmSpec(3, ReturnSequences: true)]), Batch: 2, Steps: 5, Features: 3, Seed: 22));

    [Fact]
    public void Lstm_lstm_dense_stack_gradients() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LstmSpec(5, true), new LstmSpec(4), new DenseSpec(2)]),
            Batch: 3, Steps: 7, Features: 2, Seed: 23));

    [Fact]
    public void Lstm_lstm_dense_on_every_step_gradients() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new LstmSpec(4, true), new LstmSpec(3, true), new DenseSpec(2)]),
            Batch: 2, Steps: 6, Features: 1, Seed: 24));

    [Fact]
    public void Gru_gradients_returning_the_last_state() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new GruSpec(4)]), Batch: 3, Steps: 6, Features: 2, Seed: 25));

    [Fact]
    public void Gru_gradients_returning_sequences() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new GruSpec(3, ReturnSequences: true)]), Batch: 2, Steps: 5, Features: 3, Seed: 26));

    [Fact]
    public void Gru_gru_dense_stack_gradients() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new GruSpec(5, true), new GruSpec(4), new DenseSpec(2)]),
            Batch: 3, Steps: 7, Features: 2, Seed: 27));

    [Fact]
    public void Gru_gru_dense_on_every_step_gradients() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new GruSpec(4, true), new GruSpec(3, true), new DenseSpec(2)]),
            Batch: 2, Steps: 6, Features: 1, Seed: 28));

    [Fact]
    public void A_wrong_lstm_gradient_is_caught()
    {
        // Flip the sign of the gradient of the first forget-gate bias (lstm/bias[U]), F = 1, U = 3: offset 12 + 36 + 3.
        var c = new GradientCheck.Case(new ModelSpec([new LstmSpec(3)]), Batch: 2, Steps: 5, Features: 1, Seed: 29);
        var failures = GradientCheck.Failures(c, g => { g[12 + 36 + 3] = -g[12 + 36 + 3]; return g; });
        Assert.Single(failures);
        Assert.StartsWith("lstm/bias[3]", failures[0]);
    }

    // ---- gradient checks in training mode, with the dropout masks fixed by (seed, epoch, sample ids) ----

    [Fact]
    public void Simple_rnn_dropout_gradients() =>
        AssertPassesInTraining(new(new ModelSpec([new SimpleRnnSpec(5, true, Dropout: 0.3f, RecurrentDropout: 0.4f),
            new SimpleRnnSpec(4, Dropout: 0.25f, RecurrentDropout: 0.3f), new DenseSpec(2)]), Batch: 3, Steps: 6, Features: 3, Seed: 31));

    [Fact]
    public void Lstm_dropout_gradients() =>
        AssertPassesInTraining(new(new ModelSpec([new LstmSpec(5, true, Dropout: 0.3f, RecurrentDropout: 0.4f),
            new LstmSpec(4, Dropout: 0.25f, RecurrentDropout: 0.3f), new DenseSpec(2)]), Batch: 3, Steps: 6, Features: 3, Seed: 32));

    [Fact]
    public void Gru_dropout_gradients() =>
        AssertPassesInTraining(new(new ModelSpec([new GruSpec(5, true, Dropout: 0.3f, RecurrentDropout: 0.4f),
            new GruSpec(4, true, Dropout: 0.25f, RecurrentDropout: 0.3f), new DenseSpec(2)]), Batch: 3, Steps: 6, Features: 3, Seed: 33));

    [Fact]
    public void A_wrong_gradient_is_caught_in_training_mode()
    {
        // Simple RNN, F = 2, U = 3 with both dropouts: flip recurrent_kernel[4] (offset 6 + 4).
        var c = new GradientCheck.Case(new ModelSpec([new SimpleRnnSpec(3, Dropout: 0.2f, RecurrentDropout: 0.2f)]),
            Batch: 2, Steps: 5, Features: 2, Seed: 34);
        Assert.Empty(GradientCheck.Failures(c, training: true));
        var failures = GradientCheck.Failures(c, g => { g[6 + 4] = -g[6 + 4]; return g; }, training: true);
        Assert.Single(failures);
        Assert.StartsWith("simple_rnn/recurrent_kernel[4]", failures[0]);
    }

    // ---- forward = Keras's equations on Keras-layout arrays ----

    [Fact]
    public void Lstm_forward_is_kerass_equation_on_keras_arrays()
    {
        // z = x_t K + h_{t-1} R + b, gates i, f, c, o; c_t = σ(f) c_{t-1} + σ(i) tanh(c~); h_t = σ(o) tanh(c_t).
        const int F = 2, U = 3, T = 5, B = 2, G = 4 * U;
        var network = new Network(new ModelSpec([new LstmSpec(U, ReturnSequences: true)]), T, F, B);
        var p = RandomValues(network.ParameterCount, 41, 0.8);
        var x = RandomValues(B * T * F, 42);
        var y = network.Forward(p, x, B).ToArray();
        float[] K = p[..(F * G)], R = p[(F * G)..(F * G + U * G)], bias = p[(F * G + U * G)..];
        Assert.Equal(G, bias.Length);
        for (int s = 0; s < B; s++)
        {
            var h = new double[U];
            var c = new double[U];
            for (int t = 0; t < T; t++)
            {
                var z = new double[G];
                for (int j = 0; j < G; j++)
                {
                    z[j] = bias[j];
                    for (int i = 0; i < F; i++) z[j] += x[(s * T + t) * F + i] * (double)K[i * G + j];
                    for (int i = 0; i < U; i++) z[j] += h[i] * R[i * G + j];
                }
                for (int j = 0; j < U; j++)
                {
                    c[j] = Sigmoid(z[U + j]) * c[j] + Sigmoid(z[j]) * Math.Tanh(z[2 * U + j]);
                    h[j] = Sigmoid(z[3 * U + j]) * Math.Tanh(c[j]);
                }
                for (int j = 0; j < U; j++) Assert.Equal(h[j], y[(s * T + t) * U + j], 5);
            }
        }
    }

    [Fact]
    public void Gru_forward_is_kerass_equation_on_keras_arrays()
    {
        // reset_after: xz, xr, xh = x_t K + b[0]; rz, rr, rh = h_{t-1} R + b[1];
        // z = σ(xz + rz), r = σ(xr + rr), h~ = tanh(xh + r rh), h_t = z h_{t-1} + (1 - z) h~.
        const int F = 2, U = 3, T = 5, B = 2, G = 3 * U;
        var network = new Network(new ModelSpec([new GruSpec(U, ReturnSequences: true)]), T, F, B);
        var p = RandomValues(network.ParameterCount, 43, 0.8);
        var x = RandomValues(B * T * F, 44);
        var y = network.Forward(p, x, B).ToArray();
        float[] K = p[..(F * G)], R = p[(F * G)..(F * G + U * G)], bias = p[(F * G + U * G)..];
        Assert.Equal(2 * G, bias.Length);
        for (int s = 0; s < B; s++)
        {
            var h = new double[U];
            for (int t = 0; t < T; t++)
            {
                var xg = new double[G];
                var rg = new double[G];
                for (int j = 0; j < G; j++)
                {
                    xg[j] = bias[j];
                    for (int i = 0; i < F; i++) xg[j] += x[(s * T + t) * F + i] * (double)K[i * G + j];
                    rg[j] = bias[G + j];
                    for (int i = 0; i < U; i++) rg[j] += h[i] * R[i * G + j];
                }
                var next = new double[U];
                for (int j = 0; j < U; j++)
                {
                    double z = Sigmoid(xg[j] + rg[j]), r = Sigmoid(xg[U + j] + rg[U + j]);
                    double hc = Math.Tanh(xg[2 * U + j] + r * rg[2 * U + j]);
                    next[j] = z * h[j] + (1 - z) * hc;
                }
                h = next;
                for (int j = 0; j < U; j++) Assert.Equal(h[j], y[(s * T + t) * U + j], 5);
            }
        }
    }

    [Fact]
    public void Returning_the_last_state_gives_the_last_step_of_the_sequence()
    {
        const int F = 2, U = 4, T = 6, B = 3;
        foreach (var (seq, last) in new (LayerSpec, LayerSpec)[] { (new LstmSpec(U, true), new LstmSpec(U)), (new GruSpec(U, true), new GruSpec(U)) })
        {
            var all = new Network(new ModelSpec([seq]), T, F, B);
            var final = new Network(new ModelSpec([last]), T, F, B);
            var p = all.InitialParameters(5);
            var x = RandomValues(B * T * F, 45);
            var ys = all.Forward(p, x, B).ToArray();
            var yl = final.Forward(p, x, B).ToArray();
            for (int s = 0; s < B; s++)
                Assert.Equal(ys.AsSpan((s * T + T - 1) * U, U).ToArray(), yl.AsSpan(s * U, U).ToArray());
        }
    }

    // ---- names, shapes, initialisation ----

    [Fact]
    public void Lstm_and_gru_have_keras_names_shapes_and_order()
    {
        var lstm = new Network(new ModelSpec([new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(10)]), 50, 1, 4);
        Assert.Equal(
        [
            "lstm/kernel [1, 80] @0", "lstm/recurrent_kernel [20, 80] @80", "lstm/bias [80] @1680",
            "lstm_1/kernel [20, 80] @1760", "lstm_1/recurrent_kernel [20, 80] @3360", "lstm_1/bias [80] @4960",
            "dense/kernel [20, 10] @5040", "dense/bias [10] @5240",
        ], lstm.Views.Select(v => $"{v.Name} [{string.Join(", ", v.Shape)}] @{v.Offset}").ToArray());
        Assert.Equal(5250, lstm.ParameterCount);

        var gru = new Network(new ModelSpec([new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]), 50, 1, 4);
        Assert.Equal(
        [
            "gru/kernel [1, 60] @0", "gru/recurrent_kernel [20, 60] @60", "gru/bias [2, 60] @1260",
            "gru_1/kernel [20, 60] @1380", "gru_1/recurrent_kernel [20, 60] @2580", "gru_1/bias [2, 60] @3780",
            "dense/kernel [20, 10] @3900", "dense/bias [10] @4100",
        ], gru.Views.Select(v => $"{v.Name} [{string.Join(", ", v.Shape)}] @{v.Offset}").ToArray());
        Assert.Equal(4110, gru.ParameterCount); // Keras: GRU(20) on 1 feature has 1380 weights, on 20 features 2520
    }

    private static void AssertOrthonormalRows(float[] w, int rows, int cols)
    {
        for (int a = 0; a < rows; a++)
            for (int b = 0; b < rows; b++)
            {
                double dot = 0;
                for (int k = 0; k < cols; k++) dot += (double)w[a * cols + k] * w[b * cols + k];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
    }

    [Fact]
    public void Lstm_initialisation_is_kerass()
    {
        const int F = 3, U = 20, G = 4 * U;
        var network = new Network(new ModelSpec([new LstmSpec(U)]), 5, F, 1);
        var p = network.InitialParameters(42);
        var views = network.Views.ToDictionary(v => v.Name);
        var kernel = views["lstm/kernel"].Of(p).ToArray();
        double limit = Math.Sqrt(6.0 / (F + G));
        Assert.All(kernel, w => Assert.InRange(w, -limit, limit));
        Assert.True(kernel.Max() > 0.8 * limit && kernel.Min() < -0.8 * limit, "kernel does not span its glorot range");
        AssertOrthonormalRows(views["lstm/recurrent_kernel"].Of(p).ToArray(), U, G);
        var bias = views["lstm/bias"].Of(p).ToArray();
        Assert.All(bias[..U], b => Assert.Equal(0f, b));
        Assert.All(bias[U..(2 * U)], b => Assert.Equal(1f, b)); // unit_forget_bias
        Assert.All(bias[(2 * U)..], b => Assert.Equal(0f, b));
        Assert.Equal(p, network.InitialParameters(42));
        Assert.NotEqual(p, network.InitialParameters(43));
    }

    [Fact]
    public void Gru_initialisation_is_kerass()
    {
        const int F = 3, U = 20, G = 3 * U;
        var network = new Network(new ModelSpec([new GruSpec(U)]), 5, F, 1);
        var p = network.InitialParameters(42);
        var views = network.Views.ToDictionary(v => v.Name);
        var kernel = views["gru/kernel"].Of(p).ToArray();
        double limit = Math.Sqrt(6.0 / (F + G));
        Assert.All(kernel, w => Assert.InRange(w, -limit, limit));
        Assert.True(kernel.Max() > 0.8 * limit && kernel.Min() < -0.8 * limit, "kernel does not span its glorot range");
        AssertOrthonormalRows(views["gru/recurrent_kernel"].Of(p).ToArray(), U, G);
        Assert.All(views["gru/bias"].Of(p).ToArray(), b => Assert.Equal(0f, b));
    }

    // ---- dropout ----

    public static IEnumerable<object[]> DropoutKinds =>
    [
        ["simple_rnn"], ["lstm"], ["gru"],
    ];

    private static LayerSpec Recurrent(string kind, int units, bool sequences, float dropout, float recurrentDropout) => kind switch
    {
        "simple_rnn" => new SimpleRnnSpec(units, sequences, dropout, recurrentDropout),
        "lstm" => new LstmSpec(units, sequences, dropout, recurrentDropout),
        "gru" => new GruSpec(units, sequences, dropout, recurrentDropout),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Network DropoutNetwork(string kind, float dropout, float recurrentDropout, int batch) =>
        new(new ModelSpec([Recurrent(kind, 6, true, dropout, recurrentDropout), Recurrent(kind, 5, false, dropout, recurrentDropout),
            new DenseSpec(2)]), Steps, Features, batch);

    private const int Steps = 7, Features = 4;

    private static void SetTraining(Network network, uint seed, int epoch, params int[] sampleIds)
    {
        network.Context.Training = true;
        network.Context.Seed = seed;
        network.Context.Epoch = epoch;
        sampleIds.CopyTo(network.Context.SampleIds, 0);
    }

    [Theory]
    [MemberData(nameof(DropoutKinds))]
    public void Inference_output_does_not_depend_on_the_dropout_rates(string kind)
    {
        var plain = DropoutNetwork(kind, 0, 0, 3);
        var dropped = DropoutNetwork(kind, 0.5f, 0.3f, 3);
        var p = plain.InitialParameters(7);
        var x = RandomValues(3 * Steps * Features, 51);
        var expected = plain.Forward(p, x, 3).ToArray();
        Assert.Equal(expected, dropped.Forward(p, x, 3).ToArray());
        // and training without dropout is inference
        SetTraining(plain, 1, 2, 10, 11, 12);
        Assert.Equal(expected, plain.Forward(p, x, 3).ToArray());
    }

    [Theory]
    [MemberData(nameof(DropoutKinds))]
    public void Training_masks_differ_between_samples_and_epochs(string kind)
    {
        foreach (var (dropout, recurrentDropout) in new[] { (0.5f, 0f), (0f, 0.5f) })
        {
            var network = DropoutNetwork(kind, dropout, recurrentDropout, 2);
            var p = network.InitialParameters(8);
            var one = RandomValues(Steps * Features, 52);
            var x = one.Concat(one).ToArray(); // the same sequence in both rows
            var inference = network.Forward(p, x, 2).ToArray();
            SetTraining(network, 3, 0, 100, 101);
            var epoch0 = network.Forward(p, x, 2).ToArray();
            Assert.NotEqual(inference[..2], epoch0[..2]);
            Assert.NotEqual(epoch0[..2], epoch0[2..]); // two samples, two masks
            SetTraining(network, 3, 1, 100, 101);
            var epoch1 = network.Forward(p, x, 2).ToArray();
            Assert.NotEqual(epoch0[..2], epoch1[..2]); // another epoch, another mask
            SetTraining(network, 4, 0, 100, 101);
            Assert.NotEqual(epoch0[..2], network.Forward(p, x, 2).ToArray()[..2]); // another seed
            SetTraining(network, 3, 0, 100, 101);
            Assert.Equal(epoch0, network.Forward(p, x, 2).ToArray()); // same seed, epoch and ids: same masks
        }
    }

    [Theory]
    [MemberData(nameof(DropoutKinds))]
    public void A_samples_masks_and_bits_do_not_depend_on_its_row(string kind)
    {
        const int B = 3;
        int size = Steps * Features;
        var network = DropoutNetwork(kind, 0.3f, 0.4f, B);
        var p = network.InitialParameters(9);
        var rows = Enumerable.Range(0, B).Select(i => RandomValues(size, 60 + i)).ToArray();
        int[] ids = [500, 501, 502];
        int outputs = network.OutputSize;
        var dOutputs = Enumerable.Range(0, B).Select(i => RandomValues(outputs, 70 + i)).ToArray();

        (float[] Y, float[] Dx) Run(int[] order)
        {
            SetTraining(network, 11, 3, order.Select(i => ids[i]).ToArray());
            var x = order.SelectMany(i => rows[i]).ToArray();
            var y = network.Forward(p, x, B).ToArray();
            network.Backward(p, order.SelectMany(i => dOutputs[i]).ToArray(), new float[p.Length], B);
            return (y, network.InputGradient[..(B * size)].ToArray());
        }

        int[] identity = [0, 1, 2], rotated = [2, 0, 1];
        var a = Run(identity);
        var b = Run(rotated);
        for (int row = 0; row < B; row++)
        {
            int sample = rotated[row];
            Assert.Equal(a.Y.AsSpan(sample * outputs, outputs).ToArray(), b.Y.AsSpan(row * outputs, outputs).ToArray());
            Assert.Equal(a.Dx.AsSpan(sample * size, size).ToArray(), b.Dx.AsSpan(row * size, size).ToArray());
        }
        // one sample alone in a block of one gives the same bits as in the block of three
        var single = DropoutNetwork(kind, 0.3f, 0.4f, 1);
        SetTraining(single, 11, 3, ids[1]);
        Assert.Equal(a.Y.AsSpan(outputs, outputs).ToArray(), single.Forward(p, rows[1], 1).ToArray());
    }

    [Theory]
    [InlineData(0.25f)]
    [InlineData(0.6f)]
    public void Dropout_drops_about_its_rate_and_scales_the_kept_inputs(float rate)
    {
        // A SimpleRNN(1) with kernel 1 at one step and zero bias outputs tanh(sum of the masked inputs): with all inputs
        // equal to a small e, tanh^-1(y) / e = (kept count) / (1 - rate).
        const int F = 400;
        var network = new Network(new ModelSpec([new SimpleRnnSpec(1, Dropout: rate)]), 1, F, 1);
        var p = new float[network.ParameterCount];
        for (int i = 0; i < F; i++) p[i] = 1f;
        const float e = 1e-4f;
        var x = Enumerable.Repeat(e, F).ToArray();
        SetTraining(network, 5, 0, 77);
        double kept = Math.Atanh(network.Forward(p, x, 1)[0]) / e * (1 - rate);
        Assert.Equal(Math.Round(kept), kept, 2);
        Assert.InRange(kept / F, 1 - rate - 0.08, 1 - rate + 0.08);
    }

    // ---- specs ----

    [Fact]
    public void Lstm_and_gru_specs_round_trip_through_json()
    {
        var spec = new ModelSpec(
        [
            new LstmSpec(20, true), new LstmSpec(20, Dropout: 0.2f, RecurrentDropout: 0.1f),
            new GruSpec(20, true, RecurrentDropout: 0.25f), new GruSpec(20), new SimpleRnnSpec(8, Dropout: 0.5f), new DenseSpec(10),
        ]);
        string json = spec.ToJson();
        Assert.Equal(
            """{"layers":[{"type":"lstm","units":20,"return_sequences":true},""" +
            """{"type":"lstm","units":20,"return_sequences":false,"dropout":0.2,"recurrent_dropout":0.1},""" +
            """{"type":"gru","units":20,"return_sequences":true,"recurrent_dropout":0.25},""" +
            """{"type":"gru","units":20,"return_sequences":false},""" +
            """{"type":"simple_rnn","units":8,"return_sequences":false,"dropout":0.5},{"type":"dense","units":10}]}""", json);
        var back = ModelSpec.FromJson(json);
        Assert.Equal(spec, back);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(new LstmSpec(3), ModelSpec.FromJson("""{"layers":[{"type":"lstm","units":3}]}""").Layers[0]);
        Assert.Equal(new GruSpec(3, false, 0.5f, 0), ModelSpec.FromJson("""{"layers":[{"type":"gru","units":3,"dropout":0.5}]}""").Layers[0]);
    }

    [Fact]
    public void A_simple_rnn_spec_without_dropout_keeps_its_json()
    {
        Assert.Equal("""{"layers":[{"type":"simple_rnn","units":20,"return_sequences":true}]}""",
            new ModelSpec([new SimpleRnnSpec(20, true)]).ToJson());
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"lstm","units":0}]}""", "model_file layer 0 (lstm)", "units")]
    [InlineData("""{"layers":[{"type":"gru","units":5000}]}""", "model_file layer 0 (gru)", "units")]
    [InlineData("""{"layers":[{"type":"dense","units":1},{"type":"lstm","units":3,"dropout":1}]}""", "model_file layer 1 (lstm)", "dropout is 1")]
    [InlineData("""{"layers":[{"type":"gru","units":3,"recurrent_dropout":-0.1}]}""", "model_file layer 0 (gru)", "recurrent_dropout")]
    [InlineData("""{"layers":[{"type":"simple_rnn","units":3,"dropout":1.5}]}""", "model_file layer 0 (simple_rnn)", "dropout is 1.5")]
    [InlineData("""{"layers":[{"type":"simple_rnn","units":3,"recurrent_dropout":1}]}""", "model_file layer 0 (simple_rnn)", "recurrent_dropout")]
    public void A_bad_recurrent_spec_is_rejected_naming_the_field(string json, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.FromJson(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Specs_differing_in_a_dropout_rate_are_not_equal()
    {
        Assert.NotEqual<LayerSpec>(new LstmSpec(4), new LstmSpec(4, Dropout: 0.1f));
        Assert.NotEqual<LayerSpec>(new GruSpec(4), new GruSpec(4, RecurrentDropout: 0.1f));
        Assert.NotEqual<LayerSpec>(new SimpleRnnSpec(4), new SimpleRnnSpec(4, Dropout: 0.1f));
        Assert.NotEqual<LayerSpec>(new LstmSpec(4), new GruSpec(4));
    }
}
