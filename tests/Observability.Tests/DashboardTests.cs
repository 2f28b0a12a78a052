using System.Text.Json.Nodes;

namespace RnnCluster.Observability.Tests;

/// <summary>
/// The Grafana dashboard against the real thing (Grafana itself cannot run here): every panel query, with the
/// variables substituted as Grafana would, is accepted by the running Prometheus, returns data over the observed
/// training and sweep, and names only metrics that the running silo exports on /metrics; the job and sweep variables
/// list the observed job and sweep.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ObservedTraining.Collection)]
public sealed class DashboardQueryTests(ObservedTraining run)
{
    [Fact]
    public async Task Every_panel_query_is_accepted_by_Prometheus_shows_data_and_uses_only_metrics_the_silo_exports()
    {
        run.Require();
        var dashboard = Dashboard.Load();
        var queries = Dashboard.Queries(dashboard).ToList();
        Assert.NotEmpty(queries);
        using var api = new PrometheusApi(run.Prometheus.Url);
        var problems = new List<string>();
        foreach (var q in queries)
        {
            string where = $"panel {q.PanelId} '{q.PanelTitle}' query {q.RefId}";
            var names = Dashboard.MetricNames(q.Expr);
            if (names.Count == 0) problems.Add($"{where}: names no metric: {q.Expr}");
            foreach (var name in names.Where(n => !run.ExportedNames.Contains(n)))
                problems.Add($"{where}: metric {name} is not exported by the silo");
            try
            {
                // As Grafana sends it with the variables at "All" (their allValue, .*): Prometheus must accept it.
                string all = Dashboard.Substitute(q.Expr, (string)Dashboard.Variable(dashboard, "job")["allValue"]!,
                    (string)Dashboard.Variable(dashboard, "sweep")["allValue"]!);
                Assert.DoesNotContain("$", all);
                await api.QueryAsync(all);
                // With the observed job and sweep selected, over the time of the training and the sweep: there must be data to show.
                string one = Dashboard.Substitute(q.Expr, run.JobId, run.SweepId);
                var result = await api.QueryRangeAsync(one, run.JobStarted.AddSeconds(-5), DateTimeOffset.UtcNow);
                if (result.Count == 0 || result.All(s => s.Samples.Count == 0)) problems.Add($"{where}: no data for {one}");
            }
            catch (PrometheusQueryException e)
            {
                problems.Add($"{where}: {e.Message}");
            }
        }

        // The job variable lists the observed job, the sweep variable the observed sweep.
        foreach (var (name, id) in new[] { ("job", run.JobId), ("sweep", run.SweepId) })
        {
            var variable = Dashboard.Variable(dashboard, name);
            string variableQuery = variable["query"] is JsonObject o ? (string)o["query"]! : (string)variable["query"]!;
            var (metric, label) = Dashboard.LabelValues(variableQuery);
            if (!run.ExportedNames.Contains(metric)) problems.Add($"variable {name}: metric {metric} is not exported by the silo");
            else if (!(await api.LabelValuesAsync(label, metric)).Contains(id)) problems.Add($"variable {name}: {variableQuery} does not list {id}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nexported: " + string.Join(" ", run.ExportedNames.Order()));
    }
}

/// <summary>The dashboard JSON is what current Grafana (11 and later) provisions from a file.</summary>
public sealed class DashboardJsonTests
{
    private readonly JsonObject _dashboard = Dashboard.Load();

    [Fact]
    public void The_dashboard_is_a_provisionable_Grafana_dashboard_with_a_datasource_variable_and_unique_panel_ids()
    {
        var d = _dashboard;
        // A dashboard model of its own (not an export wrapper with __inputs, which provisioning does not resolve).
        Assert.Null(d["__inputs"]);
        Assert.Null(d["dashboard"]);
        Assert.DoesNotContain("${DS_", d.ToJsonString());
        Assert.True(d["id"] is null, "a provisioned dashboard carries no database id");
        Assert.Matches("^[A-Za-z0-9_-]{1,40}$", (string)d["uid"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)d["title"]));
        // Schema 36 made data source references objects ({type, uid}); 39 is Grafana 11's, which later versions migrate.
        Assert.InRange((int)d["schemaVersion"]!, 36, 42);

