namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Where the rows of a copy that the weight gradients read sample by sample lie: row (b, t) (sample b's step t, W
/// elements) at b <see cref="SampleStride"/> + t <see cref="StepStride"/>. The weight gradients' sums do not depend on it.
/// A recurrent layer copies dz_t (and h_t) step by step from its batch-minor block; with short rows (up to
/// <see cref="ShortRow"/> elements: the chapter's 20-unit layers) it copies them in <see cref="StepMajor"/> order
/// ([T, B, W]), a step's B rows adjacent: in [B, T, W] they lay T W apart, and writing them cost about a tenth of a
/// chapter-size GRU's training step. Long rows (128 units) stay <see cref="SampleMajor"/> ([B, T, W]): a row is then
/// many lines long anyway, and the weight gradients read a sample's rows from a few pages instead of T (step-major,
/// the large rows ran 10-13% slower). Blocks small enough to take their products sample-major keep [B, T, W] too,
/// which their input gradient reads as B T rows at once.
/// </summary>
internal readonly record struct SampleRows(int SampleStride, int StepStride)
{
    /// <summary>The longest rows copied step-major.</summary>
    public const int ShortRow = 64;

    /// <summary>The order of a copy of rows of <paramref name="width"/> made step by step from a block of
    /// <paramref name="batch"/> samples, batch-minor or not.</summary>
    public static SampleRows Of(bool batchMinor, int batch, int steps, int width) =>
        batchMinor && width <= ShortRow ? StepMajor(batch, width) : SampleMajor(steps, width);

    /// <summary>[B, T, W].</summary>
    public static SampleRows SampleMajor(int steps, int width) => new(steps * width, width);

    /// <summary>[T, B, W].</summary>
    public static SampleRows StepMajor(int batch, int width) => new(width, batch * width);

    /// <summary>Where row (b, t) starts.</summary>
    public int At(int b, int t) => b * SampleStride + t * StepStride;

    /// <summary>Step t's rows of a batch-minor block ([W, B]) -> rows (b, t) of <paramref name="copy"/>.</summary>
    public void CopyStep(ReadOnlySpan<float> step, int width, int batch, Span<float> copy, int t) =>
        Transpose.Matrix(step[..(width * batch)], width, batch, copy[At(0, t)..], SampleStride);
}
