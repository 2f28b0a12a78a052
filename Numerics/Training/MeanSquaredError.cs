namespace RnnCluster.Numerics.Training;

/// <summary>
/// MSE of a block of samples, K outputs each: a sample's loss is mean_k (y_k - t_k)^2; a batch's loss is the mean
/// of its samples' losses. The forward returns the block's loss sum (the division by the sample count happens once,
/// at the root of the gradient tree); the backward gives each sample's own gradient, 2 (y_k - t_k) / K.
/// </summary>
public static class MeanSquaredError
{
    // predictions, targets: [batch, K] -> the sum over samples of each sample's mean squared error, in double
    public static double Forward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int batch, int outputs)
    {
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            double squares = 0;
            for (int k = 0; k < outputs; k++)
            {
                double d = predictions[b * outputs + k] - targets[b * outputs + k];
                squares += d * d;
            }
            sum += squares / outputs;
        }
        return sum;
    }

    // predictions, targets: [batch, K] -> dPredictions: [batch, K] (=), d(sample loss)/dy = 2 (y - t) / K
    public static void Backward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> dPredictions, int batch, int outputs)
    {
        for (int i = 0; i < batch * outputs; i++)
            dPredictions[i] = 2f * (predictions[i] - targets[i]) / outputs;
    }
}
