using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// Finite-difference check of a network's analytic gradients (every parameter and every input) through the MSE loss.
/// The network runs in float32, so the check takes central differences with h = 1e-3 of the loss accumulated in
/// double: float32 rounding of the forward pass (relative 6e-8 per operation, a few hundred operations deep) perturbs
/// the loss by about 1e-6, i.e. about 5e-4 in a difference quotient over 2h, and the truncation error is O(h^2) =
/// 1e-6. A gradient is accepted within 2e-3 + 1e-2 |g|; a missing or mis-signed term is off by far more (tests of
/// this class also show that a deliberately wrong gradient is caught).
/// </summary>
public static class GradientCheck
{
    public const double Step = 1e-3;

    public sealed record Case(ModelSpec Spec, int Batch, int Steps, int Features, int Seed);

    /// <summary>n values uniform in [-scale, scale).</summary>
    public static float[] Uniform(int n, Random random, double scale = 1.0) =>
        Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    /// <summary>Fails the test with the first failing gradients when the check does not pass.</summary>
    public static void AssertPasses(Case c)
    {
        var failures = Failures(c);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>The dropout masks of a training-mode check come from this seed and epoch (sample ids 1000 + 7b).</summary>
    public const uint MaskSeed = 1234;
    public const int MaskEpoch = 5;

    /// <summary>
    /// Returns (name, analytic, numeric) for every parameter and input whose check fails. With
    /// <paramref name="training"/>, every forward pass runs in training mode with the same dropout masks (fixed by
    /// <see cref="MaskSeed"/>, <see cref="MaskEpoch"/> and the sample ids), and the masks must change the output.
    /// </summary>
    public static List<string> Failures(Case c, Func<float[], float[]>? corruptAnalytic = null, bool training = false)
    {
        var network = new Network(c.Spec, c.Steps, c.Features, c.Batch);
        var random = new Random(c.Seed);
        var parameters = network.InitialParameters((uint)c.Seed);
        // Move every weight (biases included) off its initial value so that no gradient is trivially zero.
        for (int i = 0; i < parameters.Length; i++) parameters[i] += (float)(random.NextDouble() - 0.5) * 0.4f;
        var x = new float[c.Batch * c.Steps * c.Features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        int outputs = network.OutputSize;
        var targets = new float[c.Batch * outputs];
        for (int i = 0; i < targets.Length; i++) targets[i] = (float)(random.NextDouble() * 2 - 1);

        ReadOnlySpan<float> Forward(float[] p, float[] input, bool train)
        {
            network.Context.Training = train;
            network.Context.Seed = MaskSeed;
            network.Context.Epoch = MaskEpoch;
            for (int b = 0; b < c.Batch; b++) network.Context.SampleIds[b] = 1000 + 7 * b;
            return network.Forward(p, input, c.Batch);
        }

        double Loss(float[] p, float[] input) => MeanSquaredError.Forward(Forward(p, input, training), targets, c.Batch, outputs);

        var predictions = Forward(parameters, x, training).ToArray();
        // In training mode the masks must be on, or the check would only repeat the inference one.
        if (training && Forward(parameters, x, false).ToArray().SequenceEqual(predictions))
            throw new InvalidOperationException("dropout changed nothing in training mode");
        if (training) Forward(parameters, x, true);   // the backward pass below follows a training forward
        var dOutput = new float[predictions.Length];
        MeanSquaredError.Backward(predictions, targets, dOutput, c.Batch, outputs);
        var analytic = new float[parameters.Length];
        network.Backward(parameters, dOutput, analytic, c.Batch);
        var dx = network.InputGradient[..x.Length].ToArray();
        if (corruptAnalytic is not null) analytic = corruptAnalytic(analytic);

        var failures = new List<string>();
        void Check(string name, float[] values, int i, float g)
        {
            float saved = values[i];
            values[i] = (float)(saved + Step);
            double plus = values == parameters ? Loss(values, x) : Loss(parameters, values);
            double hPlus = values[i] - saved;
            values[i] = (float)(saved - Step);
            double minus = values == parameters ? Loss(values, x) : Loss(parameters, values);
            double hMinus = saved - values[i];
            values[i] = saved;
            double numeric = (plus - minus) / (hPlus + hMinus);
            if (Math.Abs(numeric - g) > 2e-3 + 1e-2 * Math.Abs(g)) failures.Add($"{name}: analytic {g:G6}, numeric {numeric:G6}");
        }
        foreach (var view in network.Views)
            for (int i = 0; i < view.Size; i++)
                Check($"{view.Name}[{i}]", parameters, view.Offset + i, analytic[view.Offset + i]);
        for (int i = 0; i < x.Length; i++) Check($"input[{i}]", x, i, dx[i]);
        return failures;
    }
}
