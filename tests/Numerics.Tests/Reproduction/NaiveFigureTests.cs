using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class NaiveFigureTests
{
    [Fact]
    public void Naive_forecast_is_within_ten_percent_of_0_020() =>
        Assert.InRange(Baselines.NaiveMse(ChapterRuns.OneStep.Valid), 0.9 * 0.020, 1.1 * 0.020);
}
