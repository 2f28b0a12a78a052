using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>A sequence task's kept target steps must end at the last input step of the window, where its figure is taken.</summary>
public class ForecastTaskTests
{
    [Theory]
    [InlineData(0, 2, 50, "49 or 51")]   // ends at 48
    [InlineData(2, 3, 50, "48 or 51")]   // ends at 47
    [InlineData(3, 2, 31, "30 or 32")]   // conv-gru on an odd window
    [InlineData(3, 2, 3, "e.g. 4")]      // no kept step at all
    public void Sequence_targets_ending_before_the_last_step_are_rejected_naming_the_window(int start, int stride, int window, string nearest)
    {
        var task = new ForecastTask(ForecastKind.Sequence, 10, TargetStart: start, TargetStride: stride);
        task.Validate();
        var e = Assert.Throws<InvalidInputException>(() => task.ValidateWindow(window));
        Assert.Equal("window", e.Field);
        Assert.Contains($"must end at the window's last step ({window - 1})", e.Message);
        Assert.Contains(nearest, e.Message);
    }

    [Theory]
    [InlineData(0, 1, 50)]
    [InlineData(3, 2, 50)]   // conv-gru's Y[:, 3::2] ends at step 49
    [InlineData(3, 2, 30)]
    [InlineData(3, 2, 4)]
    [InlineData(49, 7, 50)]
    [InlineData(0, 1, 1)]
    public void Sequence_targets_ending_at_the_last_step_are_accepted(int start, int stride, int window) =>
        new ForecastTask(ForecastKind.Sequence, 10, TargetStart: start, TargetStride: stride).ValidateWindow(window);

    [Fact]
    public void On_the_chapters_fixed_windows_the_error_names_the_model()
    {
        var task = new ForecastTask(ForecastKind.Sequence, 10, TargetStart: 0, TargetStride: 2);
        var e = Assert.Throws<InvalidInputException>(() => task.TrainingData(new ChapterSource(42)));
        Assert.Equal("model", e.Field);
        Assert.Contains("do not end at the last input step 49 of the 50-step windows", e.Message);
    }

    [Fact]
    public void Conv_gru_on_an_odd_csv_window_is_refused_before_training()
    {
        var task = new ForecastTask(ForecastKind.Sequence, 7, TargetStart: 3, TargetStride: 2);
        double[] series = [.. Enumerable.Range(0, 400).Select(i => (double)i)];
        var e = Assert.Throws<InvalidInputException>(() => task.TrainingData(new CsvSource([series], 31, "index")));
        Assert.Equal("window", e.Field);
        var split = task.TrainingData(new CsvSource([series], 30, "index"));
        Assert.Equal(14 * 7, split.Train.TargetSize);   // steps 3, 5, ..., 29
    }
}
