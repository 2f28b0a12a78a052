using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// Loads libtorch and pins it to one thread, or says why it cannot. On Debian 12 TorchSharp-cpu 0.107's
/// libLibTorchSharp.so needs GLIBCXX_3.4.32 (for std::ios_base_library_init) that GCC 12's libstdc++ lacks; the
/// first torch call then throws a TypeInitializationException. tests/Benchmarks/run-compare.sh builds and preloads
/// the shim of torch-shim/ that fixes it.
/// </summary>
internal static class TorchProbe
{
    /// <summary>null when libtorch is loaded and set to one thread; otherwise the reason, one line.</summary>
    public static string? TryLoad()
    {
        // On Linux x64, load the build output's libLibTorchSharp.so (and through its $ORIGIN run path libtorch) first:
        // a failure then reads as the loader's own reason ("version `GLIBCXX_3.4.32' not found ..."), and TorchSharp
        // never gets to its fallback, which copies the 500 MB of native libraries into a cpu/ folder beside the program.
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && File.Exists(native))
        {
            try
            {
                NativeLibrary.Load(native);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                return $"{native}: {e.Message}".ReplaceLineEndings(" ");
            }
        }
        try
        {
            return LoadAndPin();
        }
        catch (Exception e)
        {
            // TypeInitializationException (the native library failed to load), DllNotFoundException, NotSupportedException...
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            string reason = inner == e ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name} <- {inner.GetType().Name}: {inner.Message}";
            reason = reason.ReplaceLineEndings(" ");
            int trace = reason.IndexOf(" Trace from ", StringComparison.Ordinal); // TorchSharp appends its whole probing log
            return trace > 0 ? reason[..trace] + " (...)" : reason;
        }
    }

    // kept out of TryLoad so that a missing TorchSharp assembly fails inside the try, at this method's JIT
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? LoadAndPin()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        TorchSharp.torch.set_num_threads(1);
        try
        {
            TorchSharp.torch.set_num_interop_threads(1); // refused once libtorch has started its inter-op pool: harmless here
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
        using var probe = TorchSharp.torch.ones(2, 2);
        float sum = probe.sum().item<float>();
        if (sum != 4f) return $"libtorch computed 1+1+1+1 = {sum}";
        int threads = TorchSharp.torch.get_num_threads();
        return threads == 1 ? null : $"libtorch kept {threads} threads after set_num_threads(1)";
    }

    /// <summary>A one-line hint for the message printed when libtorch does not load.</summary>
    public const string Hint =
        "libtorch (TorchSharp-cpu) could not be loaded, so the libtorch columns are empty. On Debian 12 run the comparison " +
        "through tests/Benchmarks/run-compare.sh, which builds the GLIBCXX_3.4.32 shim (torch-shim/) with g++, marks that " +
        "version requirement weak in the build output's libLibTorchSharp.so and preloads the shim (see tests/Benchmarks/README.md).";
}
