namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class DeepRnnDenseFigureTests
{
    [Fact]
    public void Deep_rnn_with_dense_head_reaches_0_003() =>
        ChapterRuns.AssertReproduces(0.003, ChapterRuns.Train("deep-rnn-dense", 42).ValidMse, "deep-rnn-dense, seed 42");
}
