namespace RnnCluster.Client;

/// <summary>
/// The command line's names for the settings that Numerics and the grains name in their errors: <c>batch_size</c> is
/// <c>--batch-size</c>. Any other field (a sweep spec's <c>space.units</c>, <c>SPEC</c>, <c>checkpoint</c>) is kept.
/// </summary>
public static class OptionNames
{
    private static readonly HashSet<string> Settings =
    [
        "arima", "batch_size", "clipnorm", "clipvalue", "column", "data", "data_seed", "difference", "early_stopping", "epochs",
        "fit", "global_clipnorm", "horizon", "job_id", "learning_rate", "model", "model_file", "season", "shards", "sweep_id",
        "window", "wma",
    ];

    /// <summary>
    /// In a sweep command's errors: "model" and "data" are the spec's own keys, kept; the other settings (a trial's
    /// epochs, the --sweep-id) as <see cref="Of"/> names them.
    /// </summary>
    public static string OfSweep(string field) => field is "model" or "data" ? field : Of(field);

    /// <summary>
    /// The option a setting is given with ("--batch-size" for "batch_size"), also at the head of a field that goes on
    /// ("model_file layer 0 (conv1d)" is "--model-file layer 0 (conv1d)"); any other field as it is.
    /// </summary>
    public static string Of(string field)
    {
        int end = field.IndexOf(' ');
        string head = end < 0 ? field : field[..end];
        return Settings.Contains(head) ? "--" + head.Replace('_', '-') + field[head.Length..] : field;
    }
}
