using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

public class SeriesWindowsTests
{
    /// <summary>
    /// 20 values: segments of 14 (train), 4 (valid) and 2 (test). The training segment alternates 1, 3 (mean 2,
    /// population std 1) and 0, 4 (mean 2, std 2); later values are far away, so statistics over the whole series
    /// would give other numbers.
    /// </summary>
    private static double[][] HandSeries()
    {
        var a = new double[20];
        var b = new double[20];
        for (int i = 0; i < 14; i++)
        {
            a[i] = i % 2 == 0 ? 1 : 3;
            b[i] = i % 2 == 0 ? 0 : 4;
        }
        double[] aLater = [10, 11, 12, 13, 20, 21];
        double[] bLater = [6, 8, 10, 12, 22, 42];
        aLater.CopyTo(a, 14);
        bLater.CopyTo(b, 14);
        return [a, b];
    }

    [Fact]
    public void Standardisation_UsesTrainingSegmentStatisticsOnly()
    {
        DataSplit split = SeriesWindows.Create(HandSeries()[..1], 0, window: 1, horizon: 1, "hand");
        Assert.Equal((2.0, 1.0), (split.TargetMean, split.TargetScale));
        Assert.Equal((13, 3, 1), (split.Train.Count, split.Valid.Count, split.Test.Count));
        Assert.Equal([-1f, 1f, -1f], split.Train.Inputs[..3]);
        Assert.Equal([8f, 9f, 10f], split.Valid.Inputs);
        Assert.Equal([9f, 10f, 11f], split.Valid.Targets);
        Assert.Equal([18f], split.Test.Inputs);
        Assert.Equal([19f], split.Test.Targets);
    }

    [Fact]
    public void Multivariate_StandardisesEachColumnAndPredictsTheTargetColumn()
    {
        DataSplit split = SeriesWindows.Create(HandSeries(), 1, window: 1, horizon: 1, "hand");
        Assert.Equal((2.0, 2.0), (split.TargetMean, split.TargetScale));
        Dataset valid = split.Valid; // valid segment: a = 10, 11, 12, 13; b = 6, 8, 10, 12
        Assert.Equal((3, 1, 2, 1), (valid.Count, valid.Steps, valid.Features, valid.TargetSize));
        // [count, window, features]: (a - 2) / 1 and (b - 2) / 2
        Assert.Equal([8f, 2f, 9f, 3f, 10f, 4f], valid.Inputs);
        Assert.Equal([3f, 4f, 5f], valid.Targets);
        Assert.Equal([18f, 10f], split.Test.Inputs); // test segment: a = 20, 21; b = 22, 42
        Assert.Equal([20f], split.Test.Targets);
    }

