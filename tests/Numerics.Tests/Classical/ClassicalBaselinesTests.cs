using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Classical;

/// <summary>
/// The baselines' validation and test MSE on the networks' windows, against the figures reference/make_reference.py
/// computed with numpy and statsmodels 0.13.5 on the same windows: seasonal naive and the weighted moving average
/// within a relative 1e-12 (the same sums), ARIMA within a relative 1e-4 (our fit against statsmodels').
/// </summary>
public class ClassicalBaselinesTests
{
    public static TheoryData<string> Series => ArimaReference.SeriesNames;

    [Theory]
    [MemberData(nameof(Series))]
    public void Figures_match_the_reference_on_the_same_windows(string name)
    {
        var y = ArimaReference.Values(name);
        var reference = ArimaReference.Series(name).GetProperty("evaluation");
        int window = reference.GetProperty("window").GetInt32(), horizon = reference.GetProperty("horizon").GetInt32();
        var order = ArimaReference.Order(reference.GetProperty("order"));
        var options = new ClassicalOptions(Season: reference.GetProperty("season").GetInt32(), Order: order);
        var split = new CsvSource([y], window, name).Vector(horizon);
        var result = ClassicalBaselines.Evaluate(y, split, options);

        Assert.Equal(["seasonal-naive", "wma", "arima"], result.Figures.Select(f => f.Method));
        Assert.Equal(WeightedMovingAverage.DefaultLength, reference.GetProperty("wma_length").GetInt32());
        foreach (var (set, data) in new[] { ("valid", split.Valid), ("test", split.Test) })
        {
            var expected = reference.GetProperty(set);
            Assert.Equal(expected.GetProperty("windows").GetInt32(), data.Count);
            foreach (var (figure, key, tolerance) in new[] { (result.Figures[0], "seasonal_naive", 1e-12), (result.Figures[1], "wma", 1e-12), (result.Figures[2], "arima", 1e-4) })
            {
                double actual = set == "valid" ? figure.ValidMse : figure.TestMse, want = expected.GetProperty(key).GetDouble();
                Assert.True(Math.Abs(actual - want) <= tolerance * want, $"{name} {set} {key}: {actual} vs reference {want}");
            }
            // the naive forecast, as a season of 1, is the project's own naive figure on the same windows (which the
            // project computes from float32 standardised windows: hence a relative 1e-6)
            double naive = ClassicalBaselines.Mse(y, data.Origins!, window, horizon, past: true, (h, f) => SeasonalNaive.Forecast(h, 1, f));
            Assert.True(Math.Abs(ForecastFigures.NaiveMse(split, data) - naive) <= 1e-6 * naive, $"{name} {set}: naive {naive} vs the project's {ForecastFigures.NaiveMse(split, data)}");
            Assert.True(Math.Abs(expected.GetProperty("naive").GetDouble() - naive) <= 1e-12 * naive);
        }
    }

    [Fact]
    public void The_co2_series_order_chosen_by_AIC_gives_the_reference_figures()
    {
        var y = ArimaReference.Values("co2");
        var reference = ArimaReference.Series("co2").GetProperty("evaluation");
        var result = ClassicalBaselines.Evaluate(y, 24, 12, new ClassicalOptions(Season: 12));
        Assert.NotNull(result.Selection);
        Assert.Equal(new ArimaOrder(2, 1, 1), result.Arima.Order);
        var arima = result.Figures.Single(f => f.Method == "arima");
        Assert.Equal("ARIMA(2,1,1), by AIC over p 0..3, d 0..1, q 0..2", arima.Settings);
        Assert.Equal(reference.GetProperty("valid").GetProperty("arima").GetDouble(), arima.ValidMse, 1e-3);
        Assert.Equal(reference.GetProperty("test").GetProperty("arima").GetDouble(), arima.TestMse, 1e-3);
    }

    [Fact]
    public void A_differenced_split_gives_the_same_windows_and_figures()
    {
        // The networks' --difference changes what they see, not which values are forecast: origins index the series.
        var y = ArimaReference.Values("arma11");
        var options = new ClassicalOptions(Season: 7, Order: new ArimaOrder(1, 0, 1));
        var plain = new CsvSource([y], 20, "arma11").Vector(5);
        var differenced = new CsvSource([y], 20, "arma11", [1]).Vector(5);
        var a = ClassicalBaselines.Evaluate(y, plain, options).Figures;
        var b = ClassicalBaselines.Evaluate(y, differenced, options).Figures;
        // the differenced series is one value shorter, so its segments' boundaries may move by one: compare per window
        var shared = plain.Valid.Origins!.Intersect(differenced.Valid.Origins!).ToArray();
        Assert.True(shared.Length >= plain.Valid.Count - 1);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Method, b[i].Method);
            Assert.True(Math.Abs(a[i].ValidMse - b[i].ValidMse) <= 0.05 * a[i].ValidMse, $"{a[i].Method}: {a[i].ValidMse} vs {b[i].ValidMse} with differencing");
        }
        // with differencing the project's naive figure is in double from the series itself
        Assert.Equal(ForecastFigures.NaiveMse(differenced, differenced.Valid),
            ClassicalBaselines.Mse(y, differenced.Valid.Origins!, 20, 5, past: true, (h, f) => SeasonalNaive.Forecast(h, 1, f)), 1e-12);
    }

    [Fact]
    public void A_season_longer_than_the_training_part_or_an_average_longer_than_the_window_is_rejected()
    {
        var y = ArimaReference.Values("ar2"); // 500 values: a training part of 350
        var season = Assert.Throws<InvalidInputException>(() => ClassicalBaselines.Evaluate(y, 20, 5, new ClassicalOptions(Season: 351, Order: new ArimaOrder(1, 0, 0))));
        Assert.Equal("season", season.Field);
        var wma = Assert.Throws<InvalidInputException>(() => ClassicalBaselines.Evaluate(y, 20, 5, new ClassicalOptions(MovingAverageLength: 21, Order: new ArimaOrder(1, 0, 0))));
        Assert.Equal("wma", wma.Field);
    }

    [Fact]
    public void Without_a_season_there_is_no_seasonal_naive_and_the_average_fits_a_short_window()
    {
        var y = ArimaReference.Values("ar2");
        var result = ClassicalBaselines.Evaluate(y, 3, 2, new ClassicalOptions(Order: new ArimaOrder(1, 0, 0)));
        Assert.Equal(["wma", "arima"], result.Figures.Select(f => f.Method));
        Assert.Equal("n 3, weights 1..3", result.Figures[0].Settings);
        Assert.Null(result.Selection);
    }
}
