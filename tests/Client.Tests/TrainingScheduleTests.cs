using RnnCluster.Numerics;

namespace RnnCluster.Client.Tests;

/// <summary>How --epochs and --early-stopping combine with the defaults: the chapter's 20 epochs, early stopping within a cap on --data.</summary>
public class TrainingScheduleTests
{
    [Theory]
    // chapter: the chapter's 20 epochs, early stopping only when asked, within --epochs (20 by default)
    [InlineData(true, null, null, 20, null, false)]
    [InlineData(true, 5, null, 5, null, false)]
    [InlineData(true, null, 3, 20, 3, false)]
    [InlineData(true, null, 0, 20, null, false)]
    // --data: early stopping by default (patience 10 within 200 epochs) unless either option is given
    [InlineData(false, null, null, 200, 10, true)]
    [InlineData(false, 7, null, 7, null, false)]
    [InlineData(false, null, 4, 200, 4, false)]
    [InlineData(false, null, 0, 20, null, false)]
    [InlineData(false, 30, 0, 30, null, false)]
    [InlineData(false, 30, 5, 30, 5, false)]
    public void Epochs_and_patience(bool chapter, int? epochs, int? earlyStopping, int expectedEpochs, int? expectedPatience, bool dataDefault)
    {
        var schedule = TrainingSchedule.For(chapter, leastSquares: false, epochs, earlyStopping);
        Assert.Equal((expectedEpochs, expectedPatience, dataDefault), (schedule.Epochs, schedule.Patience, schedule.DataDefault));
        Assert.Equal(expectedPatience is null, schedule.Describe() is null);
    }

    [Fact]
    public void A_least_squares_fit_is_one_epoch_and_refuses_more_or_early_stopping()
    {
        var fit = TrainingSchedule.For(chapterData: false, leastSquares: true, null, null);
        Assert.Equal((1, (int?)null), (fit.Epochs, fit.Patience));
        Assert.StartsWith("least squares", fit.Describe());
        Assert.Equal(1, TrainingSchedule.For(false, true, 1, 0).Epochs);
        Assert.Equal("--epochs", Assert.Throws<InvalidInputException>(() => TrainingSchedule.For(false, true, 20, null)).Field);
        Assert.Equal("--early-stopping", Assert.Throws<InvalidInputException>(() => TrainingSchedule.For(false, true, null, 10)).Field);
        Assert.Equal("--early-stopping", Assert.Throws<InvalidInputException>(() => TrainingSchedule.For(true, false, null, -1)).Field);
    }
}
