using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

public class DifferencingTests
{
    private static double[] Seasonal(int n) =>
        Enumerable.Range(0, n).Select(t => 300 + 0.1 * t + 3 * Math.Sin(2 * Math.PI * t / 12) + (t % 5) * 0.01).ToArray();

    [Theory]
    [InlineData(new[] { 12 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 12, 1 })]
    public void Undoing_the_true_differences_gives_back_the_series(int[] periods)
    {
        var x = Seasonal(200);
        var differencing = new Differencing(x, periods);
        var differenced = differencing.Apply(x);   // starts at series index Dropped
        int origin = 150, horizon = 30;             // beyond one period: undone from its own (here exact) forecasts
        var forecast = differenced.AsSpan(origin - differencing.Dropped, horizon);
        var undone = differencing.Undo(origin, forecast);
        for (int k = 0; k < horizon; k++) Assert.Equal(x[origin + k], undone[k], 9);
    }

    [Fact]
    public void Beyond_the_period_the_forecasts_own_values_are_added_back_never_actual_future_values()
    {
        // Period 2, forecast of differences all zero: steps 1-2 repeat the last two known values, steps 3-4 repeat
        // the forecasts of steps 1-2, whatever the actual future holds.
        double[] x = [1, 2, 3, 4, 5, 100, 200, 300, 400];
        var differencing = new Differencing(x, [2]);
        var undone = differencing.Undo(5, [0, 0, 0, 0]);
        Assert.Equal([4, 5, 4, 5], undone);
        x[7] = -1000;
        Assert.Equal([4, 5, 4, 5], new Differencing(x, [2]).Undo(5, [0, 0, 0, 0]));
    }

    [Fact]
    public void Periods_removing_the_whole_series_are_rejected()
    {
        var e = Assert.Throws<InvalidInputException>(() => new Differencing(Seasonal(20), [12, 12]));
        Assert.Equal("difference", e.Field);
        Assert.Equal("difference", Assert.Throws<InvalidInputException>(() => new Differencing(Seasonal(20), [0])).Field);
    }

    [Fact]
    public void Windows_of_a_differenced_csv_series_index_the_original_series()
    {
        var x = Seasonal(300);
        var split = new CsvSource([x], 24, "test", [12]).Vector(3);
        Assert.NotNull(split.Differencing);
        // the first training window starts right after the dropped values: its first target is x[12 + 24]
        Assert.Equal(12 + 24, split.Train.Origins![0]);
        double d = (split.Train.Target(0)[0] * split.TargetScale) + split.TargetMean;
        Assert.Equal(x[36] - x[24], d, 5);
    }

    [Fact]
    public void The_last_validation_window_is_reported_in_the_series_units()
    {
        var x = Seasonal(300);
        var source = new CsvSource([x], 24, "test", [12]);
        var task = new ForecastTask(ForecastKind.Vector, 3);
        var split = task.TrainingData(source);
        var spec = new RnnCluster.Numerics.Models.ModelSpec([new RnnCluster.Numerics.Models.FlattenSpec(), new RnnCluster.Numerics.Models.DenseSpec(3)]);
        var parameters = new RnnCluster.Numerics.Models.Network(spec, 24, 1, 1).InitialParameters(1);
        var (input, actual, forecast) = RnnCluster.Numerics.Training.ForecastFigures.LastValidationWindow(task, spec, parameters, split, split, 32);
        int origin = split.Valid.Origins![^1];
        Assert.Equal(x[(origin - 24)..origin], input);
        Assert.Equal(x[origin..(origin + 3)], actual);
        Assert.Equal(3, forecast.Length);
        // the model forecasts standardised differences; undone, each is last year's value plus the difference in units
        var predicted = new RnnCluster.Numerics.Training.Evaluator(spec, split.Train, 32).Predict(parameters, split.Valid);
        for (int k = 0; k < 3; k++)
        {
            double difference = predicted[(split.Valid.Count - 1) * 3 + k] * split.TargetScale + split.TargetMean;
            Assert.Equal(x[origin + k - 12] + difference, forecast[k], 1e-9);
        }
    }
}
