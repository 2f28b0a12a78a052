using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>Small synthetic sequence tasks for tests that must run in milliseconds.</summary>
internal static class TestData
{
    // a noisy sine per sample: inputs [count, steps, 1], target [count, 1] = the next value
    public static Dataset Sines(int count, int steps, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * steps];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            double phase = random.NextDouble() * 6, freq = 0.3 + random.NextDouble() * 0.5;
            for (int t = 0; t <= steps; t++)
            {
                float v = (float)(0.6 * Math.Sin(phase + freq * t) + 0.05 * (random.NextDouble() - 0.5));
                if (t < steps) inputs[i * steps + t] = v;
                else targets[i] = v;
            }
        }
        return new Dataset(inputs, targets, count, steps, 1, 1);
    }

    public static DataSplit SineSplit(int steps = 12) => new(Sines(300, steps, 1), Sines(100, steps, 2), Sines(60, steps, 3));
}
