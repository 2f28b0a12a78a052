namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class LinearFigureTests
{
    [Fact]
    public void Linear_model_reaches_0_004_median_of_three_seeds() =>
        ChapterRuns.AssertReproduces(0.004, ChapterRuns.MedianOfThreeSeeds("linear"), "linear, median of seeds 42-44");
}
