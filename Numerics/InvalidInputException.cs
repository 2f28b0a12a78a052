namespace RnnCluster.Numerics;

/// <summary>
/// A user's input that cannot be used: names the field (a setting such as <c>epochs</c> or <c>batch_size</c>, a
/// column, a file), the value given and what is allowed. Numerics and the grains name settings; a front end names
/// them as its user knows them (the command line's <c>--batch-size</c>) and prints "field: reason" as one line, no
/// stack trace. The field and the reason are kept in <see cref="Exception.Data"/>, which serialisers of exceptions
/// carry from one process to another (a remote call's failure) where they drop a type's own properties.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string field, string message) : base($"{field}: {message}")
    {
        Data[nameof(Field)] = field;
        Data[nameof(Reason)] = message;
    }

    /// <summary>The field the user got wrong, for example <c>batch_size</c> (a setting) or <c>data.csv</c> (a spec's field).</summary>
    public string Field => Data[nameof(Field)] as string ?? "";

    /// <summary>What is wrong with it, without the field.</summary>
    public string Reason => Data[nameof(Reason)] as string ?? Message;
}
