namespace RnnCluster.Numerics.Tests.Reproduction;

/// <summary>
/// The weights hash of every catalogue model's full chapter run (seed 42) is the one the README's tables list, so a
/// change to the kernels or the layers that moves a single bit of any model shows here (the runs are the figure
/// tests' own, shared through <see cref="ChapterRuns"/>).
/// </summary>
[Trait("Category", "Reproduction")]
public class WeightsHashTests
{
    [Theory]
    [InlineData("linear", "c525219f4b07082e")]
    [InlineData("simple-rnn-1", "24d4cdd50e9ca0b3")]
    [InlineData("deep-rnn", "1d6b962e6c375cc4")]
    [InlineData("deep-rnn-dense", "92274ee4a1c48872")]
    public void One_step_models_have_the_READMEs_hashes(string model, string hash) =>
        Assert.Equal(hash, ChapterRuns.Train(model, 42).WeightsHash);

    [Theory]
    [InlineData("linear", "13b354e856e3fdc6")]
    [InlineData("deep-rnn-iterative", "1d6b962e6c375cc4")]
    [InlineData("seq2vec-rnn", "14742a73cc700164")]
    [InlineData("seq2seq-rnn", "217a38f9de96b91c")]
    [InlineData("ln-rnn", "17bf229394d1a842")]
    [InlineData("lstm", "a9395a04d6c6dae4")]
    [InlineData("gru", "c1d99bcff00a73ed")]
    [InlineData("conv-gru", "56c54787ca90a346")]
    [InlineData("wavenet", "a3976e96278a5e55")]
    public void Ten_step_models_have_the_READMEs_hashes(string model, string hash) =>
        Assert.Equal(hash, ChapterRuns.TenStepWeightsHash(model, 42));
}