        var datasource = Dashboard.Variable(d, "datasource");
        Assert.Equal("datasource", (string)datasource["type"]!);
        Assert.Equal("prometheus", (string)datasource["query"]!);
        foreach (var (name, expectedLabel) in new[] { ("job", "job_id"), ("sweep", "sweep_id") })
        {
            var variable = Dashboard.Variable(d, name);
            Assert.Equal("query", (string)variable["type"]!);
            AssertUsesDatasourceVariable(variable["datasource"], $"variable {name}");
            Assert.Equal(".*", (string)variable["allValue"]!);
            string definition = variable["query"] is JsonObject q ? (string)q["query"]! : (string)variable["query"]!;
            Assert.Equal(expectedLabel, Dashboard.LabelValues(definition).Label);
            if (variable["query"] is JsonObject query)
            {
                var (metric, label) = Dashboard.LabelValues((string)query["query"]!);
                Assert.Equal(1, (int)query["qryType"]!);   // label values
                Assert.Equal(metric, (string?)query["metric"] ?? metric);
                Assert.Equal(label, (string?)query["label"] ?? label);
            }
        }

        var panels = Dashboard.Panels(d).ToList();
        var ids = panels.Select(p => (int)p["id"]!).ToList();
        var repeated = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"panel ids used more than once: {string.Join(", ", repeated)}");
        Assert.All(ids, id => Assert.True(id > 0));
        var rectangles = new List<(int Id, int X, int Y, int W, int H)>();
        foreach (var p in panels)
        {
            string type = (string)p["type"]!, title = (string)p["title"]!;
            Assert.False(string.IsNullOrWhiteSpace(title));
            var grid = p["gridPos"]!;
            var r = ((int)p["id"]!, (int)grid["x"]!, (int)grid["y"]!, (int)grid["w"]!, (int)grid["h"]!);
            Assert.True(r.Item2 >= 0 && r.Item4 >= 1 && r.Item2 + r.Item4 <= 24 && r.Item3 >= 0 && r.Item5 >= 1, $"panel {title}: gridPos {grid.ToJsonString()}");
            rectangles.Add(r);
            if (type == "row") continue;
            Assert.Contains(type, new[] { "timeseries", "stat", "gauge", "bargauge", "table", "text", "piechart", "heatmap" });
            AssertUsesDatasourceVariable(p["datasource"], $"panel {title}");
            var targets = p["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            var refIds = targets.Select(t => (string)t!["refId"]!).ToList();
            Assert.Equal(refIds.Count, refIds.Distinct().Count());
            foreach (var t in targets)
            {
                AssertUsesDatasourceVariable(t!["datasource"], $"panel {title} query {t["refId"]}");
                Assert.False(string.IsNullOrWhiteSpace((string?)t["expr"]), $"panel {title}: empty expr");
            }
        }
        foreach (var a in rectangles)
        foreach (var b in rectangles.Where(b => b.Id > a.Id))
            Assert.False(a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H, $"panels {a.Id} and {b.Id} overlap");
    }

    [Fact]
    public void The_metric_name_reader_finds_metrics_and_skips_functions_labels_and_durations()
    {
        Assert.Equal(["rnncluster_step_duration_seconds_bucket"], Dashboard.MetricNames(
            "histogram_quantile(0.99, sum by (le, model) (rate(rnncluster_step_duration_seconds_bucket{model=~\"a|b\"}[$__rate_interval])))"));
        Assert.Equal(["a_sum", "a_count"], Dashboard.MetricNames("sum by (model) (rate(a_sum[5m])) / on (model) sum by (model) (rate(a_count[1h30m] offset 5m))"));
        Assert.Equal(["orleans_catalog_activations"], Dashboard.MetricNames("sum(orleans_catalog_activations{grain_type!~\"sys[.].*\"}) > bool 2e3"));
        Assert.Equal(("rnncluster_step", "job_id"), Dashboard.LabelValues("label_values(rnncluster_step, job_id)"));
    }

    private static void AssertUsesDatasourceVariable(JsonNode? datasource, string where)
    {
        Assert.True(datasource is JsonObject, $"{where}: no datasource");
        Assert.Equal("prometheus", (string?)datasource!["type"]);
        Assert.Contains((string?)datasource["uid"], new[] { "${datasource}", "$datasource" });
    }
}
