using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Training;

/// <summary>The naive forecast: every future value equals the last observed value of the target feature.</summary>
public static class Baselines
{
    // inputs [count, steps, features], targets [count, K] -> mean over samples of mean_k (x[steps-1, feature] - t_k)^2
    public static double NaiveMse(Dataset data, int targetFeature = 0)
    {
        if (data.Count == 0) return double.NaN;
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double last = data.Input(i)[(data.Steps - 1) * data.Features + targetFeature];
            var target = data.Target(i);
            double squares = 0;
            foreach (float t in target) squares += (last - t) * (last - t);
            sum += squares / target.Length;
        }
        return sum / data.Count;
    }
}
