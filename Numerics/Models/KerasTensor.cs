namespace RnnCluster.Numerics.Models;

/// <summary>One weight array as Keras holds it: its shape and its values in row-major (C) order.</summary>
public sealed record KerasTensor(int[] Shape, float[] Values);
