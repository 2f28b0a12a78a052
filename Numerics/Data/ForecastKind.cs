namespace RnnCluster.Numerics.Data;

/// <summary>
/// What a model predicts from a window: the next Horizon values once (a vector, Horizon = 1 for one step ahead),
/// or at every time step the next Horizon values (sequence to sequence, targets [steps, Horizon]).
/// </summary>
public enum ForecastKind
{
    Vector = 0,
    Sequence = 1,
}
