using System.Buffers.Binary;
using System.Security.Cryptography;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>
/// Reference values from numpy 1.24.2 (Debian python3-numpy, /usr/bin/python3) running the book's generator:
/// <code>
/// import numpy as np, hashlib
/// def generate_time_series(batch_size, n_steps):
///     freq1, freq2, offset1, offset2 = np.random.rand(4, batch_size, 1)
///     time = np.linspace(0, 1, n_steps)
///     series = 0.5 * np.sin((time - offset1) * (freq1 * 10 + 10))
///     series += 0.2 * np.sin((time - offset2) * (freq2 * 20 + 20))
///     series += 0.1 * (np.random.rand(batch_size, n_steps) - 0.5)
///     return series[..., np.newaxis].astype(np.float32)
/// np.random.seed(42); s = generate_time_series(10000, 51)
/// print(hashlib.sha256(s.astype('&lt;f4').tobytes()).hexdigest())
/// print(s[b, t, 0].view(np.uint32))   # for the (b, t) of each explicit value below
/// </code>
/// </summary>
public class ChapterSeriesTests
{
    private static string Sha256OfFloats(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static string Sha256OfDoubles(double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>
    /// <c>/usr/bin/python3 -c "import numpy as np, hashlib; t = np.linspace(0, 1, N); print(hashlib.sha256(t.astype('&lt;f8').tobytes()).hexdigest())"</c>
    /// and <c>print([repr(float(v)) for v in np.linspace(-3, 2.5, 7)])</c>, <c>np.linspace(0.1, 0.7, 13)</c>.
    /// </summary>
    [Fact]
    public void Linspace_MatchesNumpyBitForBit()
    {
        Assert.Equal("4a15535ba4f14f1fc73683cea5b7366fcee2984a2bf557f765bba1790779dffb", Sha256OfDoubles(ChapterSeries.Linspace(0, 1, 51)));
        Assert.Equal("0e810ebeedae662c456e3ebd1c0f084ef4173dbf1a4c0c760b0b3586b68fdef5", Sha256OfDoubles(ChapterSeries.Linspace(0, 1, 60)));
        Assert.Equal(0.11864406779661017, ChapterSeries.Linspace(0, 1, 60)[7]);
        Assert.Equal(
            [-3.0, -2.0833333333333335, -1.1666666666666667, -0.25, 0.6666666666666665, 1.583333333333333, 2.5],
            ChapterSeries.Linspace(-3, 2.5, 7));
        Assert.Equal(
            [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.44999999999999996, 0.5, 0.5499999999999999, 0.6, 0.6499999999999999, 0.7],
            ChapterSeries.Linspace(0.1, 0.7, 13));
    }

    /// <summary>
    /// All 510,000 float32 values equal numpy's. (numpy's vectorised float64 sin differs from glibc's sin in the last
    /// bit on about 64% of these arguments, but no difference survives the cast to float32 on this data.)
    /// </summary>
    [Fact]
    public void Generate_Seed42_10000x51_MatchesNumpyBitForBit()
    {
        float[] series = ChapterSeries.Generate(new NumpyRandomState(42), 10000, 51); // [10000, 51]
        Assert.Equal(10000 * 51, series.Length);
        (int Batch, int Step, uint Bits)[] expected =
        [
            (0, 0, 1055612190), (0, 50, 3199579306), (1, 17, 1029666099), (6999, 49, 1059702455),
            (7000, 0, 3200293731), (9999, 50, 1028585137), (1234, 25, 1044196451),
        ];
        foreach (var (batch, step, bits) in expected)
            Assert.Equal(bits, BitConverter.SingleToUInt32Bits(series[batch * 51 + step]));
        Assert.Equal(0.4596948027610779, (double)series[0]);
        Assert.Equal("1c2bc3c0ca6df96c719a36a3673e0d94669d3e6585d61d5b5a68cf19af059f7e", Sha256OfFloats(series));
    }

    /// <summary>The ten-step series: as above with <c>generate_time_series(10000, 60)</c>.</summary>
    [Fact]
    public void Generate_Seed42_10000x60_MatchesNumpyBitForBit()
    {
        float[] series = ChapterSeries.Generate(new NumpyRandomState(42), 10000, 60);
        Assert.Equal("987a55039144828f502e972a2a7e837a0cf2f04af41b08ac2c9d4d1bdc0ddc6c", Sha256OfFloats(series));
    }

    [Fact]
    public void OneStep_SplitsTheGeneratedSeries()
    {
        float[] series = ChapterSeries.Generate(new NumpyRandomState(42), 10000, 51);
        DataSplit split = ChapterSeries.OneStep(42);
        var sets = new[] { (split.Train, 0, 7000), (split.Valid, 7000, 2000), (split.Test, 9000, 1000) };
        foreach (var (set, first, count) in sets)
        {
            Assert.Equal((count, 50, 1, 1), (set.Count, set.Steps, set.Features, set.TargetSize));
            foreach (int i in new[] { 0, 1, count / 2, count - 1 })
            {
                Assert.Equal(series.AsSpan((first + i) * 51, 50).ToArray(), set.Input(i).ToArray());
                Assert.Equal(series[(first + i) * 51 + 50], set.Target(i)[0]);
            }
        }
        Assert.Equal((1.0, 0.0), (split.TargetScale, split.TargetMean));
    }

    /// <summary>
    /// The chapter's naive forecast (predict the last input value). Cross-check:
    /// <c>np.random.seed(42); s = generate_time_series(10000, 51); np.mean((s[7000:9000, 49, 0].astype(np.float64) - s[7000:9000, 50, 0]) ** 2)</c>
    /// gives 0.020211366061621258.
    /// </summary>
    [Fact]
    public void OneStep_NaiveValidationMse_Is0_020211()
    {
        Dataset valid = ChapterSeries.OneStep(42).Valid;
        double sum = 0.0;
        for (int i = 0; i < valid.Count; i++)
        {
            double error = (double)valid.Input(i)[49] - valid.Target(i)[0];
            sum += error * error;
        }
        Assert.Equal(0.020211, Math.Round(sum / valid.Count, 6));
    }

    /// <summary>
    /// Repeat the last input value for all 10 targets. Measured here (sequential double sum) 0.25697405603913764; cross-check:
    /// <c>np.random.seed(42); s = generate_time_series(10000, 60); np.mean((s[7000:9000, 50:, 0].astype(np.float64) - s[7000:9000, 49:50, 0]) ** 2)</c>
    /// gives 0.25697405603913304 (numpy sums pairwise, hence the difference in the 15th digit).
    /// </summary>
    [Fact]
    public void TenStep_NaiveValidationMse_Is0_257()
    {
        DataSplit split = ChapterSeries.TenStep(42);
        Dataset valid = split.Valid;
        Assert.Equal((2000, 50, 1, 10), (valid.Count, valid.Steps, valid.Features, valid.TargetSize));
        Assert.Equal((7000, 1000), (split.Train.Count, split.Test.Count));
        double sum = 0.0;
        for (int i = 0; i < valid.Count; i++)
        {
            double last = valid.Input(i)[49];
            foreach (float target in valid.Target(i))
                sum += (target - last) * (target - last);
        }
        double mse = sum / (valid.Count * 10.0);
        Console.WriteLine($"ten-step naive validation MSE: {mse:R}");
        Assert.Equal(0.257, Math.Round(mse, 3));
        Assert.Equal(0.25697405603913304, mse, 1e-12);
    }

    [Fact]
    public void TenStep_TargetsAreTheValuesAfterTheInputs()
    {
        float[] series = ChapterSeries.Generate(new NumpyRandomState(3), 10000, 54);
        Dataset test = ChapterSeries.TenStep(3, horizon: 4).Test;
        Assert.Equal(4, test.TargetSize);
        int row = 9000 + 123;
        Assert.Equal(series.AsSpan(row * 54, 50).ToArray(), test.Input(123).ToArray());
        Assert.Equal(series.AsSpan(row * 54 + 50, 4).ToArray(), test.Target(123).ToArray());
    }

    [Fact]
    public void SequenceToSequence_TargetAtStepTAndAheadKIsSeriesAtTPlusK()
    {
        DataSplit tenStep = ChapterSeries.TenStep(42);
        DataSplit sequence = ChapterSeries.SequenceToSequence(42);
        Dataset valid = sequence.Valid;
        Assert.Equal((2000, 50, 1, 500), (valid.Count, valid.Steps, valid.Features, valid.TargetSize));
        Assert.Equal(tenStep.Valid.Inputs, valid.Inputs);
        foreach (int i in new[] { 0, 999, 1999 })
        {
            ReadOnlySpan<float> x = valid.Input(i);            // [50]
            ReadOnlySpan<float> last = tenStep.Valid.Target(i); // [10] = series[50..59]
            ReadOnlySpan<float> y = valid.Target(i);            // [50, 10]
            for (int t = 0; t < 50; t++)
                for (int k = 1; k <= 10; k++)
                    Assert.Equal(t + k < 50 ? x[t + k] : last[t + k - 50], y[t * 10 + k - 1]);
        }
    }

    [Fact]
    public void SameSeedSameData_OtherSeedOtherData()
    {
        Assert.Equal(ChapterSeries.OneStep(5).Test.Targets, ChapterSeries.OneStep(5).Test.Targets);
        Assert.NotEqual(ChapterSeries.OneStep(5).Test.Targets, ChapterSeries.OneStep(6).Test.Targets);
    }

    [Fact]
    public void NegativeSeed_IsRejected()
    {
        var error = Assert.Throws<InvalidInputException>(() => ChapterSeries.OneStep(-1));
        Assert.Equal("data_seed", error.Field);
        Assert.Contains("-1", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void HorizonBelowOne_IsRejected(int horizon)
    {
        var error = Assert.Throws<InvalidInputException>(() => ChapterSeries.TenStep(42, horizon));
        Assert.Equal("horizon", error.Field);
        Assert.Contains(horizon.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Equal("horizon", Assert.Throws<InvalidInputException>(() => ChapterSeries.SequenceToSequence(42, horizon)).Field);
    }
}
