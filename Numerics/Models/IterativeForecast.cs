using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// The chapter's iterative forecast: a one-step model's forecast fed back into its window as the next input, horizon
/// times (the deep RNN of the ten-step table, and <c>deep-rnn-iterative</c>).
/// </summary>
public static class IterativeForecast
{
    /// <summary>The windows forecast together (the network's block).</summary>
    public const int Block = 64;

    /// <summary>The bytes of the network a forecast over windows of <paramref name="steps"/> builds, computed without building it.</summary>
    public static long NetworkBytes(ModelSpec spec, int steps) => spec.BufferBytes(steps, 1, Block);

    /// <summary>Forecasts of a one-step model fed back into its window: [count, horizon].</summary>
    public static float[] Of(ModelSpec spec, float[] parameters, Dataset data, int horizon)
    {
        if (data.Features != 1)
            throw new InvalidInputException("model", $"an iterative forecast feeds its one predicted value back as the next input, so it needs a single input column, not {data.Features}");
        var network = new Network(spec, data.Steps, 1, Block);
        if (network.OutputSize != 1) throw new InvalidInputException("model", "an iterative forecast needs a model that predicts one value");
        network.Context.Training = false;
        var windows = new float[Block * data.Steps];   // [Block, steps, 1]
        var forecasts = new float[data.Count * horizon];
        for (int start = 0; start < data.Count; start += Block)
        {
            int n = Math.Min(Block, data.Count - start);
            data.Inputs.AsSpan(start * data.Steps, n * data.Steps).CopyTo(windows);
            for (int k = 0; k < horizon; k++)
            {
                var y = network.Forward(parameters, windows, n);
                for (int b = 0; b < n; b++)
                {
                    forecasts[(start + b) * horizon + k] = y[b];
                    var window = windows.AsSpan(b * data.Steps, data.Steps);
                    window[1..].CopyTo(window);
                    window[^1] = y[b];
                }
            }
        }
        return forecasts;
    }
}
