using RnnCluster.Grains;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// What a sweep id may be: a job id (<see cref="JobIds"/>) of at most <see cref="MaxLength"/> characters, so that the
/// ids of its trials' jobs (the sweep id and "-t999") are job ids too; and the default one, "sweep-" and the time.
/// </summary>
public static class SweepIds
{
    public const int MaxLength = 48;

    /// <summary>Throws <see cref="InvalidInputException"/> naming <paramref name="field"/> when the id is not allowed.</summary>
    public static void Validate(string? id, string field)
    {
        try
        {
            JobIds.Validate(id, field);
        }
        catch (InvalidInputException)
        {
            string shown = id is null ? "" : id.Length <= 80 ? id : id[..77] + "...";
            throw new InvalidInputException(field,
                $"'{shown}' is not a sweep id; allowed 1..{MaxLength} characters of letters, digits, '.', '_' and '-' (not first: '.' or '-')");
        }
        if (id!.Length > MaxLength)
            throw new InvalidInputException(field,
                $"'{id}' has {id.Length} characters; allowed at most {MaxLength}, so that its trials' jobs ('{id}-t999') are job ids too");
    }

    /// <summary>"sweep-yyyyMMdd-HHmmss-xxxx": the UTC time and four random hex digits.</summary>
    public static string New(DateTime utc) => $"sweep-{utc:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
}
