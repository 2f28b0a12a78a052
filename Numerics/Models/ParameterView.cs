namespace RnnCluster.Numerics.Models;

/// <summary>A named weight tensor inside the flat parameter vector, e.g. <c>simple_rnn_1/kernel</c> at offset 20, [20, 20].</summary>
public sealed record ParameterView(string Name, int Offset, int[] Shape)
{
    public int Size => Shape.Aggregate(1, (a, d) => a * d);

    public Span<float> Of(float[] flat) => flat.AsSpan(Offset, Size);

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] at {Offset}";
}
