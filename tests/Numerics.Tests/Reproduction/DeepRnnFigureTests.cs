namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class DeepRnnFigureTests
{
    [Fact]
    public void Deep_rnn_reaches_0_003_and_beats_the_linear_model()
    {
        var deep = ChapterRuns.Train("deep-rnn", 42);
        ChapterRuns.AssertReproduces(0.003, deep.ValidMse, "deep-rnn, seed 42");
        double linear = ChapterRuns.Train("linear", 42).ValidMse;
        Assert.True(deep.ValidMse < linear, $"deep RNN {deep.ValidMse} should beat the linear model {linear}");
    }
}
