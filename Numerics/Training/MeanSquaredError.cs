using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// MSE of a block of samples, K outputs each: a sample's loss is mean_k (y_k - t_k)^2; a batch's loss is the mean
/// of its samples' losses. The forward returns the block's loss sum (the division by the sample count happens once,
/// at the root of the gradient tree); the backward gives each sample's own gradient, 2 (y_k - t_k) / K.
/// </summary>
public static class MeanSquaredError
{
    // predictions, targets: [batch, K] -> the sum over samples of each sample's mean squared error, in double: each
    // sample's squares added in k order, the samples' means in sample order. Four samples' sums run side by side: one
    // sample's sum is a chain of dependent double additions, and a seq-to-seq block (32 samples x 240 outputs) spent 3%
    // of conv-gru's training step waiting on it
    public static double Forward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int batch, int outputs)
    {
        int n = batch * outputs;
        if (predictions.Length < n || targets.Length < n) throw new ArgumentException($"{batch} samples of {outputs} outputs need {n} predictions and targets");
        double sum = 0;
        int b = 0;
        for (; b + 4 <= batch; b += 4)
        {
            var (s0, s1, s2, s3) = SquaresOfFour(predictions.Slice(b * outputs, 4 * outputs), targets.Slice(b * outputs, 4 * outputs), outputs);
            sum += s0 / outputs;
            sum += s1 / outputs;
            sum += s2 / outputs;
            sum += s3 / outputs;
        }
        for (; b < batch; b++)
            sum += Squares(predictions.Slice(b * outputs, outputs), targets.Slice(b * outputs, outputs)) / outputs;
        return sum;
    }

    // one sample: Σ_k (y_k - t_k)^2 in double, in k order
    private static double Squares(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        double squares = 0;
        for (int k = 0; k < predictions.Length; k++)
        {
            double d = predictions[k] - targets[k];
            squares += d * d;
        }
        return squares;
    }

    // four adjacent samples ([4, K]): each one's Squares, the four chains side by side
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) SquaresOfFour(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int outputs)
    {
        ReadOnlySpan<float> p0 = predictions[..outputs], p1 = predictions.Slice(outputs, outputs), p2 = predictions.Slice(2 * outputs, outputs),
            p3 = predictions.Slice(3 * outputs, outputs);
        ReadOnlySpan<float> t0 = targets[..outputs], t1 = targets.Slice(outputs, outputs), t2 = targets.Slice(2 * outputs, outputs),
            t3 = targets.Slice(3 * outputs, outputs);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int k = 0; k < outputs; k++)
        {
            double d0 = p0[k] - t0[k], d1 = p1[k] - t1[k], d2 = p2[k] - t2[k], d3 = p3[k] - t3[k];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        return (s0, s1, s2, s3);
    }

    // predictions, targets: [batch, K] -> dPredictions: [batch, K] (=), d(sample loss)/dy = 2 (y - t) / K
    public static void Backward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> dPredictions, int batch, int outputs)
    {
        int n = batch * outputs;
        Elementwise.Map(new GradientOperator(outputs), predictions[..n], targets[..n], dPredictions[..n]);
    }

    // 2 (y - t) / K, in that order
    private readonly struct GradientOperator(int outputs) : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV y, TV t) where TV : struct, IVector<TV> => TV.Broadcast(2f) * (y - t) / TV.Broadcast(outputs);
    }
}
