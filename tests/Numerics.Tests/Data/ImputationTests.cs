using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>
/// Gaps filled left to right from a forecaster's values, long gaps step by step; gaps without a whole history before
/// them (in the series or in another input column) left and reported.
/// </summary>
public class ImputationTests
{
    // a forecaster that remembers what it was given: forecast k = last value + (k + 1) * 0.5 + the history's sum / 1000
    private sealed class Recording
    {
        public List<double[]> Histories { get; } = [];

        public double[] Forecast(double[] history, int horizon)
        {
            Histories.Add(history);
            return [.. Enumerable.Range(0, horizon).Select(k => history[^1] + (k + 1) * 0.5 + history.Sum() / 1000)];
        }
    }

    [Fact]
    public void A_gap_longer_than_the_horizon_is_filled_from_the_forecasters_own_forecasts_step_by_step()
    {
        var series = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        for (int t = 8; t < 15; t++) series[t] = double.NaN; // 7 missing values, horizon 3: forecasts at 8, 11, 14
        var recording = new Recording();
        var result = Imputation.Fill(series, [], 4, 3, h => recording.Forecast(h[0], 3));

        // by hand: the same forecasts, each from the 4 values before it, the earlier forecasts included
        var expected = (double[])series.Clone();
        var check = new Recording();
        for (int t = 8; t < 15; t += 3)
        {
            var f = check.Forecast(expected[(t - 4)..t], 3);
            for (int k = 0; k < 3 && t + k < 15; k++) expected[t + k] = f[k];
        }
        Assert.Equal(expected, result.Series);
        Assert.Equal(3, result.Forecasts);
        Assert.Equal(1, result.LongerThanHorizon);
        Assert.Equal(7, result.FilledValues);
        Assert.Equal(recording.Histories[1][^3..], result.Series[8..11]); // the second forecast saw the first one's values
        Assert.Equal(series.Where((v, i) => i is < 8 or >= 15), result.Series.Where((v, i) => i is < 8 or >= 15));
    }

    [Fact]
    public void A_gap_without_a_whole_history_before_it_is_left_and_reported_and_so_is_one_behind_it()
    {
        var series = Enumerable.Range(0, 30).Select(i => (double)i).ToArray();
        series[2] = double.NaN;              // only 2 values before it: history 4 is not there
        series[5] = double.NaN;              // its history (1..4) holds the unfilled gap at 2
        series[12] = series[13] = double.NaN; // 7..11 known: filled
        var result = Imputation.Fill(series, [], 4, 1, h => [h[0][^1] + 1]);
        Assert.Equal([new SeriesGap(2, 1), new SeriesGap(5, 1)], result.Unfilled);
        Assert.Equal([new SeriesGap(12, 2)], result.Filled);
        Assert.True(double.IsNaN(result.Series[2]) && double.IsNaN(result.Series[5]));
        Assert.Equal([12.0, 13.0], result.Series[12..14]); // 11 + 1, then (11 + 1) + 1
    }

    [Fact]
    public void A_forecaster_of_two_columns_reads_the_other_columns_rows_and_a_gap_there_leaves_the_gap_it_feeds()
    {
        var series = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        var other = Enumerable.Range(0, 40).Select(i => 100.0 + 2 * i).ToArray();
        series[10] = series[11] = series[12] = series[13] = series[14] = double.NaN; // horizon 2: forecasts at 10, 12, 14 read rows 6..13
        series[25] = double.NaN;                                                      // its forecast reads rows 21..24
        other[13] = double.NaN;                                                       // read by the forecast at 14 only: the whole gap is left
        other[20] = double.NaN;                                                       // not read by the forecast at 25
        series[33] = double.NaN;
        other[33] = double.NaN;                                                       // the gap's own row: not read
        var histories = new List<double[][]>();
        var result = Imputation.Fill(series, [other], 4, 2, h =>
        {
            histories.Add(h);
            return [h[0][^1] + h[1][^1] / 100, h[0][^1] + h[1][^1] / 50];
        });

        Assert.Equal([new SeriesGap(10, 5)], result.Unfilled);
        Assert.Equal([new SeriesGap(25, 1), new SeriesGap(33, 1)], result.Filled);
        Assert.Equal(2, result.Forecasts);
        Assert.Equal([21.0, 22, 23, 24], histories[0][0]);
        Assert.Equal([142.0, 144, 146, 148], histories[0][1]);
        Assert.Equal(24 + 148.0 / 100, result.Series[25]);
        Assert.Equal(32 + 164.0 / 100, result.Series[33]);
        Assert.All(Enumerable.Range(10, 5), t => Assert.True(double.IsNaN(result.Series[t])));
    }
}
