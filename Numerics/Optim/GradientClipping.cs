namespace RnnCluster.Numerics.Optim;

/// <summary>
/// Keras's gradient clipping, applied to the batch's mean gradient before the optimiser step:
/// <c>clipnorm</c> rescales each weight tensor whose L2 norm exceeds it to that norm, <c>global_clipnorm</c> rescales
/// all tensors together when their joint norm exceeds it, <c>clipvalue</c> clips every element to [-v, v].
/// Norms are summed in double, in a fixed order, so clipping keeps the bits reproducible.
/// </summary>
public sealed record GradientClipping(float? ClipNorm = null, float? GlobalClipNorm = null, float? ClipValue = null)
{
    public void Validate()
    {
        foreach (var (value, field) in new[] { (ClipNorm, "clipnorm"), (GlobalClipNorm, "global_clipnorm"), (ClipValue, "clipvalue") })
            if (value is float v && (!float.IsFinite(v) || v <= 0))
                throw new InvalidInputException(field, $"{v} is not allowed; a clipping threshold must be a positive number");
    }

    // gradient: [P]; tensors: the (offset, size) of each weight tensor in it
    public void Apply(Span<float> gradient, IReadOnlyList<(int Offset, int Size)> tensors)
    {
        if (ClipValue is float limit)
            for (int i = 0; i < gradient.Length; i++) gradient[i] = Math.Clamp(gradient[i], -limit, limit);
        if (ClipNorm is float clip)
            for (int t = 0; t < tensors.Count; t++)
            {
                var tensor = gradient.Slice(tensors[t].Offset, tensors[t].Size);
                Rescale(tensor, Norm(tensor), clip);
            }
        if (GlobalClipNorm is float global)
            Rescale(gradient, Norm(gradient), global);
    }

    public static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    private static void Rescale(Span<float> values, double norm, float clip)
    {
        if (norm <= clip) return;
        float factor = (float)(clip / norm);
        for (int i = 0; i < values.Length; i++) values[i] *= factor;
    }
}
