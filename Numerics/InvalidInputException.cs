namespace RnnCluster.Numerics;

/// <summary>
/// A user's input that cannot be used: names the field (an option such as <c>--epochs</c>, a column, a file),
/// the value given and what is allowed. Front ends print <see cref="Exception.Message"/> as one line, no stack trace.
/// </summary>
public sealed class InvalidInputException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>The field the user got wrong, as the user knows it (for example <c>--batch-size</c>).</summary>
    public string Field { get; } = field;
}
