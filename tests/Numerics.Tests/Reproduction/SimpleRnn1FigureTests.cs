namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class SimpleRnn1FigureTests
{
    [Fact]
    public void SimpleRnn_of_one_unit_reaches_0_014_median_of_three_seeds() =>
        ChapterRuns.AssertReproduces(0.014, ChapterRuns.MedianOfThreeSeeds("simple-rnn-1"), "simple-rnn-1, median of seeds 42-44");
}
