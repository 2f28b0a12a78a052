using System.Text.RegularExpressions;

namespace RnnCluster.Numerics.Tests;

/// <summary>
/// Numerics reads one way: no namespace of it uses one that uses it back, directly or through others (Kernels, then
/// Layers, Models, Training, with Data, Optim, Classical and Sweeps beside). A use is a using directive, a qualified
/// name (Data.NumpyRandomState) or a doc reference, in any file of the namespace's folder.
/// </summary>
public partial class NamespaceLayeringTests
{
    [GeneratedRegex(@"\bRnnCluster\.Numerics\.(?<ns>[A-Z][A-Za-z]*)|(?<![\w.])(?<ns>[A-Z][A-Za-z]*)\.[A-Z]")]
    private static partial Regex Use();

    [Fact]
    public void No_namespace_of_Numerics_depends_on_itself_through_another()
    {
        string root = Path.Combine(Repository.Root, "Numerics");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Cast<string>().ToHashSet();
        var uses = folders.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Use().Matches(File.ReadAllText(file)).Select(m => m.Groups["ns"].Value))
            .Where(ns => folders.Contains(ns) && ns != f).ToHashSet());
        Assert.True(uses["Layers"].Contains("Kernels") && uses["Training"].Contains("Models"), "the scan finds the uses it should");

        foreach (var start in folders)
        {
            // every namespace reachable from start; start among them is a cycle
            var reached = new HashSet<string>();
            var path = new Dictionary<string, string>();
            var queue = new Queue<string>([start]);
            while (queue.Count > 0)
            {
                string ns = queue.Dequeue();
                foreach (var next in uses[ns])
                {
                    if (!reached.Add(next)) continue;
                    path[next] = ns;
                    queue.Enqueue(next);
                }
            }
            if (!reached.Contains(start)) continue;
            var cycle = new List<string> { start };
            for (string at = path[start]; at != start; at = path[at]) cycle.Add(at);
            cycle.Add(start);
            cycle.Reverse();
            Assert.Fail($"Numerics.{start} uses itself back: {string.Join(" -> ", cycle)}");
        }
    }
}
