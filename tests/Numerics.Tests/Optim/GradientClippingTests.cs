using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Tests.Optim;

public class GradientClippingTests
{
    private static readonly (int Offset, int Size)[] TwoTensors = [(0, 2), (2, 3)];

    [Fact]
    public void Clipnorm_rescales_each_tensor_above_the_threshold_to_it_and_leaves_the_others()
    {
        // tensor 0 = (3, 4): norm 5 -> (0.6, 0.8) for clipnorm 1; tensor 1 = (0.1, 0.2, 0.2): norm 0.3, unchanged
        float[] g = [3, 4, 0.1f, 0.2f, 0.2f];
        new GradientClipping(ClipNorm: 1f).Apply(g, TwoTensors);
        Assert.Equal(0.6f, g[0], 6);
        Assert.Equal(0.8f, g[1], 6);
        Assert.Equal([0.1f, 0.2f, 0.2f], g[2..]);
    }

    [Fact]
    public void Global_clipnorm_rescales_all_tensors_together()
    {
        // joint norm of (3, 4, 0, 12, 0) is 13 -> scaled by 6.5 / 13 = 0.5
        float[] g = [3, 4, 0, 12, 0];
        new GradientClipping(GlobalClipNorm: 6.5f).Apply(g, TwoTensors);
        Assert.Equal([1.5f, 2f, 0f, 6f, 0f], g);
        Assert.Equal(6.5, GradientClipping.Norm(g), 5);
    }

    [Fact]
    public void Clipvalue_clips_every_element()
    {
        float[] g = [3, -4, 0.1f, -0.2f, 0.5f];
        new GradientClipping(ClipValue: 0.5f).Apply(g, TwoTensors);
        Assert.Equal([0.5f, -0.5f, 0.1f, -0.2f, 0.5f], g);
    }

    [Theory]
    [InlineData(0f, null, null, "clipnorm")]
    [InlineData(null, -1f, null, "global_clipnorm")]
    [InlineData(null, null, float.NaN, "clipvalue")]
    public void Thresholds_must_be_positive(float? clipNorm, float? global, float? value, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => new GradientClipping(clipNorm, global, value).Validate());
        Assert.Equal(field, e.Field);
    }
}
