namespace RnnCluster.Numerics.Training;

/// <summary>
/// Training met a loss or gradient that is not a finite number: <see cref="Step"/> is the step (1-based) and
/// <see cref="Tensor"/> the first weight tensor, in flat-vector order, whose gradient is not finite ("loss" when every
/// gradient was finite but the loss was not). The weights of the step before are untouched.
/// </summary>
public sealed class DivergedException(long step, string tensor, double loss)
    : Exception($"diverged at step {step}: {(tensor == "loss" ? $"the loss is {loss}" : $"the gradient of {tensor} is not finite (loss {loss})")}")
{
    public long Step { get; } = step;
    public string Tensor { get; } = tensor;
}
