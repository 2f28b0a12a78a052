using System.Text.Json;

namespace RnnCluster.Client;

/// <summary>
/// How the client's <c>--json</c> documents are written: a number that is not finite as null (<see cref="FiniteOrNull"/>);
/// <see cref="SnakeCase"/> indented, C# names as snake_case keys (JobId: job_id; a dictionary's keys stay as they are);
/// <see cref="Line"/> on one line, names as written.
/// </summary>
public static class JsonStyle
{
    public static readonly JsonSerializerOptions SnakeCase = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new FiniteOrNull() } };

    public static readonly JsonSerializerOptions Line = new() { Converters = { new FiniteOrNull() } };
}
