using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The cluster's bits with AVX-512 switched off (DOTNET_EnableAVX512=0, so the kernels take their Vector256 path;
/// .NET 10 ignores the older DOTNET_EnableAVX512F)
/// equal the in-process trainer's with the widest vectors this machine has: a cluster may mix machines.
/// (On a machine without AVX-512 both runs use Vector256, and the test still checks cluster = local.)
/// </summary>
[Trait("Category", "Processes")]
public class InstructionSetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public async Task Weights_without_avx512_equal_the_local_trainers(int shards)
    {
        var local = Trainer.Train(ModelCatalogue.Find("deep-rnn-dense").Spec!, ChapterSeries.OneStep(42), new TrainingOptions(Epochs: 1, Seed: 42));

        string dll = Repository.ReleaseDll("Client", "rnncluster.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "train", "--model", "deep-rnn-dense", "--epochs", "1", "--shards", shards.ToString(), "--json" })
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_EnableAVX512"] = "0";
        start.Environment.Remove("RNNCLUSTER_GATEWAY");      // the embedded cluster of the child, never an outside one
        start.Environment.Remove("RNNCLUSTER_CLUSTER_ID");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);

        var result = JsonDocument.Parse(stdout).RootElement.GetProperty("results")[0];
        Assert.Equal(local.WeightsHash, result.GetProperty("weights_hash").GetString());
        Assert.Equal(local.ValidMse, result.GetProperty("valid_mse").GetDouble(), 12);
        Assert.True(Vector256.IsHardwareAccelerated, "this machine has no 256-bit vectors: the comparison would be scalar against scalar");
    }
}
