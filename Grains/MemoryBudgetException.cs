namespace RnnCluster.Grains;

/// <summary>
/// A job's network would go past its silo's <see cref="MemoryBudget"/>; nothing was allocated. <see cref="Fits"/>:
/// whether the whole budget could hold it (the job then waits for room), or never (the job fails). <see cref="Silo"/>:
/// the address of the silo that refused, where a shard's was (<see cref="FullSilos"/>). Both kept in
/// <see cref="Exception.Data"/>, which crosses a grain call where a type's own properties do not.
/// </summary>
public sealed class MemoryBudgetException : Exception
{
    public MemoryBudgetException(string message, bool fits) : base(message) => Data[nameof(Fits)] = fits ? "yes" : "no";

    public bool Fits => Data[nameof(Fits)] as string == "yes";

    public string? Silo
    {
        get => Data[nameof(Silo)] as string;
        set => Data[nameof(Silo)] = value;
    }
}