    [Fact]
    public void ColumnConstantOverTraining_GetsScaleOne()
    {
        double[] flat = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 9, 10, 11];
        DataSplit split = SeriesWindows.Create([flat], 0, 1, 1, "flat");
        Assert.Equal((5.0, 1.0), (split.TargetMean, split.TargetScale));
        Assert.Equal([1f, 2f, 3f], split.Valid.Inputs);
        Assert.All(split.Train.Inputs, v => Assert.Equal(0f, v));
    }

    /// <summary>Series value = its index, so de-standardised values say where each window came from.</summary>
    [Fact]
    public void Windows_StayInsideTheirSegmentAndAdvanceByOne()
    {
        const int length = 1000, window = 24, horizon = 3;
        double[] index = Enumerable.Range(0, length).Select(i => (double)i).ToArray();
        DataSplit split = SeriesWindows.Create([index], 0, window, horizon, "index");
        var segments = new[] { (split.Train, 0, 700), (split.Valid, 700, 900), (split.Test, 900, 1000) };
        foreach (var (set, start, end) in segments)
        {
            Assert.Equal(end - start - window - horizon + 1, set.Count);
            Assert.Equal((window, 1, horizon), (set.Steps, set.Features, set.TargetSize));
            for (int i = 0; i < set.Count; i++)
            {
                int first = start + i;
                ReadOnlySpan<float> x = set.Input(i);
                for (int t = 0; t < window; t++)
                    Assert.Equal(first + t, Math.Round(x[t] * split.TargetScale + split.TargetMean));
                ReadOnlySpan<float> y = set.Target(i);
                for (int k = 0; k < horizon; k++)
                    Assert.Equal(first + window + k, Math.Round(y[k] * split.TargetScale + split.TargetMean));
            }
            Assert.Equal(end - 1, Math.Round(set.Target(set.Count - 1)[horizon - 1] * split.TargetScale + split.TargetMean));
        }
        // no validation window holds a training-segment value (index < 700)
        double smallestValid = split.Valid.Inputs.Min() * split.TargetScale + split.TargetMean;
        Assert.Equal(700, Math.Round(smallestValid));
    }

    [Fact]
    public void TooLargeWindow_IsRejectedWithLengthsAndLargestWindow()
    {
        double[][] series = HandSeries()[..1];
        var error = Assert.Throws<InvalidInputException>(() => SeriesWindows.Create(series, 0, 2, 1, "hand.csv"));
        Assert.Equal("window", error.Field);
        Assert.Contains("hand.csv has 20 values", error.Message);
        Assert.Contains("14, 4 and 2", error.Message);
        Assert.Contains("the largest window that works with horizon 1 is 1", error.Message);
        Assert.Equal(1, SeriesWindows.Create(series, 0, 1, 1, "hand.csv").Test.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void SeriesTooShortForAnyWindow_SaysTheLengthNeeded(int horizon)
    {
        int needed = 10 * horizon + 1;
        double[] tooShort = new double[needed - 1];
        var error = Assert.Throws<InvalidInputException>(() => SeriesWindows.Create([tooShort], 0, 1, horizon, "short"));
        Assert.Equal("window", error.Field);
        Assert.Contains($"needs at least {needed} values", error.Message);
        DataSplit split = SeriesWindows.Create([new double[needed]], 0, 1, horizon, "short");
        Assert.Equal(1, split.Test.Count);
    }

    [Theory]
    [InlineData(0, 1, "window")]
    [InlineData(-2, 1, "window")]
    [InlineData(3, 0, "horizon")]
    public void WindowOrHorizonBelowOne_IsRejected(int window, int horizon, string field)
    {
        var error = Assert.Throws<InvalidInputException>(() => SeriesWindows.Create(HandSeries(), 0, window, horizon, "hand"));
        Assert.Equal(field, error.Field);
        Assert.Contains(field == "window" ? $"{window} is not allowed" : $"{horizon} is not allowed", error.Message);
    }

    [Fact]
    public void SeattleFourColumns_PredictingTempMax()
    {
        string[] names = ["precipitation", "temp_max", "temp_min", "wind"];
        double[][] columns = CsvSeries.ReadColumns(ExampleData.SeattleWeather, names);
        DataSplit split = SeriesWindows.Create(columns, 1, window: 30, horizon: 1, "seattle-weather.csv");

        // 1461 rows: segments 1022, 292, 147
        Assert.Equal((992, 262, 117), (split.Train.Count, split.Valid.Count, split.Test.Count));
        Assert.Equal((30, 4, 1), (split.Valid.Steps, split.Valid.Features, split.Valid.TargetSize));

        double[] trainTempMax = columns[1][..1022];
        double mean = trainTempMax.Average();
        double std = Math.Sqrt(trainTempMax.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, split.TargetMean, 1e-9);
        Assert.Equal(std, split.TargetScale, 1e-9);
        Assert.Equal((float)((columns[1][30] - split.TargetMean) / split.TargetScale), split.Train.Target(0)[0]);
        Assert.Equal((float)((columns[1][1022 + 30] - split.TargetMean) / split.TargetScale), split.Valid.Target(0)[0]);

        // the first validation window starts at row 1022, all four features
        ReadOnlySpan<float> firstStep = split.Valid.Input(0)[..4];
        for (int f = 0; f < 4; f++)
        {
            double[] train = columns[f][..1022];
            double m = train.Average();
            double s = Math.Sqrt(train.Select(v => (v - m) * (v - m)).Average());
            Assert.Equal((float)((columns[f][1022] - m) / s), firstStep[f], 1e-6f);
        }
    }
}
