namespace RnnCluster.Client;

/// <summary>
/// The names of the baseline rows in `train`'s and `sweep`'s tables: the linear baseline says how it was fitted when
/// not by Adam (on a CSV series, "least squares"), so its figure is never taken for a trained model's.
/// </summary>
public static class BaselineNames
{
    /// <summary>"linear (baseline)", or with its fit: "linear (baseline, least squares)".</summary>
    public static string Linear(string? fit) => fit is null ? "linear (baseline)" : $"linear (baseline, {fit})";

    /// <summary>The short form of the sweep's baseline list: "linear", or "linear (least squares)".</summary>
    public static string LinearShort(string? fit) => fit is null ? "linear" : $"linear ({fit})";
}
