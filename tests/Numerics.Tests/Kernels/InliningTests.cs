using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// The kernels' vector operations are compiled into them, not called. Every operation of <c>V512</c>, <c>V256</c>,
/// <c>V128</c>, <c>Lane</c> and <c>OverlappedLanes</c> is one instruction or two, marked AggressiveInlining; but the
/// JIT inlines into a method only up to a budget, and past it leaves the rest as calls, silently: a 256-bit block of
/// the product ran 9x slower that way on an AVX2 host (every weight gradient of 40 columns, the chapter GRU's
/// recurrent one). A child process runs <see cref="WidthProbe"/> (every catalogue model, every kernel at every
/// length, every product shape) fully optimised from the start, with the JIT's listing of every method it compiles;
/// no listing of a method of Numerics may call one of those operations, nor any other method of Numerics marked
/// AggressiveInlining (RationalTanh.Of, the ops' Apply, the product's blocks). The child runs with AVX-512 off, so that
/// every host checks the same code, the 256-bit paths of an AVX2 host: the AVX-512 paths (eight-row blocks, packed
/// quads) are not checked here.
/// </summary>
public class InliningTests
{
    private static readonly Regex VectorCall = new(@"call\s+\[(RnnCluster\.Numerics\.Kernels\.(?:V512|V256|V128|Lane|OverlappedLanes)\S*?:\w+)", RegexOptions.Compiled);

    // a call's target: the type (generic arguments and arity left out) and the method
    private static readonly Regex NumericsCall = new(@"call\s+\[(RnnCluster\.Numerics\.[^\s:\[`]+)[^\s:]*:(\w+)", RegexOptions.Compiled);

    // every method of Numerics marked AggressiveInlining, as "Type:Method" (nested types with '+', as the listing has them)
    private static readonly HashSet<string> Inlined = typeof(RnnCluster.Numerics.Kernels.BlockProduct).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveInlining))
            .Select(m => $"{StripArity(type.FullName!)}:{m.Name}"))
        .ToHashSet();

    private static string StripArity(string name) => Regex.Replace(name, @"`\d+", "");

    [Fact]
    public async Task No_kernel_calls_a_vector_operation_or_an_AggressiveInlining_method_at_256_bits()
    {
        var (calls, listings, _) = await Listed(["products"], new() { ["DOTNET_TieredCompilation"] = "0" }); // every method compiled once, optimised, as a hot kernel is
        // the listing is there and holds the kernels (a JIT that ignored the setting would pass any code)
        Assert.True(listings > 100, $"{listings} listings of RnnCluster.Numerics methods");
        Assert.True(calls.Count == 0, string.Join('\n', calls));
    }

    /// <summary>
    /// The same with tiered compilation on, as training runs: a method compiled again at tier 1 with profile data may
    /// inline its callees further (a cell's step into the layer's loop, by the virtual call's profile), use up its
    /// budget there and leave a kernel's loop or vector operations as calls. On an AVX2 host the GRU's backward loop
    /// ran that way, a call from the tier-1 <c>StepBackwardWithOutput</c> that reloaded every span start at every vector.
    /// Every optimised listing (tier 1, OSR, fully optimised) is checked; tier 0's are not optimised code.
    /// </summary>
    [Theory]
    [InlineData("deep-rnn-dense")]
    [InlineData("ln-rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("conv-gru")]
    [InlineData("wavenet")]
    [InlineData("linear")]
    public async Task No_method_training_reaches_tier_1_with_calls_a_vector_operation_or_an_AggressiveInlining_method(string model)
    {
        var (calls, listings, tier1) = await Listed(["tiered", model], new() { ["DOTNET_TC_CallCountingDelayMs"] = "0", ["DOTNET_JitDisasmOnlyOptimized"] = "1" });
        // the child's methods did reach tier 1 (136-220 listings a model on an AVX2 host), or the check read only the
        // kernels compiled optimised from the start
        Assert.True(tier1 >= 50, $"{tier1} tier-1 listings of RnnCluster.Numerics methods ({listings} optimised in all)");
        Assert.True(calls.Count == 0, string.Join('\n', calls));
    }

    // runs WidthProbe with the arguments in a child with AVX-512 off and the JIT's listing of every method it compiles; returns the
    // optimised listings' forbidden calls ("Method calls Target"), how many optimised listings of Numerics it read, and
    // how many of those were tier 1's
    private static async Task<(SortedSet<string> Calls, int Listings, int Tier1)> Listed(string[] arguments, Dictionary<string, string> environment)
    {
        string listing = Path.Combine(Path.GetTempPath(), $"rnncluster-jit-{Guid.NewGuid():N}.txt");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(WidthProbe).Assembly.Location);
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            start.Environment["DOTNET_JitDisasm"] = "*";
            start.Environment["DOTNET_JitStdOutFile"] = listing;
            start.Environment["DOTNET_EnableAVX512"] = "0";
            // with DOTNET_JitDisasmOnlyOptimized the child died of SIGSEGV (exit 139, nothing on stderr) in 3 of 36 runs
            // on one host and never in 40 without it: the JIT's listing, not the code under test, which then runs again
            for (int attempt = 1; ; attempt++)
            {
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode == 139 && environment.ContainsKey("DOTNET_JitDisasmOnlyOptimized") && attempt < 4)
                {
                    File.Delete(listing);
                    continue;
                }
                Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode} after {attempt} runs: {await stderr}");
                Assert.StartsWith("widths", await stdout);
                break;
            }

            var calls = new SortedSet<string>();
            string? method = null;
            int listings = 0, tier1 = 0;
            foreach (string line in File.ReadLines(listing))
            {
                if (line.StartsWith("; Assembly listing for method ", StringComparison.Ordinal))
                {
                    method = line["; Assembly listing for method ".Length..];
                    // tier 0 (instrumented or not) is the unoptimised code a method starts with
                    if (!method.StartsWith("RnnCluster.Numerics.", StringComparison.Ordinal) || method.StartsWith("RnnCluster.Numerics.Tests.", StringComparison.Ordinal)
                        || method.Contains("Tier0)", StringComparison.Ordinal)) method = null;
                    else
                    {
                        listings++;
                        if (method.Contains("(Tier1", StringComparison.Ordinal)) tier1++;
                    }
                    continue;
                }
                if (method is null) continue;
                var call = VectorCall.Match(line);
                if (call.Success) calls.Add($"{method[..method.IndexOf('(', StringComparison.Ordinal)]} calls {call.Groups[1].Value}");
                var target = NumericsCall.Match(line);
                if (target.Success && Inlined.Contains($"{target.Groups[1].Value}:{target.Groups[2].Value}"))
                    calls.Add($"{method[..method.IndexOf('(', StringComparison.Ordinal)]} calls {target.Groups[1].Value}:{target.Groups[2].Value} (AggressiveInlining)");
            }
            return (calls, listings, tier1);
        }
        finally
        {
            File.Delete(listing);
        }
    }
}
