using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>A sequence task's kept target steps must end at the last input step, where its figure is taken.</summary>
public class ForecastTaskTests
{
    [Theory]
    [InlineData(0, 2)]   // ends at 48
    [InlineData(2, 3)]   // ends at 47
    public void Sequence_targets_ending_before_the_last_step_are_rejected(int start, int stride)
    {
        var task = new ForecastTask(ForecastKind.Sequence, 10, TargetStart: start, TargetStride: stride);
        var e = Assert.Throws<InvalidInputException>(task.Validate);
        Assert.Equal("--model", e.Field);
        Assert.Contains("last input step 49", e.Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 2)]   // conv-gru's Y[:, 3::2] ends at step 49
    [InlineData(49, 7)]
    public void Sequence_targets_ending_at_the_last_step_are_accepted(int start, int stride) =>
        new ForecastTask(ForecastKind.Sequence, 10, TargetStart: start, TargetStride: stride).Validate();
}
