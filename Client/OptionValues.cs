using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using RnnCluster.Grains;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// The message for an option value the command line cannot read as its type (a word for a number, a number too large
/// for it): the option, the value and the allowed range, as the checks after parsing word theirs, instead of the
/// parser's "Cannot parse argument ... as expected type 'System.Int32'".
/// </summary>
public static partial class OptionValues
{
    /// <summary>The allowed values of the numeric options, by name; an option not listed allows its type's range.</summary>
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["--epochs"] = $"1..{TrainingOptions.MaxEpochs}",
        ["--batch-size"] = $"1..{TrainingOptions.MaxBatchSize}",
        ["--early-stopping"] = $"0..{TrainingOptions.MaxEpochs} (0: off)",
        ["--horizon"] = $"1..{ForecastTask.MaxHorizon}",
        ["--window"] = $"1..{SeriesWindows.MaxWindow}",
        ["--shards"] = $"a power of two, 1..{JobPlan.MaxShards}",
        ["--seed"] = $"0..{uint.MaxValue}",
        ["--data-seed"] = $"0..{int.MaxValue}",
        ["--difference"] = $"a period of 1 or more, shorter than the series",
        ["--learning-rate"] = "greater than 0 and at most 1",
        ["--clipnorm"] = "greater than 0",
        ["--global-clipnorm"] = "greater than 0",
        ["--clipvalue"] = "greater than 0",
    };

    /// <summary>The one-line message for a parse error: rewritten when it is a value of the wrong type, else the parser's own.</summary>
    public static string Message(ParseError error)
    {
        var match = CannotParse().Match(error.Message);
        if (!match.Success || error.SymbolResult is not OptionResult { Option: var option }) return error.Message;
        string value = match.Groups["value"].Value;
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        if (type.IsArray) type = type.GetElementType()!;
        string kind = type == typeof(float) || type == typeof(double) ? "a number" : "a whole number";
        string allowed = Allowed.TryGetValue(option.Name, out var range) ? range : TypeRange(type);
        return $"{option.Name}: '{value}' is not {kind} in range; allowed {allowed}";
    }

    private static string TypeRange(Type type) =>
        type == typeof(int) ? $"{int.MinValue}..{int.MaxValue}"
        : type == typeof(uint) ? $"0..{uint.MaxValue}"
        : type == typeof(long) ? $"{long.MinValue}..{long.MaxValue}"
        : "a finite number";

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '[^']+'\.?$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();
}
