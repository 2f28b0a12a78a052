using RnnCluster.Numerics.Layers;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// Conv1D: gradients against finite differences (valid, strided, causal, dilated, the chapter's WaveNet-like stack and
/// its Conv1D(20, 4, strides 2)), the forward against Keras's equation in a plain double loop on Keras-layout arrays,
/// output lengths, Keras names and shapes, causality, row independence, and the spec's JSON and validation.
/// </summary>
public class Conv1DTests
{
    private static ModelSpec WaveNetStack(string activation = "relu") => new(
    [
        new Conv1DSpec(8, 2, Padding: "causal", DilationRate: 1, Activation: activation),
        new Conv1DSpec(8, 2, Padding: "causal", DilationRate: 2, Activation: activation),
        new Conv1DSpec(8, 2, Padding: "causal", DilationRate: 4, Activation: activation),
        new Conv1DSpec(3, 1),
    ]);

    // ---- gradients

    [Fact]
    public void Gradient_valid_kernel_4_stride_1() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(3, 4)]), Batch: 2, Steps: 9, Features: 2, Seed: 21));

    [Fact]
    public void Gradient_valid_kernel_4_stride_2() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(3, 4, Strides: 2)]), Batch: 2, Steps: 11, Features: 2, Seed: 22));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Gradient_causal_dilated(int dilation) =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(4, 3, Padding: "causal", DilationRate: dilation)]),
            Batch: 2, Steps: 10, Features: 2, Seed: 23 + dilation));

    [Fact]
    public void Gradient_causal_strided() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(3, 3, Strides: 2, Padding: "causal", DilationRate: 2)]),
            Batch: 2, Steps: 9, Features: 2, Seed: 28));

    [Fact]
    public void Gradient_dilated_causal_relu_stack_like_wavenet() =>
        GradientCheck.AssertPasses(new(WaveNetStack(), Batch: 2, Steps: 12, Features: 1, Seed: 29));

    [Fact]
    public void Gradient_tanh_activation() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(4, 3, Strides: 2, Activation: "tanh")]), Batch: 2, Steps: 10, Features: 3, Seed: 30));

    [Fact]
    public void Gradient_relu_activation() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(5, 2, Activation: "relu")]), Batch: 2, Steps: 6, Features: 2, Seed: 31));

    [Fact]
    public void Gradient_chapter_conv1d_20_kernel_4_strides_2_on_50_steps()
    {
        var spec = new ModelSpec([new Conv1DSpec(20, 4, Strides: 2, Padding: "valid")]);
        Assert.Equal(24, new Network(spec, 50, 1, 1).OutputSteps);
        GradientCheck.AssertPasses(new(spec, Batch: 2, Steps: 50, Features: 1, Seed: 32));
    }

    [Fact]
    public void Gradient_conv1d_feeding_a_recurrent_layer() =>
        GradientCheck.AssertPasses(new(new ModelSpec([new Conv1DSpec(4, 4, Strides: 2), new SimpleRnnSpec(3, true), new DenseSpec(2)]),
            Batch: 2, Steps: 12, Features: 1, Seed: 33));

    // ---- forward = the equation

    /// <summary>y[b, i, f] = act(bias_f + sum_j sum_c x[b, i*s + j*d - pad, c] K[j, c, f]) in double, zero padding.</summary>
    private static double[] Reference(float[] p, float[] x, int batch, int steps, int channels, int filters, int k, int s, int d,
        string padding, string activation)
    {
        int pad = padding == "causal" ? d * (k - 1) : 0;
        int outSteps = padding == "causal" ? (steps - 1) / s + 1 : (steps - d * (k - 1) - 1) / s + 1;
        var y = new double[batch * outSteps * filters];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < outSteps; i++)
                for (int f = 0; f < filters; f++)
                {
                    double z = p[k * channels * filters + f];
                    for (int j = 0; j < k; j++)
                    {
                        int t = i * s + j * d - pad;
                        for (int c = 0; c < channels; c++)
                        {
                            double xv = t < 0 ? 0.0 : x[(b * steps + t) * channels + c];
                            z += xv * p[(j * channels + c) * filters + f];
                        }
                    }
                    y[(b * outSteps + i) * filters + f] = activation switch
                    {
                        "relu" => Math.Max(z, 0),
                        "tanh" => Math.Tanh(z),
                        _ => z,
                    };
                }
        return y;
    }

    [Theory]
    [InlineData(3, 1, 2, "causal", "relu")]
    [InlineData(3, 1, 4, "causal", "linear")]
    [InlineData(2, 2, 3, "causal", "tanh")]
    [InlineData(4, 2, 1, "valid", "linear")]
    [InlineData(4, 3, 2, "valid", "tanh")]
    [InlineData(1, 1, 1, "valid", "relu")]
    public void Forward_is_kerass_equation_on_keras_arrays(int k, int s, int d, string padding, string activation)
    {
        const int B = 2, T = 17, C = 3, Fo = 5;
        var network = new Network(new ModelSpec([new Conv1DSpec(Fo, k, s, padding, d, activation)]), T, C, B);
        var random = new Random(40 + k * 7 + s * 3 + d);
        var p = GradientCheck.Uniform(network.ParameterCount, random, 0.5);
        var x = GradientCheck.Uniform(B * T * C, random);
        var y = network.Forward(p, x, B).ToArray();
        var expected = Reference(p, x, B, T, C, Fo, k, s, d, padding, activation);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-5); // float32 against double: a few ulp per term
    }

    [Fact]
    public void Forward_of_a_hand_computed_causal_dilated_kernel()
    {
        // k = 2, d = 2, causal: y_i = K[0] x_{i-2} + K[1] x_i + b, with x_{-2}, x_{-1} = 0.
        // x = (1, 2, 3, 4), K = (10, 1), b = 0.5: y = (1.5, 2.5, 13.5, 24.5)
        var network = new Network(new ModelSpec([new Conv1DSpec(1, 2, Padding: "causal", DilationRate: 2)]), 4, 1, 1);
        Assert.Equal([1.5f, 2.5f, 13.5f, 24.5f], network.Forward([10f, 1f, 0.5f], [1f, 2f, 3f, 4f], 1).ToArray());
    }

    // ---- shapes

    [Theory]
    [InlineData(50, 4, 2, 1, "valid", 24)]
    [InlineData(50, 4, 1, 1, "valid", 47)]
    [InlineData(10, 3, 1, 2, "valid", 6)]
    [InlineData(10, 3, 3, 2, "valid", 2)]
    [InlineData(5, 3, 1, 2, "valid", 1)]
    [InlineData(7, 1, 3, 1, "valid", 3)]
    [InlineData(50, 2, 1, 8, "causal", 50)]
    [InlineData(50, 4, 2, 1, "causal", 25)]
    [InlineData(50, 2, 3, 4, "causal", 17)]
    [InlineData(1, 4, 1, 1, "causal", 1)]
    public void Output_length_is_kerass(int steps, int k, int s, int d, string padding, int expected)
    {
        Assert.Equal(expected, Conv1D.OutputLength(steps, k, s, d, padding));
        var network = new Network(new ModelSpec([new Conv1DSpec(3, k, s, padding, d)]), steps, 2, 1);
        Assert.Equal(expected, network.OutputSteps);
        Assert.Equal(3, network.OutputFeatures);
    }

    [Theory]
    [InlineData(4, 3, 1, 2)] // the dilated kernel spans 5 steps
    [InlineData(3, 4, 2, 1)] // floor(-1 / 2) + 1 = 0, not C#'s truncated -1 / 2 + 1 = 1
    [InlineData(20, 4, 1, 8)]
    public void An_input_shorter_than_the_valid_kernel_is_rejected_naming_kernel_size(int steps, int k, int s, int d)
    {
        var e = Assert.Throws<InvalidInputException>(() => new Network(new ModelSpec([new Conv1DSpec(3, k, s, "valid", d)]), steps, 1, 1));
        Assert.Contains("kernel_size", e.Field);
        Assert.Contains($"has {steps}", e.Message);
    }

    [Fact]
    public void Conv1d_views_have_keras_names_shapes_and_order()
    {
        var network = new Network(new ModelSpec([new Conv1DSpec(20, 4, Strides: 2), new Conv1DSpec(10, 1)]), 50, 1, 1);
        var described = network.Views.Select(v => $"{v.Name} [{string.Join(", ", v.Shape)}] @{v.Offset}").ToArray();
        Assert.Equal(
        [
            "conv1d/kernel [4, 1, 20] @0", "conv1d/bias [20] @80",
            "conv1d_1/kernel [1, 20, 10] @100", "conv1d_1/bias [10] @300",
        ], described);
        Assert.Equal(310, network.ParameterCount);
        Assert.Equal(24, network.OutputSteps);
        Assert.Equal(10, network.OutputFeatures);
    }

    [Fact]
    public void Initial_kernel_is_glorot_with_fans_k_times_channels_and_bias_is_zero()
    {
        var network = new Network(new ModelSpec([new Conv1DSpec(20, 4, Strides: 2)]), 50, 3, 1);
        var p = network.InitialParameters(5);
        double limit = Math.Sqrt(6.0 / (4 * 3 + 4 * 20));
        var kernel = network.Views[0].Of(p).ToArray();
        Assert.All(kernel, w => Assert.InRange(w, -limit, limit));
        Assert.True(kernel.Max() > 0.9 * limit && kernel.Min() < -0.9 * limit, "the kernel should fill its glorot range");
        Assert.All(network.Views[1].Of(p).ToArray(), b => Assert.Equal(0f, b));
    }

    // ---- causality and determinism

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 7)]
    [InlineData(1, 15)]
    [InlineData(2, 6)]
    [InlineData(2, 8)] // with strides 2 and dilation 2 only even input steps are ever seen
    public void Causal_outputs_before_t_do_not_see_the_input_at_t(int strides, int changedStep)
    {
        const int T = 16;
        var spec = strides == 1 ? WaveNetStack() : new ModelSpec([new Conv1DSpec(4, 3, Strides: strides, Padding: "causal", DilationRate: 2, Activation: "tanh")]);
        var network = new Network(spec, T, 1, 1);
        var p = network.InitialParameters(3);
        var random = new Random(50);
        for (int i = 0; i < p.Length; i++) p[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        var x = GradientCheck.Uniform(T, random);
        var before = network.Forward(p, x, 1).ToArray();
        x[changedStep] += 5f;
        var after = network.Forward(p, x, 1).ToArray();
        int f = network.OutputFeatures;
        bool laterChanged = false;
        for (int i = 0; i < network.OutputSteps; i++)
        {
            int seen = i * strides; // the last input output i sees
            for (int k = 0; k < f; k++)
            {
                float a = before[i * f + k], b = after[i * f + k];
                if (seen < changedStep) Assert.True(BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b), $"output {i} changed");
                else if (a != b) laterChanged = true;
            }
        }
        Assert.True(laterChanged, "an output at or after the change should move");
    }

    // causal, stride-1 layers take each tap as one product over the whole block (a sample's first rows read the previous
    // sample's last inputs and are put back): the WaveNet-like stack, a dilation longer than the sequence, a linear
    // causal layer (its weight gradients per sample) over 3 features, and a kernel of 1; valid undilated layers take a
    // sample's taps as one product (strided, as the chapter's Conv1D(20, 4, strides 2))
    public static TheoryData<string, int, int> Blocks => new()
    {
        { "wavenet", 12, 1 },
        { "longer-dilation", 5, 2 },
        { "linear-causal", 11, 3 },
        { "kernel-1", 7, 2 },
        { "valid-strided", 11, 2 },
    };

    // act: relu as in WaveNet, or tanh for the gradient checks (a bias moves every row of its filter, and with as many
    // rows as these a relu often sits within the difference step of its kink, with the per-sample code too)
    private static ModelSpec BlockSpec(string name, string act = "relu") => name switch
    {
        "wavenet" => WaveNetStack(act),
        "longer-dilation" => new([new Conv1DSpec(4, 2, Padding: "causal", DilationRate: 8, Activation: act), new Conv1DSpec(3, 2, Padding: "causal", DilationRate: 2, Activation: "tanh")]),
        "linear-causal" => new([new Conv1DSpec(5, 3, Padding: "causal", DilationRate: 2), new Conv1DSpec(2, 2, Padding: "causal", Activation: act)]),
        "kernel-1" => new([new Conv1DSpec(6, 1, Activation: act), new Conv1DSpec(2, 1)]),
        _ => new([new Conv1DSpec(5, 4, Strides: 2, Activation: act), new Conv1DSpec(3, 2, Activation: "tanh")]),
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Gradient_of_whole_block_taps(string name, int steps, int features) =>
        GradientCheck.AssertPasses(new(BlockSpec(name, "tanh"), Batch: 3, Steps: steps, Features: features, Seed: 34));

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_sample_gives_the_same_bits_in_any_row_of_the_block(string name, int T, int features)
    {
        const int B = 3;
        var network = new Network(BlockSpec(name), T, features, B);
        var p = network.InitialParameters(9);
        var random = new Random(51);
        var x = GradientCheck.Uniform(B * T * features, random);
        var dOut = GradientCheck.Uniform(B * network.OutputSize, random);
        var block = network.Forward(p, x, B).ToArray();
        var dBlock = new float[p.Length];
        network.Backward(p, dOut, dBlock, B);
        var dxBlock = network.InputGradient[..(B * T * features)].ToArray();
        var dSum = new float[p.Length];
        for (int b = 0; b < B; b++)
        {
            var single = network.Forward(p, x.AsSpan(b * T * features, T * features), 1).ToArray();
            Assert.Equal(block.AsSpan(b * network.OutputSize, network.OutputSize).ToArray(), single);
            network.Backward(p, dOut.AsSpan(b * network.OutputSize, network.OutputSize), dSum, 1);
            Assert.Equal(dxBlock.AsSpan(b * T * features, T * features).ToArray(), network.InputGradient[..(T * features)].ToArray());
        }
        // the block's parameter gradient is the samples' gradients accumulated in row order
        Assert.Equal(dBlock, dSum);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Convolutions_handing_over_channel_major_give_the_bits_of_the_layers_run_alone_sample_by_sample(string name, int T, int features)
    {
        const int B = 5;
        var spec = BlockSpec(name);
        var network = new Network(spec, T, features, B);
        var p = network.InitialParameters(12);
        var random = new Random(53);
        var x = GradientCheck.Uniform(B * T * features, random);
        var dOut = GradientCheck.Uniform(B * network.OutputSize, random);
        // the same layers, each alone, one sample at a time: row-major x, y, dy and dx between them
        var layers = new List<Layer>();
        int steps = T, width = features;
        foreach (var layerSpec in spec.Layers)
        {
            var layer = layerSpec.Build($"alone_{layers.Count}", 1, steps, width);
            layers.Add(layer);
            (steps, width) = (layer.OutputSteps, layer.OutputFeatures);
        }
        // the network links every pair of neighbours with whole-block taps (all but the strided block's)
        var convolutions = network.Layers.Cast<Conv1D>().ToArray();
        Assert.Equal(name != "valid-strided", convolutions.Any(c => c.InputChannelMajor));
        for (int i = 1; i < convolutions.Length; i++)
        {
            bool linked = convolutions[i - 1].WholeBlockTaps && convolutions[i].WholeBlockTaps;
            Assert.Equal((linked, linked), (convolutions[i - 1].OutputChannelMajor, convolutions[i].InputChannelMajor));
        }
        var slices = new List<(int Offset, int Count)>();
        int offset = 0;
        foreach (var layer in layers) { slices.Add((offset, layer.ParameterCount)); offset += layer.ParameterCount; }

        var y = network.Forward(p, x, B).ToArray();
        network.Backward(p, dOut, B);
        var dx = network.InputGradient[..(B * T * features)].ToArray();
        var dNetwork = new float[p.Length];
        var dAlone = new float[p.Length];
        // weight gradients by micro-shards of 2, 1 and 2 samples; alone, the same samples' one after the other
        foreach (var (first, count) in new[] { (0, 2), (2, 1), (3, 2) })
        {
            network.AddWeightGradients(dNetwork, first, count);
            for (int b = first; b < first + count; b++)
            {
                var activations = new List<float[]> { x.AsSpan(b * T * features, T * features).ToArray() };
                for (int i = 0; i < layers.Count; i++)
                {
                    activations.Add(new float[layers[i].OutputSize]);
                    layers[i].Forward(p.AsSpan(slices[i].Offset, slices[i].Count), activations[i], activations[i + 1], 1);
                }
                Assert.Equal(y.AsSpan(b * network.OutputSize, network.OutputSize).ToArray(), activations[^1]);
                var gradient = dOut.AsSpan(b * network.OutputSize, network.OutputSize).ToArray();
                for (int i = layers.Count - 1; i >= 0; i--)
                {
                    var dInput = new float[layers[i].InputSize];
                    layers[i].Backward(p.AsSpan(slices[i].Offset, slices[i].Count), activations[i], activations[i + 1], gradient, dInput, 1);
                    layers[i].AddWeightGradients(activations[i], gradient, dAlone.AsSpan(slices[i].Offset, slices[i].Count), 0, 1);
                    gradient = dInput;
                }
                Assert.Equal(dx.AsSpan(b * T * features, T * features).ToArray(), gradient);
            }
            Assert.Equal(dAlone, dNetwork);
        }
    }

    // ---- spec

    [Fact]
    public void Spec_json_names_settings_as_keras_and_round_trips()
    {
        var spec = new ModelSpec([new Conv1DSpec(20, 4, Strides: 2), new Conv1DSpec(20, 2, Padding: "causal", DilationRate: 8, Activation: "relu")]);
        string json = spec.ToJson();
        Assert.Equal("""{"layers":[{"type":"conv1d","filters":20,"kernel_size":4,"strides":2,"padding":"valid","dilation_rate":1,"activation":"linear"},"""
            + """{"type":"conv1d","filters":20,"kernel_size":2,"strides":1,"padding":"causal","dilation_rate":8,"activation":"relu"}]}""", json);
        var back = ModelSpec.FromJson(json);
        Assert.Equal(spec, back);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void Spec_json_settings_default_as_in_keras()
    {
        var spec = ModelSpec.FromJson("""{"layers":[{"type":"conv1d","filters":10,"kernel_size":1}]}""");
        Assert.Equal(new Conv1DSpec(10, 1, 1, "valid", 1, "linear"), spec.Layers[0]);
    }

    [Theory]
    [InlineData("""{"type":"conv1d","filters":0,"kernel_size":2}""", "filters")]
    [InlineData("""{"type":"conv1d","filters":5000,"kernel_size":2}""", "filters")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":0}""", "kernel_size")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":65}""", "kernel_size")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"strides":0}""", "strides")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"strides":65}""", "strides")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"dilation_rate":0}""", "dilation_rate")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"dilation_rate":513}""", "dilation_rate")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"padding":"same"}""", "padding is 'same'; allowed 'valid', 'causal'")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"padding":null}""", "padding")]
    [InlineData("""{"type":"conv1d","filters":4,"kernel_size":2,"activation":"sigmoid"}""", "activation is 'sigmoid'; allowed 'linear', 'relu', 'tanh'")]
    public void A_bad_setting_is_rejected_naming_the_layer_and_the_setting(string layer, string named)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.FromJson($$"""{"layers":[{{layer}}]}"""));
        Assert.Equal("model_file layer 0 (conv1d)", e.Field);
        Assert.Contains(named, e.Message);
    }
}
