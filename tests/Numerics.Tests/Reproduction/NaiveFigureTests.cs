using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Reproduction;

[Trait("Category", "Reproduction")]
public class NaiveFigureTests
{
    [Fact]
    public void Naive_forecast_is_within_ten_percent_of_0_020_and_numpys_figure_exactly()
    {
        double naive = Baselines.NaiveMse(ChapterRuns.OneStep.Valid);
        Assert.InRange(naive, 0.9 * 0.020, 1.1 * 0.020);
        // np.random.seed(42); s = generate_time_series(10000, 51); np.mean((s[7000:9000, 49, 0].astype(np.float64) - s[7000:9000, 50, 0]) ** 2)
        Assert.Equal(0.020211366061621258, naive, 1e-12);
    }
}
