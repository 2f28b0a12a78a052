#!/usr/bin/env bash
# A/B of our training speed: an earlier commit (A) against the working tree (B), interleaved, without libtorch.
#   tests/Benchmarks/ab-compare.sh BASE [ONLY] [ROUNDS]
#   tests/Benchmarks/ab-compare.sh HEAD lstm-dense,chapter 4   # the uncommitted change against HEAD, 4 rounds
# BASE is built in a temporary git worktree; each round runs `compare --only ONLY --no-torch` once with A's build and
# once with B's, and prints one line per row (samples/s, % of peak, others' CPU), sorted by row. On a shared machine
# the rounds move between fast and slow phases: compare the best of each side, and their spread.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:?usage: ab-compare.sh BASE [ONLY] [ROUNDS]}; only=${2:-chapter}; rounds=${3:-3}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/a" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/a" "$base" >/dev/null 2>&1
dotnet build "$work/a/tests/Benchmarks" -c Release >/dev/null
dotnet build tests/Benchmarks -c Release >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true # the build servers would share the cores with the rounds
a="$work/a/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"; b=tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    dll=$a; [ "$side" = B ] && dll=$b
    dotnet "$dll" compare --only "$only" --no-torch --no-scaling --no-full-train --no-breakdown --seconds 1.5 --fma-seconds 0.3 2>/dev/null |
      grep '^| [a-z]' | grep -v '^| model' |
      awk -F'|' -v side="$side" '{ printf "%s %-16s %-16s %10s %8s  others %s\n", side, $2, $3, $6, $11, $15 }'
  done
done | sort -k2,2 -k3,3 -k1,1 -s
