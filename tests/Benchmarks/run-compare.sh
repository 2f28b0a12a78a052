#!/usr/bin/env bash
# RnnCluster vs libtorch (TorchSharp-cpu 0.107), one thread each: builds the benchmarks (Release), makes libtorch
# loadable on Debian 12 and runs `compare`. Arguments go to `compare` (e.g. --only chapter, --seconds 3).
#
# Debian 12's libstdc++ (GCC 12) lacks GLIBCXX_3.4.32, which TorchSharp 0.107's libLibTorchSharp.so requires for one
# symbol, std::ios_base_library_init(). So, inside the build output only (never the NuGet cache):
#   1. torch-shim/ios_base_library_init.cpp -> bin/.../torch-shim/libios_base_library_init.so (g++), which defines it;
#   2. torch-shim/weaken-version.cpp -> a tool that marks the GLIBCXX_3.4.32 requirement of the output's copy of
#      libLibTorchSharp.so weak (the loader then accepts the library, and the symbol binds to the shim);
#   3. the comparison runs with LD_PRELOAD=the shim.
# Needs g++ (Debian: apt-get install -y g++). Where libstdc++ already has GLIBCXX_3.4.32 nothing is patched or preloaded.
# Step 2 redoes itself after every build, because a build copies the original library back over the patched one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/bin/Release/net10.0"
native="$out/runtimes/linux-x64/native"
shim_dir="$out/torch-shim"

cd "$repo"
dotnet build "$here/Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build-server shutdown >/dev/null 2>&1 || true # the build servers would share the cores with the comparison

preload=""
torchsharp="$native/libLibTorchSharp.so"
# awk reads ldconfig's whole list: leaving at the first match let ldconfig die of SIGPIPE now and then, which pipefail
# and set -e turned into a silent exit 141 before the comparison ran
libstdcxx="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')"
if [[ ! -f "$torchsharp" ]]; then
    echo "run-compare.sh: $torchsharp not found; running anyway (the comparison says why libtorch does not load)" >&2
elif [[ -n "$libstdcxx" ]] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
    echo "run-compare.sh: $libstdcxx has GLIBCXX_3.4.32: no shim needed" >&2
else
    command -v g++ >/dev/null || { echo "run-compare.sh: g++ is needed to build the libtorch shim (apt-get install -y g++)" >&2; exit 1; }
    mkdir -p "$shim_dir"
    if [[ ! -f "$shim_dir/libios_base_library_init.so" || "$here/torch-shim/ios_base_library_init.cpp" -nt "$shim_dir/libios_base_library_init.so" ]]; then
        g++ -O2 -Wall -Wextra -Werror -shared -fPIC -o "$shim_dir/libios_base_library_init.so" "$here/torch-shim/ios_base_library_init.cpp"
    fi
    if [[ ! -x "$shim_dir/weaken-version" || "$here/torch-shim/weaken-version.cpp" -nt "$shim_dir/weaken-version" ]]; then
        g++ -O2 -Wall -Wextra -Werror -o "$shim_dir/weaken-version" "$here/torch-shim/weaken-version.cpp"
    fi
    "$shim_dir/weaken-version" "$torchsharp" GLIBCXX_3.4.32 >&2 || [[ $? == 1 ]]
    preload="$shim_dir/libios_base_library_init.so"
fi

export RNNCLUSTER_RUN_COMPARE=1 # the tables then say so
if [[ -n "$preload" ]]; then
    LD_PRELOAD="$preload${LD_PRELOAD:+:$LD_PRELOAD}" dotnet run -c Release --no-build --project "$here" -- compare --require-torch "$@"
else
    dotnet run -c Release --no-build --project "$here" -- compare --require-torch "$@"
fi
