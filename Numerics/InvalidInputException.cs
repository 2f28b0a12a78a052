namespace RnnCluster.Numerics;

/// <summary>
/// A user's input that cannot be used: names the field (a setting such as <c>epochs</c> or <c>batch_size</c>, a
/// column, a file), the value given and what is allowed. Numerics and the grains name settings; a front end names
/// them as its user knows them (the command line's <c>--batch-size</c>) and prints "field: reason" as one line, no
/// stack trace.
/// </summary>
public sealed class InvalidInputException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>The field the user got wrong, for example <c>batch_size</c> (a setting) or <c>data.csv</c> (a spec's field).</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong with it, without the field.</summary>
    public string Reason { get; } = message;
}
