using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>
/// <see cref="MeanSquaredError"/> against its definition: the forward is the sum over samples of each sample's mean of
/// squared differences (in double, k order, then sample order: the same bits as that plain loop, whatever the batch's
/// count past the four samples it sums side by side), and the backward is the forward's derivative, by central finite
/// differences, and 2 (y - t) / K bit for bit at every length (the vector passes and the tail).
/// </summary>
public class MeanSquaredErrorTests
{
    public static TheoryData<int, int> Shapes()
    {
        var shapes = new TheoryData<int, int>();
        foreach (int batch in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 32 })
            foreach (int outputs in new[] { 1, 3, 10, 17, 240 })
                shapes.Add(batch, outputs);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_loss_sum_is_the_plain_loops_bit_for_bit(int batch, int outputs)
    {
        var (predictions, targets) = Values(batch * outputs, seed: batch * 31 + outputs);
        double expected = 0;
        for (int b = 0; b < batch; b++)
        {
            double squares = 0;
            for (int k = 0; k < outputs; k++)
            {
                double d = predictions[b * outputs + k] - targets[b * outputs + k];
                squares += d * d;
            }
            expected += squares / outputs;
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(MeanSquaredError.Forward(predictions, targets, batch, outputs)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_gradient_is_two_differences_over_the_outputs_bit_for_bit(int batch, int outputs)
    {
        var (predictions, targets) = Values(batch * outputs, seed: batch * 17 + outputs);
        var gradient = new float[batch * outputs + 1];
        gradient[^1] = 42f;
        MeanSquaredError.Backward(predictions, targets, gradient, batch, outputs);
        for (int i = 0; i < batch * outputs; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(2f * (predictions[i] - targets[i]) / outputs), BitConverter.SingleToInt32Bits(gradient[i]));
        Assert.Equal(42f, gradient[^1]); // nothing past the block written
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 10)]
    public void The_gradient_is_the_loss_derivative_by_finite_differences(int batch, int outputs)
    {
        var (predictions, targets) = Values(batch * outputs, seed: 7);
        var gradient = new float[batch * outputs];
        MeanSquaredError.Backward(predictions, targets, gradient, batch, outputs);
        const float h = 1e-2f;
        for (int i = 0; i < predictions.Length; i++)
        {
            float kept = predictions[i];
            predictions[i] = kept + h;
            double up = MeanSquaredError.Forward(predictions, targets, batch, outputs);
            predictions[i] = kept - h;
            double down = MeanSquaredError.Forward(predictions, targets, batch, outputs);
            predictions[i] = kept;
            // the loss is quadratic in each prediction: the central difference is exact but for float rounding of y +- h
            double numeric = (up - down) / ((double)(kept + h) - (kept - h));
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"element {i}: backward {gradient[i]}, finite differences {numeric}");
        }
    }

    [Fact]
    public void Too_few_predictions_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MeanSquaredError.Forward(new float[5], new float[6], batch: 2, outputs: 3));
        Assert.Contains("2 samples of 3 outputs", error.Message);
    }

    private static (float[] Predictions, float[] Targets) Values(int n, int seed)
    {
        var random = new Random(seed);
        var predictions = new float[n];
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            predictions[i] = (float)(random.NextDouble() * 2 - 1);
            targets[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return (predictions, targets);
    }
}
