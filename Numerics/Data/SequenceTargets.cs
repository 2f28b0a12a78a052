namespace RnnCluster.Numerics.Data;

/// <summary>Keeps some time steps of sequence-to-sequence targets.</summary>
public static class SequenceTargets
{
    // targets [count, steps, horizon] -> [count, steps', horizon] with the steps start, start + stride, ... < steps
    public static Dataset KeepSteps(Dataset data, int horizon, int start, int stride)
    {
        int steps = data.TargetSize / horizon;
        int kept = (steps - start + stride - 1) / stride;
        var targets = new float[data.Count * kept * horizon];
        for (int i = 0; i < data.Count; i++)
        {
            var source = data.Target(i);
            for (int s = 0; s < kept; s++)
                source.Slice((start + s * stride) * horizon, horizon).CopyTo(targets.AsSpan((i * kept + s) * horizon, horizon));
        }
        return new Dataset(data.Inputs, targets, data.Count, data.Steps, data.Features, kept * horizon) { Origins = data.Origins };
    }
}
