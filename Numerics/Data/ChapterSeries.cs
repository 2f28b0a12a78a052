namespace RnnCluster.Numerics.Data;

/// <summary>
/// The chapter's synthetic data: <c>generate_time_series</c> (two sine waves of random frequency and phase plus
/// uniform noise) and the three tasks built from it, each drawn as the notebook does after
/// <c>np.random.seed(dataSeed)</c>: the first 7,000 series train, the next 2,000 validate, the last 1,000 test.
/// Computed in float64 in numpy's operation order and cast to float32 at the end, so the values match numpy's.
/// </summary>
public static class ChapterSeries
{
    /// <summary>Series in the chapter's data sets.</summary>
    public const int SeriesCount = 10000;

    /// <summary>Time steps the models see.</summary>
    public const int InputSteps = 50;

    /// <summary>Training series: the first 7,000.</summary>
    public const int TrainCount = 7000;

    /// <summary>Validation series: the next 2,000 (the last 1,000 are the test set).</summary>
    public const int ValidCount = 2000;

    /// <summary>The notebook's <c>np.random.seed(42)</c>: the data seed when none is given.</summary>
    public const int DefaultSeed = 42;

    /// <summary>
    /// The book's <c>generate_time_series(batch_size, n_steps)</c>, drawing from <paramref name="rng"/>:
    /// <c>freq1, freq2, offset1, offset2 = rand(4, batch, 1)</c>, then <c>rand(batch, n_steps)</c> for the noise.
    /// </summary>
    /// <returns>[batchSize, nSteps] (the book's trailing features axis of 1 is implied), float32.</returns>
    public static float[] Generate(NumpyRandomState rng, int batchSize, int nSteps)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(nSteps);

        var parameters = new double[4 * batchSize]; // [4, batch]: freq1, freq2, offset1, offset2
        rng.Fill(parameters);
        var noise = new double[batchSize * nSteps]; // [batch, nSteps]
        rng.Fill(noise);
        double[] time = Linspace(0.0, 1.0, nSteps); // [nSteps]

        var series = new float[batchSize * nSteps]; // [batch, nSteps]
        for (int b = 0; b < batchSize; b++)
        {
            double freq1 = parameters[b];
            double freq2 = parameters[batchSize + b];
            double offset1 = parameters[2 * batchSize + b];
            double offset2 = parameters[3 * batchSize + b];
            double angular1 = freq1 * 10.0 + 10.0;
            double angular2 = freq2 * 20.0 + 20.0;
            for (int t = 0; t < nSteps; t++)
            {
                double value = 0.5 * Math.Sin((time[t] - offset1) * angular1);
                value += 0.2 * Math.Sin((time[t] - offset2) * angular2);
                value += 0.1 * (noise[b * nSteps + t] - 0.5);
                series[b * nSteps + t] = (float)value;
            }
        }
        return series;
    }

    /// <summary>
    /// numpy's <c>linspace(start, stop, num)</c> (endpoint included): <c>i * ((stop - start) / (num - 1)) + start</c>,
    /// the last value set to <paramref name="stop"/> exactly.
    /// </summary>
    /// <returns>[num]</returns>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(num);
        var y = new double[num];
        int div = num - 1;
        double delta = stop - start;
        if (div > 0)
        {
            double step = delta / div;
            for (int i = 0; i < num; i++)
                y[i] = step == 0.0 ? i / (double)div * delta : i * step;
        }
        else
        {
            for (int i = 0; i < num; i++)
                y[i] = i * delta;
        }
        for (int i = 0; i < num; i++)
            y[i] += start;
        if (num > 1)
            y[num - 1] = stop;
        return y;
    }

    /// <summary>
    /// One step ahead: <c>series = generate(10000, 51)</c>, <c>X = series[:, :50]</c>, <c>y = series[:, 50]</c>.
    /// Inputs [count, 50, 1], targets [count, 1]: <see cref="TenStep"/> with a horizon of one.
    /// </summary>
    public static DataSplit OneStep(int dataSeed = DefaultSeed) => TenStep(dataSeed, 1);

    /// <summary>
    /// Several steps ahead, sequence to vector: <c>series = generate(10000, 50 + horizon)</c>,
    /// <c>X = series[:, :50]</c>, <c>Y = series[:, 50:50 + horizon]</c>. Inputs [count, 50, 1], targets [count, horizon].
    /// </summary>
    public static DataSplit TenStep(int dataSeed = DefaultSeed, int horizon = 10)
    {
        ValidateHorizon(horizon);
        var rng = new NumpyRandomState(ValidateSeed(dataSeed));
        int length = InputSteps + horizon;
        float[] series = Generate(rng, SeriesCount, length); // [10000, 50 + horizon]
        return Split(series, length, horizon, (row, target) => row.Slice(InputSteps, horizon).CopyTo(target));
    }

    /// <summary>
    /// Sequence to sequence: the same series as <see cref="TenStep"/>; at every step t the targets are the next
    /// <paramref name="horizon"/> values, <c>Y[:, t, k - 1] = series[:, t + k]</c> for k = 1..horizon, t = 0..49.
    /// Inputs [count, 50, 1], targets [count, 50 * horizon] laid out as [count, 50, horizon].
    /// </summary>
    public static DataSplit SequenceToSequence(int dataSeed = DefaultSeed, int horizon = 10)
    {
        ValidateHorizon(horizon);
        var rng = new NumpyRandomState(ValidateSeed(dataSeed));
        int length = InputSteps + horizon;
        float[] series = Generate(rng, SeriesCount, length); // [10000, 50 + horizon]
        return Split(series, length, InputSteps * horizon, (row, target) =>
        {
            for (int t = 0; t < InputSteps; t++)
                for (int k = 1; k <= horizon; k++)
                    target[t * horizon + k - 1] = row[t + k];
        }) with { SequenceHorizon = horizon };
    }

    private delegate void TargetWriter(ReadOnlySpan<float> row, Span<float> target);

    /// <summary>Cuts [10000, length] into train/valid/test with inputs = the first 50 values of each row.</summary>
    private static DataSplit Split(float[] series, int length, int targetSize, TargetWriter writeTarget)
    {
        int testCount = SeriesCount - TrainCount - ValidCount;
        return new DataSplit(
            Take(series, length, 0, TrainCount, targetSize, writeTarget),
            Take(series, length, TrainCount, ValidCount, targetSize, writeTarget),
            Take(series, length, TrainCount + ValidCount, testCount, targetSize, writeTarget));
    }

    private static Dataset Take(float[] series, int length, int first, int count, int targetSize, TargetWriter writeTarget)
    {
        var inputs = new float[count * InputSteps];   // [count, 50, 1]
        var targets = new float[count * targetSize];  // [count, targetSize]
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = series.AsSpan((first + i) * length, length);
            row[..InputSteps].CopyTo(inputs.AsSpan(i * InputSteps, InputSteps));
            writeTarget(row, targets.AsSpan(i * targetSize, targetSize));
        }
        return new Dataset(inputs, targets, count, InputSteps, 1, targetSize);
    }

    private static uint ValidateSeed(int dataSeed)
    {
        if (dataSeed < 0)
            throw new InvalidInputException("data_seed", $"{dataSeed} is negative; allowed 0..{int.MaxValue}");
        return (uint)dataSeed;
    }

    private static void ValidateHorizon(int horizon)
    {
        if (horizon < 1)
            throw new InvalidInputException("horizon", $"{horizon} is not allowed; the horizon must be at least 1");
    }
}
