using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// The kernels' bits do not depend on the vector width: <see cref="WidthProbe"/>'s hashes (every catalogue model after
/// a short training, every kernel at every length) are the pinned ones in this process, at the widest width the host
/// has, and the same in a child process whose runtime is told to use narrower vectors (AVX-512 off: 256 bits; AVX2
/// off: 128 bits; hardware intrinsics off: the software fallback), each switch that narrows this host's widths (an
/// AVX2 host has no AVX-512 to switch off). Each child must report the narrower width, so the comparison is never a
/// width against itself.
/// </summary>
public class VectorWidthTests
{
    // the models' hashes are those of the kernels before they became one width-generic loop each (commit 9ad0248), at
    // every width. "kernels" was pinned then too, and again when the probe's layer normalisation became the batch-minor
    // kernels the LN cell calls (LayerNormKernels; the scalar-mean forms it probed before were used by no layer): the
    // inputs changed, not the bits (every model's hash, ln-rnn's included, stayed as it was); and again when the GRU
    // step's fused kernels (GateKernels.AddSigmoid, MultiplyAddTanh) joined the probe: more outputs hashed, every model's
    // hash (gru's, conv-gru's included) as it was
    private static readonly string[] Pinned =
    [
        "linear 782b540999d3a5d8", "simple-rnn-1 510f4e1a057e5fb3", "deep-rnn cff748b9868995b0", "deep-rnn-dense 37cfe2e4ddcbfde5",
        "deep-rnn-iterative cff748b9868995b0", "seq2vec-rnn dc7f9b8c981d25d1", "seq2seq-rnn 9eb8d6c6832a78db", "ln-rnn 52bd6c3a48b5ea0c",
        "lstm 2d24337e7d283fb8", "gru edcbcb87c02a2493", "conv-gru c2a1f94382c07642", "wavenet e21130bda6047870",
        "kernels b4737719115e7723",
    ];

    private static readonly Lazy<string[]> Here = new(() => [.. WidthProbe.Lines().Skip(1)]);

    [Fact]
    public void Hashes_at_the_hosts_width_are_the_pinned_ones() => Assert.Equal(Pinned, Here.Value);

    /// <summary>
    /// The switches that narrow this host's widths, each with the widths its child must report: a switch for a width
    /// the host lacks (AVX-512 on an AVX2 host) would compare a width against itself, so it is not a case here.
    /// </summary>
    public static TheoryData<string, string> Narrowing()
    {
        var cases = new TheoryData<string, string>();
        if (Vector512.IsHardwareAccelerated) cases.Add("DOTNET_EnableAVX512", "widths 256 128");
        if (Vector256.IsHardwareAccelerated) cases.Add("DOTNET_EnableAVX2", "widths 128");
        if (Vector128.IsHardwareAccelerated) cases.Add("DOTNET_EnableHWIntrinsic", "widths");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Narrowing))]
    public async Task A_narrower_width_gives_the_same_bits(string switchedOff, string childWidths)
    {
        string dll = typeof(WidthProbe).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment[switchedOff] = "0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string[] lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(childWidths, lines[0]);
        Assert.NotEqual(WidthProbe.Widths(), lines[0]);
        Assert.Equal(Here.Value, lines[1..]);
    }
}
