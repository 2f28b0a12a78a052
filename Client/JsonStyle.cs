using System.Text.Json;

namespace RnnCluster.Client;

/// <summary>How the client's <c>--json</c> documents are written: indented, C# names as snake_case keys (JobId: job_id; a dictionary's keys stay as they are).</summary>
public static class JsonStyle
{
    public static readonly JsonSerializerOptions SnakeCase = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
