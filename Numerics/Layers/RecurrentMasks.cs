namespace RnnCluster.Numerics.Layers;

/// <summary>
/// The dropout masks of a recurrent layer's block: one mask per sample and stream (0: inputs, 1: states), drawn by
/// <see cref="DropoutMask"/>, applied to every step of the sample's rows.
/// B = batch, T = steps, F = features of the masked rows.
/// </summary>
internal static class RecurrentMasks
{
    // masks: [B, n] <- each sample's mask of the stream
    public static void Fill(Span<float> masks, float rate, StepContext context, int layer, int batch, int n, int stream = 1)
    {
        for (int b = 0; b < batch; b++) DropoutMask.Fill(masks.Slice(b * n, n), rate, context, b, layer, stream);
    }

    // x: [B, T, F] -> masked: [B, T, F] = x * the sample's input mask (drawn here into masks [B, F]); returns masked
    public static ReadOnlySpan<float> MaskInputs(ReadOnlySpan<float> x, Span<float> masks, Span<float> masked, float rate,
        StepContext context, int layer, int batch, int steps, int features)
    {
        Fill(masks, rate, context, layer, batch, features, stream: 0);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                int row = (b * steps + t) * features;
                Kernels.GateKernels.Multiply(x.Slice(row, features), masks.Slice(b * features, features), masked.Slice(row, features));
            }
        return masked;
    }

    // rows: [B, T, F] *= the sample's mask (masks: [B, F]), in place
    public static void Apply(Span<float> rows, ReadOnlySpan<float> masks, int batch, int steps, int features)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var row = rows.Slice((b * steps + t) * features, features);
                Kernels.GateKernels.Multiply(row, masks.Slice(b * features, features), row);
            }
    }
}
