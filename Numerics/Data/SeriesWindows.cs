namespace RnnCluster.Numerics.Data;

/// <summary>
/// Turns time series (one or several columns of the same length) into sliding windows for forecasting:
/// each example's inputs are <c>window</c> consecutive steps of every column, its targets the next <c>horizon</c>
/// values of the target column (<see cref="Create"/>), or, for sequence-to-sequence models, at every input step t
/// the <c>horizon</c> values after it (<see cref="CreateSequence"/>: the last step's are the vector targets).
/// Windows advance by one step; both kinds cut the same windows, so their counts and origins are the same.
/// <para>
/// The split is in time order: the series is cut into three consecutive segments, 70% / 20% / 10% of its length
/// (boundaries at floor(0.7 n) and floor(0.9 n)). A window (inputs and targets together) belongs to the segment of
/// its last target and is kept only if it lies entirely in that segment, so no window spans a boundary and no
/// validation or test example sees a training value.
/// </para>
/// <para>
/// Every column is standardised with the mean and population standard deviation of the training segment only
/// (a column constant over the training segment gets scale 1). <see cref="DataSplit.TargetScale"/> and
/// <see cref="DataSplit.TargetMean"/> are the target column's, so an MSE times the scale squared is in original units.
/// </para>
/// <para>
/// Gaps: a NaN value (an empty CSV cell, or a difference that has a gap among its operands) is a gap. The statistics
/// are taken over the training segment's values that are not gaps, and a window is kept only if its whole span (input
/// steps and target steps) holds no gap in any column; <see cref="DataSplit.Skipped"/> counts the windows left out,
/// per split. The split boundaries do not move. A series without gaps gives the same windows, bit for bit, as before.
/// </para>
/// </summary>
public static class SeriesWindows
{
    /// <summary>The longest input window a job or a sweep may ask for (<c>--window</c>, a sweep's <c>data.window</c> and <c>space.window</c>).</summary>
    public const int MaxWindow = 1000;

    /// <summary>Creates the train/valid/test windows.</summary>
    /// <param name="inputColumns">[features][length]: the series, one array per column, all of the same length.</param>
    /// <param name="targetColumn">Index into <paramref name="inputColumns"/> of the column to predict.</param>
    /// <param name="window">Input steps per example (at least 1).</param>
    /// <param name="horizon">Target values per example (at least 1).</param>
    /// <param name="sourceName">Names the data in error messages, for example the file name.</param>
    /// <returns>Inputs [count, window, features], targets [count, horizon], standardised.</returns>
    public static DataSplit Create(double[][] inputColumns, int targetColumn, int window, int horizon, string sourceName) =>
        Build(inputColumns, targetColumn, window, horizon, sourceName, everyStep: false);

    /// <summary>
    /// The same windows as <see cref="Create"/> (same split, statistics, counts and origins) with sequence-to-sequence
    /// targets: at every step t of a window starting at row <c>first</c>, the values at rows first + t + 1 ..
    /// first + t + horizon, all inside the window's own span (inputs and its vector targets), so none crosses a boundary.
    /// </summary>
    /// <returns>Inputs [count, window, features], targets [count, window * horizon] laid out as [count, window, horizon], standardised.</returns>
    public static DataSplit CreateSequence(double[][] inputColumns, int targetColumn, int window, int horizon, string sourceName) =>
        Build(inputColumns, targetColumn, window, horizon, sourceName, everyStep: true) with { SequenceHorizon = horizon };

    /// <summary>The numbers of train, validation and test windows of a series of <paramref name="length"/> values (negative: none fit).</summary>
    public static (int Train, int Valid, int Test) Counts(int length, int window, int horizon)
    {
        int trainEnd = (int)(length * 7L / 10);
        int validEnd = (int)(length * 9L / 10);
        return (trainEnd - window - horizon + 1, validEnd - trainEnd - window - horizon + 1, length - validEnd - window - horizon + 1);
    }

