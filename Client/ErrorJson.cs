using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A job's or sweep's error as <c>status --json</c> and <c>sweep status --json</c> print it: {kind, field, message},
/// the kind in snake_case ("bad_input"), the field as the command names it, or null when there is no error.
/// </summary>
public static class ErrorJson
{
    /// <param name="optionName">The command's name for a field (<see cref="OptionNames.Of"/>, <see cref="OptionNames.OfSweep"/>).</param>
    public static object? Of(JobError? error, Func<string, string> optionName) => error is null ? null : new
    {
        kind = JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Kind.ToString()),
        field = optionName(error.Field),
        message = error.Message,
    };
}
