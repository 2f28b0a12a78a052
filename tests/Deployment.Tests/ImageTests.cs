using System.Diagnostics;
using k8s.Models;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// The images: the silo and client targets of the Dockerfile checked offline (no container engine here), and their
/// <c>dotnet publish</c> run exactly as the Dockerfile runs it, into a temporary folder.
/// </summary>
public sealed class ImageTests
{
    public static TheoryData<string, string> Images => new() { { Dockerfile.SiloTarget, CrossCheck.SiloImage }, { Dockerfile.ClientTarget, CrossCheck.ClientImage } };

    [Theory]
    [MemberData(nameof(Images))]
    public void The_Dockerfile_builds_in_Release_from_the_repository_and_runs_as_the_manifests_non_root_user(string target, string image)
    {
        var dockerfile = Dockerfile.Read();
        string path = $"{dockerfile.Path} (target {target})";
        var stages = dockerfile.Lines.Count(l => l.Instruction == "FROM");
        Assert.True(stages >= 2, $"{path}: {stages} stage(s); expected a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 ", dockerfile.Lines[0].Arguments + " ");

        // dotnet publish in Release of a project of the repository
        var publish = dockerfile.PublishArguments(target);
        Assert.Contains("Release", publish.SkipWhile(a => a != "-c").Skip(1).Take(1));
        Assert.True(File.Exists(Path.Combine(Repository.Root, publish[0])), $"{path}: publishes {publish[0]}, which is not in the repository");

        // every COPY source is in the repository and not left out by .dockerignore
        foreach (var (instruction, arguments) in dockerfile.Lines.Where(l => l.Instruction == "COPY" && !l.Arguments.StartsWith("--from", StringComparison.Ordinal)))
        {
            var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                Assert.True(File.Exists(Path.Combine(Repository.Root, source)) || Directory.Exists(Path.Combine(Repository.Root, source)), $"{path}: COPY {source}: not in the repository");
                Assert.False(source.StartsWith("tests/", StringComparison.Ordinal) || source.StartsWith("k8s/", StringComparison.Ordinal), $"{path}: COPY {source}: .dockerignore leaves it out");
            }
        }

        // the final stage: ASP.NET Core runtime, a numeric non-root user, the one the manifests run as
        var final = dockerfile.Stage(target);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", final[0].Arguments);
        var user = final.LastOrDefault(l => l.Instruction == "USER").Arguments;
        Assert.True(user is not null, $"{path}: the final stage sets no USER (it would run as root)");
        long uid = long.Parse(user!.Split(':')[0]);
        Assert.NotEqual(0, uid);
        var manifests = image == CrossCheck.SiloImage ? Manifests.RenderObjects("overlays/prod") : Manifests.RenderObjects("overlays/prod/sweep");
        var template = manifests.Where(o => o.Kind is "Deployment" or "Job")
            .Select(o => o.Kind == "Deployment" ? StrictCheck.Load<V1Deployment>(o).Spec.Template : StrictCheck.Load<V1Job>(o).Spec.Template)
            .Single(t => t.Spec.Containers.Any(c => CrossCheck.Program(c.Image) == image));
        Assert.Equal(uid, template.Spec.SecurityContext.RunAsUser);

        // nothing secret baked in
        foreach (var (instruction, arguments) in dockerfile.Lines.Where(l => l.Instruction is "ENV" or "ARG" or "LABEL"))
            Assert.DoesNotMatch("(?i)ConnectionStrings|AccountKey|password|secret|token", arguments);
    }

    [Fact]
    public void The_dockerignore_leaves_out_build_outputs_tests_and_git()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".git", "tests/", "**/node_modules/" }) Assert.Contains(entry, lines);
    }

    [Fact]
    public void The_sweep_Jobs_spec_is_in_the_client_image()
    {
        var job = StrictCheck.Load<V1Job>(Manifests.RenderObjects("overlays/prod/sweep").Single(o => o.Kind == "Job"));
        string spec = job.Spec.Template.Spec.Containers[0].Args.Single(a => a.EndsWith(".sweep.json", StringComparison.Ordinal));
        var client = Dockerfile.Read().Stage(Dockerfile.ClientTarget);
        Assert.Contains(("WORKDIR", "/app"), client);
        Assert.Contains(("COPY", "examples/ examples/"), client);
        Assert.StartsWith("/app/examples/", spec);
        Assert.True(File.Exists(Path.Combine(Repository.Root, "examples", spec["/app/examples/".Length..])), $"the Job runs {spec}, which is not in examples/");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Dotnet_publish_as_the_Dockerfile_runs_it_gives_the_entry_point(string target, string image)
    {
        var dockerfile = Dockerfile.Read();
        string path = $"{dockerfile.Path} (target {target})";
        var arguments = dockerfile.PublishArguments(target).ToList();
        int output = arguments.IndexOf("-o");
        Assert.True(output >= 0, $"{path}: dotnet publish has no -o");
        string folder = Path.Combine(Path.GetTempPath(), $"rnncluster-publish-{Guid.NewGuid():N}");
        arguments[output + 1] = folder;
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("publish");
            foreach (var a in arguments) start.ArgumentList.Add(a);
            start.ArgumentList.Add("-nologo");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8)))
                await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"dotnet publish {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");

            string dll = dockerfile.EntryPointDll(target);
            Assert.True(File.Exists(Path.Combine(folder, dll)), $"{path}: the ENTRYPOINT's {dll} is not in the published output");
            string runtimeConfig = File.ReadAllText(Path.Combine(folder, Path.ChangeExtension(dll, ".runtimeconfig.json")));
            Assert.Contains("Microsoft.AspNetCore.App", runtimeConfig);   // the aspnet runtime image has it
            Assert.False(File.Exists(Path.Combine(folder, Path.GetFileNameWithoutExtension(dll))), "UseAppHost=false: no native launcher");
            foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
                Assert.DoesNotContain("AccountKey=", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
            if (image == CrossCheck.SiloImage)
                Assert.True(File.Exists(Path.Combine(folder, "Orleans.Hosting.Kubernetes.dll")), "the silo's publish output lacks Orleans.Hosting.Kubernetes.dll");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
