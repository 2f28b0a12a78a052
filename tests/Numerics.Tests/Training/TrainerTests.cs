using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

public class TrainerTests
{
    private static readonly ModelSpec Small = new([new SimpleRnnSpec(8, true), new SimpleRnnSpec(8), new DenseSpec(1)]);

    [Fact]
    public void The_same_seed_gives_bitwise_the_same_weights_and_hash()
    {
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, Seed: 5);
        var a = Trainer.Train(Small, TestData.SineSplit(), options);
        var b = Trainer.Train(Small, TestData.SineSplit(), options);
        Assert.Equal(a.Parameters.Select(BitConverter.SingleToInt32Bits), b.Parameters.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(a.WeightsHash, b.WeightsHash);
        Assert.Equal(a.History.Select(h => h.ValidMse), b.History.Select(h => h.ValidMse));
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var a = Trainer.Train(Small, TestData.SineSplit(), new TrainingOptions(Epochs: 1, Seed: 5));
        var b = Trainer.Train(Small, TestData.SineSplit(), new TrainingOptions(Epochs: 1, Seed: 6));
        Assert.NotEqual(a.WeightsHash, b.WeightsHash);
    }

    [Fact]
    public void Training_lowers_the_validation_loss()
    {
        var result = Trainer.Train(Small, TestData.SineSplit(), new TrainingOptions(Epochs: 8, LearningRate: 0.01f, Seed: 1));
        Assert.Equal(8, result.History.Count);
        Assert.True(result.History[^1].ValidMse < 0.5 * result.History[0].ValidMse,
            $"validation MSE went from {result.History[0].ValidMse} to {result.History[^1].ValidMse}");
        Assert.Equal(result.History[^1].ValidMse, result.ValidMse);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epochs_weights()
    {
        // A learning rate of 1 makes training unstable, so validation stops improving soon.
        var options = new TrainingOptions(Epochs: 30, LearningRate: 1f, Seed: 2, EarlyStoppingPatience: 2);
        var result = Trainer.Train(Small, TestData.SineSplit(), options);
        Assert.True(result.History.Count < 30, "training should have stopped early");
        Assert.Equal(result.History.Count - 2, result.BestEpoch);
        double best = result.History.Min(h => h.ValidMse);
        Assert.Equal(best, result.History[result.BestEpoch - 1].ValidMse);
        Assert.Equal(best, result.ValidMse, 12);
    }

    [Fact]
    public void Clipping_changes_the_updates_and_stays_deterministic()
    {
        var clipped = new TrainingOptions(Epochs: 1, Seed: 5, Clipping: new Numerics.Optim.GradientClipping(GlobalClipNorm: 1e-3f));
        var a = Trainer.Train(Small, TestData.SineSplit(), clipped);
        var b = Trainer.Train(Small, TestData.SineSplit(), clipped);
        var plain = Trainer.Train(Small, TestData.SineSplit(), new TrainingOptions(Epochs: 1, Seed: 5));
        Assert.Equal(a.WeightsHash, b.WeightsHash);
        Assert.NotEqual(plain.WeightsHash, a.WeightsHash);
    }

    [Fact]
    public void Dropout_masks_training_and_leaves_evaluation_alone()
    {
        var dropped = new ModelSpec([new SimpleRnnSpec(8, true, Dropout: 0.3f, RecurrentDropout: 0.3f), new SimpleRnnSpec(8), new DenseSpec(1)]);
        var data = TestData.SineSplit();
        var options = new TrainingOptions(Epochs: 1, Seed: 5);
        var withDropout = Trainer.Train(dropped, data, options);
        Assert.NotEqual(Trainer.Train(Small, data, options).WeightsHash, withDropout.WeightsHash);
        // the same weights evaluate the same with and without the dropout settings: no masks outside training
        double plainMse = new Evaluator(Small, data.Train, options.BatchSize).Mse(withDropout.Parameters, data.Valid);
        Assert.Equal(plainMse, withDropout.ValidMse);
    }

    [Fact]
    public void A_model_whose_output_does_not_fit_the_targets_is_rejected()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            Trainer.Train(new ModelSpec([new SimpleRnnSpec(3)]), TestData.SineSplit(), new TrainingOptions(Epochs: 1)));
        Assert.Equal("model", e.Field);
    }

    [Theory]
    [InlineData(0, 32, 1e-3f, "epochs")]
    [InlineData(1001, 32, 1e-3f, "epochs")]
    [InlineData(1, 0, 1e-3f, "batch_size")]
    [InlineData(1, 5000, 1e-3f, "batch_size")]
    [InlineData(1, 32, 0f, "learning_rate")]
    [InlineData(1, 32, float.NaN, "learning_rate")]
    public void Options_out_of_range_are_rejected_naming_the_field(int epochs, int batch, float lr, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => new TrainingOptions(epochs, batch, lr).Validate());
        Assert.Equal(field, e.Field);
    }
}
