using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RnnCluster.Observability.Tests;

/// <summary>One query of a dashboard panel.</summary>
internal sealed record PanelQuery(int PanelId, string PanelTitle, string RefId, string Expr);

/// <summary>The Grafana dashboard k8s/grafana/rnncluster.json, and what a Grafana server would do with its queries.</summary>
internal static partial class Dashboard
{
    /// <summary>Grafana's $__rate_interval for a 1 s scrape interval: four scrape intervals.</summary>
    public const string RateInterval = "4s";

    public static JsonObject Load() => JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "k8s", "grafana", "rnncluster.json")))!.AsObject();

    /// <summary>Every panel, rows and the panels inside collapsed rows included.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray().Select(p => p!.AsObject()))
        {
            yield return panel;
            if (panel["panels"] is JsonArray nested)
                foreach (var inner in nested) yield return inner!.AsObject();
        }
    }

    public static IEnumerable<PanelQuery> Queries(JsonObject dashboard) =>
        from panel in Panels(dashboard)
        where panel["targets"] is JsonArray
        from target in panel["targets"]!.AsArray()
        select new PanelQuery((int)panel["id"]!, (string)panel["title"]!, (string?)target!["refId"] ?? "", (string?)target["expr"] ?? "");

    public static JsonObject Variable(JsonObject dashboard, string name) =>
        dashboard["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).Single(v => (string?)v["name"] == name);

    /// <summary>
    /// The expression as Grafana sends it: $job (or ${job}, [[job]]) replaced by <paramref name="job"/>, $sweep likewise
    /// by <paramref name="sweep"/>, the interval macros by values.
    /// </summary>
    public static string Substitute(string expr, string job, string sweep) => expr
        .Replace("${job}", job).Replace("[[job]]", job).Replace("$job", job)
        .Replace("${sweep}", sweep).Replace("[[sweep]]", sweep).Replace("$sweep", sweep)
        .Replace("$__rate_interval", RateInterval).Replace("${__rate_interval}", RateInterval)
        .Replace("$__interval", "1s").Replace("$__range", "10m");

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
    };

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers outside strings, label matchers, ranges and
    /// grouping lists that are neither keywords nor function or aggregation names (followed by a parenthesis).
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        string s = StringLiteral().Replace(expr, "\"\"");
        s = LabelMatchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = GroupingLists().Replace(s, " ");
        s = Numbers().Replace(s, " ");
        var names = new List<string>();
        foreach (Match m in Identifier().Matches(s))
        {
            int next = m.Index + m.Length;
            while (next < s.Length && char.IsWhiteSpace(s[next])) next++;
            if (next < s.Length && s[next] == '(') continue;
            if (Keywords.Contains(m.Value.ToLowerInvariant())) continue;
            names.Add(m.Value);
        }
        return names.Distinct().ToList();
    }

    /// <summary>A Grafana Prometheus variable query <c>label_values(metric, label)</c>, as (metric, label).</summary>
    public static (string Metric, string Label) LabelValues(string query)
    {
        var m = LabelValuesQuery().Match(query);
        if (!m.Success) throw new FormatException($"not label_values(metric, label): {query}");
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingLists();

    [GeneratedRegex(@"(?<![A-Za-z_:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?\b")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\s*label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")]
    private static partial Regex LabelValuesQuery();
}
