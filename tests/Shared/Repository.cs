namespace RnnCluster.Tests.Shared;

/// <summary>The repository's folders as the test projects see them (linked into each; not a project of its own).</summary>
internal static class Repository
{
    /// <summary>The folder holding RnnCluster.sln, above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A real data file of the repository's examples: <c>examples/data/FILE</c>.</summary>
    public static string ExampleData(string file)
    {
        string path = Path.Combine(Root, "examples", "data", file);
        if (!File.Exists(path)) throw new InvalidOperationException($"example data file {path} not found");
        return path;
    }

    /// <summary>The Release build of a project's program, e.g. ("Silo", "RnnCluster.Silo.dll"); fails when it is not built.</summary>
    public static string ReleaseDll(string project, string dll)
    {
        string path = Path.Combine(Root, project, "bin", "Release", "net10.0", dll);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build the solution in Release first");
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RnnCluster.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
