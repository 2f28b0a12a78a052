#!/usr/bin/env bash
# Where a training step's time goes: `compare --only ONLY` (ours only) under Linux perf, then each function's share of
# the step's samples, by itself and by itself under its nearest caller in RnnCluster.Numerics.
#   tests/Benchmarks/profile.sh ONLY [SECONDS] [TOP]
#   tests/Benchmarks/profile.sh gru-dense,large 6 30
# The samples of compare's FMA-ceiling loop are left out, so the shares are of the step alone. A product's share is
# its BlockProduct frames (the blocks are separate functions). Needs perf (Debian: apt-get install linux-perf) and
# python3; the JIT's code is named through its perf map (DOTNET_PerfMapEnabled=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
only=${1:?usage: profile.sh ONLY [SECONDS] [TOP]}; seconds=${2:-4}; top=${3:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build tests/Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -q -F 999 -g -o "$work/perf.data" -- \
  dotnet tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll compare --only "$only" --no-torch --no-scaling \
  --no-full-train --no-breakdown --seconds "$seconds" 2>/dev/null | grep -E 'samples/s|^\| [a-z]' | grep -v '^| model' || true
perf script -i "$work/perf.data" -F ip,sym 2>/dev/null > "$work/stacks.txt"
python3 - "$work/stacks.txt" "$top" <<'EOF'
import collections, re, sys
path, top = sys.argv[1], int(sys.argv[2])
def short(frame):
    m = re.search(r'([\w`]+(?:\+\w+)?)::(\w+)\(', frame)
    return f'{m.group(1)}::{m.group(2)}' if m else re.sub(r'^[0-9a-f]+ ', '', frame)[:60]
leaf, under, total = collections.Counter(), collections.Counter(), 0
for stack in open(path).read().split('\n\n'):
    frames = [f.strip() for f in stack.strip().split('\n') if f.strip()]
    if not frames or any('FmaCeiling' in f for f in frames): continue
    total += 1
    name = short(frames[0])
    caller = next((short(f) for f in frames[1:] if 'RnnCluster.Numerics' in f and short(f) != name), '-')
    leaf[name] += 1
    under[(name, caller)] += 1
print(f'{total} samples of the step')
print('\nby function:')
for name, n in leaf.most_common(top): print(f'{100 * n / total:6.1f}%  {name}')
print('\nby function, under its nearest caller in RnnCluster.Numerics:')
for (name, caller), n in under.most_common(top): print(f'{100 * n / total:6.1f}%  {name}  <-  {caller}')
EOF
