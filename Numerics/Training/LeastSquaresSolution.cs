namespace RnnCluster.Numerics.Training;

/// <summary>
/// A <see cref="LeastSquaresFit"/>: the weights in the network's flat layout (kernel [P, U] then bias [U]), the ridge
/// added to the kernel's normal equations (0: none, the system was well-conditioned), the least 1 - R² of an input
/// column on the columns before it (what decided the ridge), and the training windows fitted.
/// </summary>
public sealed record LeastSquaresSolution(float[] Parameters, double Ridge, double LeastPivotRatio, int Windows)
{
    /// <summary>One phrase for the output, e.g. "least squares" or "least squares, ridge 2.1e-04 (ill-conditioned)".</summary>
    public string Describe() => Ridge > 0 ? $"least squares, ridge {Ridge:0.0e+00} (ill-conditioned)" : "least squares";
}
