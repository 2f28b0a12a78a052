using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace RnnCluster.Deployment.Tests;

/// <summary>One object of a rendered kustomization: its kind, name and YAML, and where it starts in the render.</summary>
internal sealed record RenderedObject(string ApiVersion, string Kind, string Name, string? Namespace, YamlMappingNode Node, string Yaml, int Line)
{
    /// <summary>"Kind/name", the way every problem names its object.</summary>
    public string Id => $"{Kind}/{Name}";
}

/// <summary>Renders kustomizations with <c>kubectl kustomize</c> (offline) and splits the result into objects.</summary>
internal static class Manifests
{
    /// <summary>The repository's k8s folder.</summary>
    public static string K8sFolder => Path.Combine(Repository.Root, "k8s");

    /// <summary>The overlays users apply: the silos and the sweep Job of each environment.</summary>
    public static readonly string[] Overlays = ["overlays/dev", "overlays/prod"];

    /// <summary>The YAML <c>kubectl kustomize FOLDER</c> prints; fails with kubectl's message.</summary>
    public static string Render(string folder)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH: it renders the kustomizations (test.sh says how to install it)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException($"kubectl kustomize {folder} took over 60 s"); }
            if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {folder} failed ({process.ExitCode}): {error.Result}");
            return output.Result;
        }
    }

    /// <summary>The objects of a render, in order.</summary>
    public static IReadOnlyList<RenderedObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = new List<RenderedObject>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            static string Scalar(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value ?? "" : "";
            var metadata = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
            string name = metadata is null ? "" : Scalar(metadata, "name");
            string? ns = metadata is null ? null : Scalar(metadata, "namespace") is { Length: > 0 } n ? n : null;
            objects.Add(new RenderedObject(Scalar(root, "apiVersion"), Scalar(root, "kind"), name, ns, root, Serialize(root), (int)root.Start.Line));
        }
        return objects;
    }

    /// <summary>Renders <paramref name="folder"/> (relative to <paramref name="k8s"/>, the repository's k8s folder by default) and parses it.</summary>
    public static IReadOnlyList<RenderedObject> RenderObjects(string folder, string? k8s = null) => Parse(Render(Path.Combine(k8s ?? K8sFolder, folder)));

    private static string Serialize(YamlMappingNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
