using RnnCluster.Numerics.Classical;

namespace RnnCluster.Numerics.Tests.Classical;

public class SeasonalNaiveTests
{
    [Fact]
    public void Each_value_is_the_one_a_season_earlier_and_the_last_season_repeats()
    {
        double[] history = [1, 2, 3, 10, 20, 30, 40];  // x[6] = 40 is the last known value, season 4: 10 20 30 40
        var forecast = new double[9];
        SeasonalNaive.Forecast(history, 4, forecast);
        Assert.Equal([10, 20, 30, 40, 10, 20, 30, 40, 10], forecast);
    }

    [Fact]
    public void A_season_of_one_is_the_naive_forecast()
    {
        var forecast = new double[3];
        SeasonalNaive.Forecast([5, 6, 7.25], 1, forecast);
        Assert.Equal([7.25, 7.25, 7.25], forecast);
    }

    [Fact]
    public void A_horizon_shorter_than_the_season_takes_the_first_values_of_the_last_season()
    {
        var forecast = new double[2];
        SeasonalNaive.Forecast([9, 1, 2, 3, 4, 5], 5, forecast);
        Assert.Equal([1, 2], forecast);
    }

    [Fact]
    public void A_season_longer_than_the_history_is_rejected()
    {
        var e = Assert.Throws<InvalidInputException>(() => SeasonalNaive.Forecast([1, 2, 3], 4, new double[1]));
        Assert.Equal("season", e.Field);
        Assert.Throws<InvalidInputException>(() => SeasonalNaive.Forecast([1, 2, 3], 0, new double[1]));
    }
}
