using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Grains;

/// <summary>
/// The classical baselines a job is asked for (<see cref="JobSpec.Classical"/>): checked against the job's windows at
/// the door (<see cref="JobPlan.From"/>), computed by Numerics once the job is trained, on exactly the validation and
/// test windows of its table, in the series' units. Not on the chapter's data: its 10,000 series of 50 steps are not
/// one series to fit an ARIMA to.
/// </summary>
public static class ClassicalPlan
{
    /// <summary>The options to compute with, or null when none were asked for; a bad setting throws naming its option.</summary>
    public static ClassicalOptions? From(ClassicalSpec? spec, DataSpec data, DataSplit evaluation)
    {
        if (spec is null) return null;
        if (data.IsChapter)
        {
            string field = spec.Season is not null ? "season" : spec.MovingAverageLength is not null ? "wma" : spec.ArimaOrder is not null ? "arima" : "classical";
            throw new InvalidInputException(field, "applies to a --data series; the chapter's data are 10,000 separate series of 50 steps");
        }
        ArimaOrder? order = spec.ArimaOrder is string text ? ArimaOrder.Parse(text, "arima") : null;
        int trainEnd = evaluation.TrainEnd ?? evaluation.Train.Origins![^1] + evaluation.Valid.TargetSize;
        if (spec.Season is int season && (season < 1 || season > trainEnd))
            throw new InvalidInputException("season", $"{season} is out of range; allowed 1..{trainEnd} (the training part's values)");
        int window = evaluation.Valid.Steps;
        if (spec.MovingAverageLength is int n && (n < 1 || n > window))
            throw new InvalidInputException("wma", $"{n} values averaged is out of range; allowed 1..{window} (the window's values)");
        return new ClassicalOptions(spec.Season, spec.MovingAverageLength, order);
    }

    /// <summary>The baselines' figures on the job's evaluation windows of the data's first column (the one forecast).</summary>
    public static ClassicalRow[] Evaluate(DataSpec data, DataSplit evaluation, ClassicalOptions options) =>
        [.. ClassicalBaselines.Evaluate(data.Columns![0], evaluation, options).Figures.Select(f => new ClassicalRow(f.Method, f.Settings, f.ValidMse, f.TestMse))];
}
