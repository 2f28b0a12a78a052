namespace RnnCluster.Numerics.Training;

/// <summary>
/// Where a training loop gets each batch's gradient: computed here (<see cref="LocalGradientSource"/>) or gathered
/// from workers. Batch b of an epoch is the samples at positions [batchStart, batchStart + batchLength) of that epoch's
/// <see cref="EpochShuffle"/> order; the source returns the batch's gradient sum and loss sum, summed along the
/// batch's <see cref="GradientTree"/> (not yet divided by the sample count).
/// </summary>
public interface IGradientSource
{
    // parameters: [P] (must not be changed by the source) -> gradientSum: [P] (=); returns the loss sum
    ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum,
        CancellationToken cancellation);
}
