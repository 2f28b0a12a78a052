using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RnnCluster.Observability.Tests;

/// <summary>One series of a Prometheus answer: its labels and its (time, value) samples.</summary>
internal sealed record Series(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Samples);

/// <summary>Prometheus's HTTP API (/api/v1/query, /api/v1/query_range, /api/v1/label/.../values).</summary>
internal sealed class PrometheusApi(string url) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>An instant query; throws with Prometheus's error when it does not answer "success".</summary>
    public async Task<List<Series>> QueryAsync(string promql, DateTimeOffset? time = null)
    {
        string query = $"query={Uri.EscapeDataString(promql)}" + (time is { } t ? $"&time={Seconds(t)}" : "");
        return Results(await GetAsync("/api/v1/query?" + query, promql));
    }

    /// <summary>A range query from <paramref name="start"/> to <paramref name="end"/>, one point a second.</summary>
    public async Task<List<Series>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end)
    {
        string query = $"query={Uri.EscapeDataString(promql)}&start={Seconds(start)}&end={Seconds(end)}&step=1";
        return Results(await GetAsync("/api/v1/query_range?" + query, promql));
    }

    public async Task<string[]> LabelValuesAsync(string label, string match)
    {
        var data = await GetAsync($"/api/v1/label/{label}/values?match[]={Uri.EscapeDataString(match)}", match);
        return data.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>Polls <paramref name="promql"/> until it returns at least one series.</summary>
    public async Task<List<Series>> WaitForAsync(string promql, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await QueryAsync(promql);
            if (result.Count > 0) return result;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Prometheus returned nothing for {promql} within {timeout}");
            await Task.Delay(250);
        }
    }

    private async Task<JsonElement> GetAsync(string pathAndQuery, string what)
    {
        using var response = await _http.GetAsync(url + pathAndQuery);
        string body = await response.Content.ReadAsStringAsync();
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new PrometheusQueryException(what, $"HTTP {(int)response.StatusCode}: {body}");
        }
        if (response.StatusCode != HttpStatusCode.OK || root.GetProperty("status").GetString() != "success")
            throw new PrometheusQueryException(what, root.TryGetProperty("error", out var error) ? error.GetString() ?? body : body);
        return root.GetProperty("data");
    }

    private static List<Series> Results(JsonElement data)
    {
        string type = data.GetProperty("resultType").GetString()!;
        var result = data.GetProperty("result");
        if (type == "scalar") return [new Series(new Dictionary<string, string>(), [Sample(result)])];
        return result.EnumerateArray().Select(s => new Series(
            s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            type == "matrix" ? s.GetProperty("values").EnumerateArray().Select(Sample).ToList() : [Sample(s.GetProperty("value"))])).ToList();
    }

    private static (double, double) Sample(JsonElement pair) =>
        (pair[0].GetDouble(), pair[1].GetString() switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v!, CultureInfo.InvariantCulture),
        });

    private static string Seconds(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}

internal sealed class PrometheusQueryException(string query, string error) : Exception($"Prometheus rejected `{query}`: {error}");
