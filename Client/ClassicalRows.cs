using System.Globalization;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Classical;

namespace RnnCluster.Client;

/// <summary>
/// The classical baselines of a <c>train</c> table on a CSV series (seasonal naive with --season, the weighted moving
/// average, ARIMA with --arima or chosen by AIC): computed in the client from Numerics, beside the cluster's training,
/// on exactly the validation and test windows of the job's table (<see cref="JobPlan"/>'s evaluation split), in the
/// series' units. Not on the chapter's data: its 10,000 series of 50 steps are not one series to fit an ARIMA to.
/// </summary>
public static class ClassicalRows
{
    /// <summary>The baselines' options from the command line; --arima is "p,d,q".</summary>
    public static ClassicalOptions Options(int? season, int? wma, string? arima)
    {
        ArimaOrder? order = null;
        if (arima is not null)
        {
            var parts = arima.Split(',');
            if (parts.Length != 3 || !parts.All(p => int.TryParse(p.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                throw new InvalidInputException("--arima", $"'{arima}' is not an order; give p,d,q as three whole numbers, e.g. 2,1,1 (p, q 0..{ArimaOrder.MaxLags}, d 0..1)");
            var n = parts.Select(p => int.Parse(p.Trim(), CultureInfo.InvariantCulture)).ToArray();
            order = new ArimaOrder(n[0], n[1], n[2]);
            order.Value.Validate();
        }
        if (season is < 1) throw new InvalidInputException("--season", $"{season} is not allowed; a season is at least 1 step");
        if (wma is < 1) throw new InvalidInputException("--wma", $"{wma} is not allowed; the moving average needs at least 1 value");
        return new ClassicalOptions(season, wma, order);
    }

    /// <summary>Checks the options against the job's windows (before anything starts); the computation to run, null on the chapter's data.</summary>
    public static Func<ClassicalResult>? Prepare(JobSpec spec, ClassicalOptions options)
    {
        if (spec.Data.IsChapter) return null;
        var evaluation = JobPlan.From(spec).Evaluation;
        double[] series = spec.Data.Columns![0];
        int trainEnd = evaluation.TrainEnd ?? evaluation.Train.Origins![^1] + evaluation.Valid.TargetSize;
        if (options.Season is int season && season > trainEnd)
            throw new InvalidInputException("--season", $"{season} is longer than the training part's {trainEnd} values; allowed 1..{trainEnd}");
        if (options.MovingAverageLength is int wma && wma > evaluation.Valid.Steps)
            throw new InvalidInputException("--wma", $"{wma} values averaged, but the window holds {evaluation.Valid.Steps}; allowed 1..{evaluation.Valid.Steps}");
        return () => ClassicalBaselines.Evaluate(series, evaluation, options);
    }

    /// <summary>"seasonal naive (season 12)", "wma (n 5, weights 1..5)", "ARIMA(2,1,1), by AIC ...".</summary>
    public static string Name(ClassicalFigure f) => f.Method switch
    {
        "seasonal-naive" => $"seasonal naive ({f.Settings})",
        "wma" => $"weighted moving average ({f.Settings})",
        _ => f.Settings,
    };
}
