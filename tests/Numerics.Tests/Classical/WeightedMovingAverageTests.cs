using RnnCluster.Numerics.Classical;

namespace RnnCluster.Numerics.Tests.Classical;

public class WeightedMovingAverageTests
{
    [Fact]
    public void The_most_recent_value_weighs_most()
    {
        // last 3 of [100, 1, 2, 6]: (1*1 + 2*2 + 3*6) / 6 = 23 / 6
        var forecast = new double[4];
        WeightedMovingAverage.Forecast([100, 1, 2, 6], 3, forecast);
        Assert.All(forecast, f => Assert.Equal(23.0 / 6, f, 15));
    }

    [Fact]
    public void The_default_averages_the_last_five_values()
    {
        Assert.Equal(5, WeightedMovingAverage.DefaultLength);
        // (1*3 + 2*1 + 3*4 + 4*1 + 5*5) / 15 = 46 / 15
        Assert.Equal(46.0 / 15, WeightedMovingAverage.Average([9, 9, 3, 1, 4, 1, 5], WeightedMovingAverage.DefaultLength), 15);
    }

    [Fact]
    public void One_value_is_the_naive_forecast_and_a_constant_stays_constant()
    {
        Assert.Equal(7, WeightedMovingAverage.Average([1, 2, 7], 1));
        Assert.Equal(2.5, WeightedMovingAverage.Average([2.5, 2.5, 2.5, 2.5], 4), 15);
    }

    [Fact]
    public void More_values_than_the_window_holds_are_rejected()
    {
        Assert.Equal("wma", Assert.Throws<InvalidInputException>(() => WeightedMovingAverage.Average([1, 2], 3)).Field);
        Assert.Throws<InvalidInputException>(() => WeightedMovingAverage.Average([1, 2], 0));
    }
}
