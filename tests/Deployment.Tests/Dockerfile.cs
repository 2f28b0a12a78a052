using System.Text.Json;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// The repository's Dockerfile, read as Docker reads its instructions (continuation lines joined, comments dropped),
/// and its stages: one build stage, a publish stage an image, and the images' targets (<see cref="SiloTarget"/>,
/// <see cref="ClientTarget"/>).
/// </summary>
internal sealed record Dockerfile(string Path, IReadOnlyList<(string Instruction, string Arguments)> Lines)
{
    /// <summary>The Dockerfile of both images (build context: the repository root).</summary>
    public const string RepositoryPath = "Dockerfile";

    /// <summary>The targets (<c>docker build --target</c>) of the silo and client images.</summary>
    public const string SiloTarget = "silo";
    public const string ClientTarget = "client";

    public static Dockerfile Read(string relativePath = RepositoryPath)
    {
        string path = System.IO.Path.Combine(Repository.Root, relativePath);
        var lines = new List<(string, string)>();
        string pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            string line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#') || line.Length == 0) continue;
            if (line.EndsWith('\\')) { pending += line[..^1] + " "; continue; }
            line = (pending + line).Trim();
            pending = "";
            int space = line.IndexOf(' ');
            lines.Add((line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }
        return new Dockerfile(relativePath, lines);
    }

    /// <summary>The instructions of the stage named <paramref name="name"/> (FROM image AS name), from its FROM on.</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> Stage(string name)
    {
        int from = Lines.ToList().FindIndex(l => l.Instruction == "FROM" && StageName(l.Arguments) == name);
        if (from < 0) throw new InvalidOperationException($"{Path}: no stage named {name}");
        return Lines.Skip(from).TakeWhile((l, i) => i == 0 || l.Instruction != "FROM").ToList();
    }

    /// <summary>X.dll of the target's ENTRYPOINT ["dotnet", "X.dll"].</summary>
    public string EntryPointDll(string target)
    {
        var entry = Stage(target).Last(l => l.Instruction == "ENTRYPOINT").Arguments;
        var parts = JsonSerializer.Deserialize<string[]>(entry) ?? [];
        if (parts is not ["dotnet", var dll] || !dll.EndsWith(".dll", StringComparison.Ordinal))
            throw new InvalidOperationException($"{Path}: ENTRYPOINT {entry} of {target} is not [\"dotnet\", \"X.dll\"]");
        return dll;
    }

    /// <summary>
    /// The arguments (after "dotnet publish") of the RUN dotnet publish of the stage the target copies its
    /// application from (COPY --from=STAGE).
    /// </summary>
    public string[] PublishArguments(string target)
    {
        var copy = Stage(target).Single(l => l.Instruction == "COPY" && l.Arguments.StartsWith("--from=", StringComparison.Ordinal)).Arguments;
        string source = copy["--from=".Length..].Split(' ')[0];
        var run = Stage(source).Single(l => l.Instruction == "RUN" && l.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal)).Arguments;
        return run["dotnet publish ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    // "image AS name" -> name
    private static string? StageName(string from)
    {
        var parts = from.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
    }
}
