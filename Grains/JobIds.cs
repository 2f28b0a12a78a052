namespace RnnCluster.Grains;

/// <summary>
/// What a job id may be: 1..64 letters, digits, '.', '_' and '-', not starting with '.' or '-'. Ids name blobs and
/// table rows in storage and appear in metrics labels and file names, so nothing else is let through.
/// </summary>
public static class JobIds
{
    public const int MaxLength = 64;

    /// <summary>Throws <see cref="InvalidInputException"/> naming <paramref name="field"/> when the id is not allowed.</summary>
    public static void Validate(string? id, string field = "job_id")
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id[0] is '.' or '-' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new InvalidInputException(field,
                $"'{Shorten(id)}' is not a job id; allowed 1..{MaxLength} characters of letters, digits, '.', '_' and '-' (not first: '.' or '-')");
    }

    private static string Shorten(string? id) => id is null ? "" : id.Length <= 80 ? id : id[..77] + "...";
}
