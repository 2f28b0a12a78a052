// RnnCluster benchmarks.
//   dotnet run -c Release --project tests/Benchmarks -- cluster      the whole-job comparison (cluster vs local, 1 vs 2 silos)
//   dotnet run -c Release --project tests/Benchmarks -- checkpoints  what checkpoints cost a job (Azurite from tests/azurite)
//   dotnet run -c Release --project tests/Benchmarks -- embedded     `rnncluster train` on its embedded silo vs Trainer.Train, cold, fresh processes
//   dotnet run -c Release --project tests/Benchmarks -- sweeps       sweep grain overhead per trial and throughput (1 at a time vs one per core)
//   dotnet run -c Release --project tests/Benchmarks -- compare      RnnCluster vs libtorch, 1 thread each (run-compare.sh on Debian 12)
//   dotnet run -c Release --project tests/Benchmarks -- product R K C one block product of a shape, against the FMA loop
//   dotnet run -c Release --project tests/Benchmarks -- transpose R C   one layout transpose of a shape
//   dotnet run -c Release --project tests/Benchmarks -- add-rows W T B  a bias gradient's sum, a sample at a time vs in groups
//   dotnet run -c Release --project tests/Benchmarks -- lstm-step [N]   the LSTM step's one pass against its two
//   dotnet run -c Release --project tests/Benchmarks -- [BDN args]   BenchmarkDotNet (e.g. --filter '*TrainingStep*')
// See tests/Benchmarks/README.md.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using RnnCluster.Benchmarks;
using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Benchmarks.Compare;
using RnnCluster.Benchmarks.Embedded;
using RnnCluster.Benchmarks.Kernels;
using RnnCluster.Benchmarks.Sweeps;

if (args.Length > 0 && args[0] == "cluster")
    return await ClusterComparison.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "checkpoints")
    return await CheckpointCost.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "embedded")
    return EmbeddedBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "embedded-local")   // the local side of `embedded`, in its own fresh process
    return LocalTrainChild.Run(args[1..]);
if (args.Length > 0 && args[0] == "sweeps")
    return await SweepBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "compare")
    return CompareCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "alignment")
    return AlignmentCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "product")
    return ProductCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "transpose")
    return TransposeCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "lstm-step")
    return LstmStepCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "add-rows")
    return AddRowsCommand.Run(args[1..]);

// Results go to tests/Benchmarks/BenchmarkDotNet.Artifacts rather than to whatever folder this was started from.
var config = DefaultConfig.Instance;
if (ProjectDirectory() is { } project) config = config.WithArtifactsPath(Path.Combine(project, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(TrainingStepBenchmarks).Assembly).Run(args, config);
return 0;

static string? ProjectDirectory()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Benchmarks.csproj"))) return dir.FullName;
    return null;
}