    private static DataSplit Build(double[][] inputColumns, int targetColumn, int window, int horizon, string sourceName, bool everyStep)
    {
        ArgumentNullException.ThrowIfNull(inputColumns);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (inputColumns.Length == 0)
            throw new ArgumentException("at least one column is needed", nameof(inputColumns));
        ArgumentOutOfRangeException.ThrowIfNegative(targetColumn);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetColumn, inputColumns.Length);
        int length = inputColumns[0].Length;
        foreach (double[] column in inputColumns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(inputColumns));
            if (column.Length != length)
                throw new ArgumentException($"columns differ in length: {column.Length} and {length}", nameof(inputColumns));
        }
        if (window < 1)
            throw new InvalidInputException("window", $"{window} is not allowed; the window must be at least 1 step");
        if (horizon < 1)
            throw new InvalidInputException("horizon", $"{horizon} is not allowed; the horizon must be at least 1 step");

        int trainEnd = (int)(length * 7L / 10);
        int validEnd = (int)(length * 9L / 10);
        int[] starts = [0, trainEnd, validEnd];
        int[] ends = [trainEnd, validEnd, length];
        CheckWindowFits(length, ends[0] - starts[0], ends[1] - starts[1], ends[2] - starts[2], window, horizon, sourceName);

        int features = inputColumns.Length;
        var means = new double[features];
        var scales = new double[features];
        for (int f = 0; f < features; f++)
            (means[f], scales[f]) = TrainingStatistics(inputColumns[f].AsSpan(0, trainEnd), sourceName);

        int[] gapsBefore = GapsBefore(inputColumns);
        var sets = new Dataset[3];
        var skipped = new int[3];
        for (int s = 0; s < 3; s++)
            (sets[s], skipped[s]) = Windows(inputColumns, targetColumn, window, horizon, starts[s], ends[s], means, scales, everyStep, gapsBefore);
        string[] names = ["training", "validation", "test"];
        for (int s = 0; s < 3; s++)
            if (sets[s].Count == 0)
                throw new InvalidInputException("data",
                    $"every {names[s]} window of {sourceName} touches a gap (an empty cell): the {names[s]} segment holds rows {starts[s]}..{ends[s] - 1} "
                    + $"(0-based, of the series used) and no {window + horizon} consecutive values of it (window {window} + horizon {horizon}) are free of gaps; "
                    + "fill some gaps, or use a shorter window or horizon");
        return new DataSplit(sets[0], sets[1], sets[2], scales[targetColumn], means[targetColumn])
        {
            ColumnMeans = means,
            ColumnScales = scales,
            Skipped = new WindowCounts(skipped[0], skipped[1], skipped[2]),
            TrainEnd = trainEnd,
        };
    }

    /// <summary>[length + 1]: how many rows before each index hold a gap (NaN) in some column.</summary>
    private static int[] GapsBefore(double[][] columns)
    {
        int length = columns[0].Length;
        var before = new int[length + 1];
        for (int t = 0; t < length; t++)
        {
            bool gap = false;
            foreach (double[] column in columns) gap |= double.IsNaN(column[t]);
            before[t + 1] = before[t] + (gap ? 1 : 0);
        }
        return before;
    }

    /// <summary>Standardises one window of raw columns as the training windows were: [window, features].</summary>
    public static float[] Standardise(double[][] columns, int first, int window, double[] means, double[] scales)
    {
        var inputs = new float[window * columns.Length];
        StandardiseInto(columns, first, window, means, scales, inputs);
        return inputs;
    }

    // columns: [features][rows] -> into: [window, features], rows first .. first + window - 1 standardised
    private static void StandardiseInto(double[][] columns, int first, int window, double[] means, double[] scales, Span<float> into)
    {
        int features = columns.Length;
        for (int t = 0; t < window; t++)
            for (int f = 0; f < features; f++)
                into[t * features + f] = (float)((columns[f][first + t] - means[f]) / scales[f]);
    }

    /// <summary>
    /// Mean and population standard deviation (1 if it is 0) of the values that are not gaps (NaN), accumulated in
    /// double over two passes.
    /// </summary>
    private static (double Mean, double Scale) TrainingStatistics(ReadOnlySpan<double> values, string sourceName)
    {
        double sum = 0.0;
        int count = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        if (count == 0)
            throw new InvalidInputException("data", $"the training segment of {sourceName} (its first {values.Length} values) holds only gaps (empty cells); it needs values to standardise with");
        double mean = sum / count;
        double squares = 0.0;
        foreach (double v in values)
            if (!double.IsNaN(v))
                squares += (v - mean) * (v - mean);
        double std = Math.Sqrt(squares / count);
        return (mean, std > 0.0 ? std : 1.0);
    }

    /// <summary>
    /// All windows lying entirely in [segmentStart, segmentEnd) (their inputs and their next horizon values) whose span
    /// holds no gap, and how many were skipped for a gap.
    /// </summary>
    private static (Dataset Windows, int Skipped) Windows(double[][] columns, int targetColumn, int window, int horizon,
        int segmentStart, int segmentEnd, double[] means, double[] scales, bool everyStep, int[] gapsBefore)
    {
        int features = columns.Length;
        int span = window + horizon;
        var firsts = new List<int>();
        for (int first = segmentStart; first + span <= segmentEnd; first++)
            if (gapsBefore[first + span] == gapsBefore[first]) firsts.Add(first);
        int skipped = segmentEnd - segmentStart - span + 1 - firsts.Count;
        int count = firsts.Count;
        int targetSteps = everyStep ? window : 1;
        int targetSize = targetSteps * horizon;
        var inputs = new float[count * window * features]; // [count, window, features]
        var targets = new float[count * targetSize];       // [count, horizon] or [count, window, horizon]
        double[] target = columns[targetColumn];
        var origins = new int[count];
        for (int i = 0; i < count; i++)
        {
            int first = firsts[i];
            origins[i] = first + window;
            StandardiseInto(columns, first, window, means, scales, inputs.AsSpan(i * window * features, window * features));
            // step s of the targets follows input step t = s (every step) or t = window - 1 (the vector): rows t + 1 .. t + horizon
            for (int s = 0; s < targetSteps; s++)
            {
                int t = everyStep ? s : window - 1;
                for (int k = 0; k < horizon; k++)
                    targets[(i * targetSteps + s) * horizon + k] = (float)((target[first + t + 1 + k] - means[targetColumn]) / scales[targetColumn]);
            }
        }
        return (new Dataset(inputs, targets, count, window, features, targetSize) { Origins = origins }, skipped);
    }

    private static void CheckWindowFits(int length, int trainLength, int validLength, int testLength,
        int window, int horizon, string sourceName)
    {
        int shortest = Math.Min(trainLength, Math.Min(validLength, testLength));
        if ((long)window + horizon <= shortest)
            return;
        string segments = $"the series of {sourceName} has {length} values, cut 70/20/10 into train, validation and test segments of "
            + $"{trainLength}, {validLength} and {testLength}, and each segment must hold window + horizon = {(long)window + horizon} values";
        long largest = (long)shortest - horizon;
        string advice = largest >= 1
            ? $"the largest window that works with horizon {horizon} is {largest}"
            : $"no window works with horizon {horizon}: the series is too short (it needs at least {10L * horizon + 1} values)";
        throw new InvalidInputException("window", $"{window} is too large: {segments}; {advice}");
    }
}
