using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>Series with gaps (NaN): windows that touch one are skipped and counted per split, statistics ignore gaps, differencing spreads them.</summary>
public class SeriesGapTests
{
    // 40 values 0, 1, 2, ...: segments [0, 28) train, [28, 36) validation, [36, 40) test
    private static double[] Ramp(params int[] gaps)
    {
        var series = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        foreach (int g in gaps) series[g] = double.NaN;
        return series;
    }

    [Fact]
    public void Windows_touching_a_gap_are_skipped_and_counted_per_split()
    {
        // window 3 + horizon 1 = spans of 4 rows. A gap at row 10 lies in the spans starting at 7, 8, 9, 10 (4 of the
        // 25 training windows, starts 0..24); a gap at 30 lies in those starting at 27..30, of which 28, 29, 30 are
        // validation windows (starts 28..32); the test segment's one window (start 36) has none.
        var split = SeriesWindows.Create([Ramp(10, 30)], 0, 3, 1, "ramp");
        Assert.Equal(new WindowCounts(4, 3, 0), split.Skipped);
        Assert.Equal(25 - 4, split.Train.Count);
        Assert.Equal(5 - 3, split.Valid.Count);
        Assert.Equal(1, split.Test.Count);
        Assert.DoesNotContain(split.Train.Origins!, o => o - 3 <= 10 && 10 < o + 1);
        Assert.Equal([34, 35], split.Valid.Origins!); // the windows starting at 31 and 32
        Assert.All(split.Train.Inputs, v => Assert.True(float.IsFinite(v)));
        Assert.All(split.Valid.Targets, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Every_kept_window_holds_the_series_values_of_its_span()
    {
        var series = Ramp(10, 11, 30);
        var split = SeriesWindows.Create([series], 0, 2, 2, "ramp");
        foreach (var set in new[] { split.Train, split.Valid, split.Test })
            for (int i = 0; i < set.Count; i++)
            {
                int origin = set.Origins![i];
                for (int t = 0; t < 2; t++)
                    Assert.Equal(series[origin - 2 + t], set.Input(i)[t] * split.ColumnScales![0] + split.ColumnMeans![0], 4);
                for (int k = 0; k < 2; k++)
                    Assert.Equal(series[origin + k], set.Target(i)[k] * split.TargetScale + split.TargetMean, 4);
            }
    }

    [Fact]
    public void A_gap_in_any_used_column_skips_the_window_and_the_same_windows_are_cut_for_sequence_targets()
    {
        var target = Ramp();
        var other = Ramp(12);
        var vector = SeriesWindows.Create([target, other], 0, 3, 1, "two");
        var sequence = SeriesWindows.CreateSequence([target, other], 0, 3, 1, "two");
        Assert.Equal(4, vector.Skipped.Train);
        Assert.Equal(vector.Train.Origins, sequence.Train.Origins);
        Assert.Equal(vector.Skipped, sequence.Skipped);
    }

    [Fact]
    public void The_statistics_come_from_the_training_parts_values_that_are_not_gaps()
    {
        var series = Ramp(3, 4, 20);
        var known = series[..28].Where(v => !double.IsNaN(v)).ToArray();
        double mean = known.Average();
        double std = Math.Sqrt(known.Sum(v => (v - mean) * (v - mean)) / known.Length);
        var split = SeriesWindows.Create([series], 0, 3, 1, "ramp");
        Assert.Equal(mean, split.TargetMean, 12);
        Assert.Equal(std, split.TargetScale, 12);
        Assert.NotEqual(Ramp()[..28].Average(), split.TargetMean, 6);
    }

    [Fact]
    public void A_series_where_gaps_leave_no_training_window_is_refused_naming_the_split()
    {
        // a gap every 4th row of the training part: no 4 consecutive values are free of gaps
        var series = Ramp(Enumerable.Range(0, 7).Select(i => 4 * i + 2).ToArray());
        var error = Assert.Throws<InvalidInputException>(() => SeriesWindows.Create([series], 0, 3, 1, "ramp.csv"));
        Assert.Equal("data", error.Field);
        Assert.Contains("every training window of ramp.csv touches a gap", error.Message);
        Assert.Contains("shorter window", error.Message);
    }

    [Fact]
    public void Differencing_a_gap_gives_gaps_at_both_of_its_differences()
    {
        var series = Ramp(10);
        var differenced = new Differencing(series, [3]).Apply(series); // index i is series index i + 3
        Assert.True(double.IsNaN(differenced[10 - 3]));   // x_10 - x_7
        Assert.True(double.IsNaN(differenced[13 - 3]));   // x_13 - x_10
        Assert.Equal(2, differenced.Count(double.IsNaN));
        var split = new CsvSource([series], 3, "ramp", [3]).Vector(1);
        Assert.DoesNotContain(split.Train.Origins!, o => (o - 3 <= 10 && 10 < o + 1) || (o - 3 <= 13 && 13 < o + 1));
        Assert.Equal((int)(37 * 0.7) + 3, split.TrainEnd); // 37 differences split 70/20/10, in the series' indices
    }

    [Fact]
    public void Gaps_are_found_as_maximal_runs()
    {
        var gaps = SeriesGap.Find(Ramp(0, 5, 6, 7, 39));
        Assert.Equal([new SeriesGap(0, 1), new SeriesGap(5, 3), new SeriesGap(39, 1)], gaps);
    }

    [Fact]
    public void Seasonal_naive_over_a_gap_takes_the_value_a_season_earlier_still()
    {
        double[] history = [1, 2, 3, 4, double.NaN, 6];
        var forecast = new double[2];
        SeasonalNaive.Forecast(history, 2, forecast); // x[t+1-2] = history[4] is a gap -> history[2]; x[t+2-2] = history[5]
        Assert.Equal([3.0, 6.0], forecast);
    }
}
