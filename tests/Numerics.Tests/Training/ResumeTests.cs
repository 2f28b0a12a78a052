using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>
/// The loop's state saved at any step, written to bytes and read back, goes on to bitwise the weights of an
/// uninterrupted run; damaged bytes are refused; a non-finite gradient stops training naming the step and tensor.
/// </summary>
public class ResumeTests
{
    private static readonly ModelSpec Small = new([new SimpleRnnSpec(8, true), new SimpleRnnSpec(8), new DenseSpec(1)]);

    private static TrainingResult Run(TrainingOptions options, TrainingState? start = null, Func<TrainingState, bool, ValueTask>? checkpoint = null)
    {
        var data = TestData.SineSplit();
        var source = new LocalGradientSource(Small, data.Train, options.BatchSize, options.Seed);
        return TrainingLoop.RunAsync(Small, data, options, source, start: start, checkpoint: checkpoint).GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public void Resuming_from_any_saved_step_gives_the_uninterrupted_weights(int? patience)
    {
        var options = new TrainingOptions(Epochs: 4, BatchSize: 32, Seed: 7, EarlyStoppingPatience: patience);
        var saved = new List<byte[]>();
        var whole = Run(options, checkpoint: (state, epochEnd) =>
        {
            saved.Add(CheckpointFormat.Write(state));
            return ValueTask.CompletedTask;
        });
        int parameters = whole.Parameters.Length;
        Assert.True(saved.Count > 30, $"{saved.Count} checkpoints");
        // mid-epoch, at an epoch's end, the first and the last
        foreach (int i in new[] { 0, 5, 9, saved.Count / 2, saved.Count - 2 })
        {
            var state = CheckpointFormat.Read(saved[i], parameters);
            var resumed = Run(options, start: state);
            Assert.Equal(whole.WeightsHash, resumed.WeightsHash);
            Assert.Equal(whole.History.Select(h => h.ValidMse), resumed.History.Select(h => h.ValidMse));
            Assert.Equal(whole.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
            Assert.Equal(whole.TestMse, resumed.TestMse);
        }
    }

    [Fact]
    public void More_epochs_after_a_finished_run_equal_one_longer_run()
    {
        var finished = new List<TrainingState>();
        Run(new TrainingOptions(Epochs: 2, Seed: 3), checkpoint: (s, end) => { if (end) finished.Add(s.Copy()); return ValueTask.CompletedTask; });
        var longer = Run(new TrainingOptions(Epochs: 3, Seed: 3), start: finished[^1]);
        Assert.Equal(Run(new TrainingOptions(Epochs: 3, Seed: 3)).WeightsHash, longer.WeightsHash);
    }

    [Fact]
    public void A_state_round_trips_bit_for_bit()
    {
        TrainingState? mid = null;
        Run(new TrainingOptions(Epochs: 2, Seed: 1), checkpoint: (s, end) => { if (s.Step == 13) mid = s.Copy(); return ValueTask.CompletedTask; });
        var bytes = CheckpointFormat.Write(mid!);
        var back = CheckpointFormat.Read(bytes, mid!.Parameters.Length);
        Assert.Equal(bytes, CheckpointFormat.Write(back));
        Assert.Equal(13, back.Step);
        Assert.Equal(mid.AdamV.Select(BitConverter.SingleToInt32Bits), back.AdamV.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Truncated_or_altered_checkpoints_are_refused_saying_so()
    {
        TrainingState? last = null;
        var result = Run(new TrainingOptions(Epochs: 1, Seed: 1), checkpoint: (s, end) => { last = s.Copy(); return ValueTask.CompletedTask; });
        var bytes = CheckpointFormat.Write(last!);
        int n = result.Parameters.Length;
        var truncated = Assert.Throws<InvalidDataException>(() => CheckpointFormat.Read(bytes.AsSpan(0, bytes.Length - 100), n));
        Assert.Contains("truncated", truncated.Message);
        var altered = (byte[])bytes.Clone();
        altered[200] ^= 1;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => CheckpointFormat.Read(altered, n)).Message);
        Assert.Contains("not a checkpoint", Assert.Throws<InvalidDataException>(() => CheckpointFormat.Read("{}"u8, n)).Message);
        Assert.Contains("parameters", Assert.Throws<InvalidDataException>(() => CheckpointFormat.Read(bytes, n + 1)).Message);
    }

    private sealed class PoisonedSource(IGradientSource inner, long poisonStep, int poisonIndex, bool poisonLoss) : IGradientSource
    {
        public async ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum, CancellationToken cancellation)
        {
            double loss = await inner.SumAsync(parameters, step, epoch, batchStart, batchLength, gradientSum, cancellation);
            if (step != poisonStep) return loss;
            if (poisonLoss) return double.PositiveInfinity;
            gradientSum[poisonIndex] = float.NaN;
            return loss;
        }
    }

    [Theory]
    [InlineData(0, "simple_rnn/kernel")]
    [InlineData(-1, "dense/bias")]           // the last parameter
    [InlineData(-2, "loss")]
    public async Task A_non_finite_gradient_or_loss_stops_training_naming_the_step_and_tensor(int index, string tensor)
    {
        var data = TestData.SineSplit();
        var options = new TrainingOptions(Epochs: 2, Seed: 1);
        var network = new Network(Small, data.Train.Steps, data.Train.Features, 1);
        int poison = index == -1 ? network.ParameterCount - 1 : Math.Max(index, 0);
        var source = new PoisonedSource(new LocalGradientSource(Small, data.Train, options.BatchSize, options.Seed), 12, poison, index == -2);
        float[]? before = null;
        var e = await Assert.ThrowsAsync<DivergedException>(() => TrainingLoop.RunAsync(Small, data, options, source,
            afterStep: (step, w) => { if (step == 11) before = (float[])w.Clone(); }));
        Assert.Equal(12, e.Step);
        Assert.Equal(tensor, e.Tensor);
        Assert.Contains("step 12", e.Message);
        Assert.NotNull(before);
    }

    [Fact]
    public void FirstIndex_finds_the_first_nan_or_infinity_at_every_position()
    {
        for (int n = 1; n < 40; n++)
            for (int at = 0; at < n; at++)
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    var x = Enumerable.Range(0, n).Select(i => (float)i * 1e30f).ToArray();
                    Assert.Equal(-1, NonFinite.FirstIndex(x));
                    x[at] = bad;
                    if (at + 1 < n) x[n - 1] = float.NaN;
                    Assert.Equal(at, NonFinite.FirstIndex(x));
                }
    }
}
