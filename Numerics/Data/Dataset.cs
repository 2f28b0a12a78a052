namespace RnnCluster.Numerics.Data;

/// <summary>
/// A set of training examples held as two flat float32 arrays.
/// Inputs are [count, steps, features]; targets are [count, targetSize], where targetSize is 1 (one step ahead),
/// the horizon (sequence-to-vector) or steps * horizon (sequence-to-sequence, [count, steps, horizon]).
/// </summary>
public sealed class Dataset
{
    public Dataset(float[] inputs, float[] targets, int count, int steps, int features, int targetSize)
    {
        if (inputs.Length != count * steps * features)
            throw new ArgumentException($"inputs has {inputs.Length} values, expected {count} x {steps} x {features}", nameof(inputs));
        if (targets.Length != count * targetSize)
            throw new ArgumentException($"targets has {targets.Length} values, expected {count} x {targetSize}", nameof(targets));
        (Inputs, Targets, Count, Steps, Features, TargetSize) = (inputs, targets, count, steps, features, targetSize);
    }

    /// <summary>[count, steps, features]</summary>
    public float[] Inputs { get; }

    /// <summary>[count, targetSize]</summary>
    public float[] Targets { get; }

    /// <summary>For windows of a series: the index in the series of each example's first target (null otherwise).</summary>
    public int[]? Origins { get; init; }

    public int Count { get; }
    public int Steps { get; }
    public int Features { get; }
    public int TargetSize { get; }

    public int InputSize => Steps * Features;

    /// <summary>[steps, features] of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index) => Inputs.AsSpan(index * InputSize, InputSize);

    /// <summary>[targetSize] of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Target(int index) => Targets.AsSpan(index * TargetSize, TargetSize);
}
