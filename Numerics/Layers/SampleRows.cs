namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Where the rows of a copy that the weight gradients read sample by sample lie: row (b, t) (sample b's step t, W
/// elements) at b <see cref="SampleStride"/> + t <see cref="StepStride"/>. A recurrent cell copies its preactivation
/// gradients dz_t step by step as backpropagation makes them, in <see cref="StepMajor"/> order ([T, B, W]): a step's B
/// rows are adjacent, where in [B, T, W] they lay T W apart and writing them cost about a tenth of a chapter-size GRU's
/// training step. Blocks small enough to take their products sample-major keep <see cref="SampleMajor"/> order
/// ([B, T, W]), which their input gradient reads as B T rows at once. The weight gradients' sums do not depend on it.
/// </summary>
internal readonly record struct SampleRows(int SampleStride, int StepStride)
{
    /// <summary>[B, T, W].</summary>
    public static SampleRows SampleMajor(int steps, int width) => new(steps * width, width);

    /// <summary>[T, B, W].</summary>
    public static SampleRows StepMajor(int batch, int width) => new(width, batch * width);

    /// <summary>Where row (b, t) starts.</summary>
    public int At(int b, int t) => b * SampleStride + t * StepStride;
}
