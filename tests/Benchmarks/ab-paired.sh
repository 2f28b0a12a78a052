#!/usr/bin/env bash
# Paired A/B: an earlier commit (A) and the working tree (B) run at once, one on each of two cores (taskset), swapping
# cores each round, so that the machine's fast and slow phases hit both sides alike. Prints one line per row and
# round with B/A, then each row's geometric mean of B/A and the rounds B was ahead. Needs 2 cores and taskset.
#   tests/Benchmarks/ab-paired.sh BASE compare ONLY [ROUNDS]        # compare rows, e.g. chapter, lstm-dense,chapter
#   tests/Benchmarks/ab-paired.sh BASE product R K C [transposed|started]   # one product shape (6 rounds)
# Both sides share the memory bus and L3, so absolute figures are lower than a run alone; read the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:?usage: ab-paired.sh BASE compare ONLY [ROUNDS] | ab-paired.sh BASE product R K C [transposed]}; mode=${2:?}
shift 2
if [ "$mode" = compare ]; then only=${1:?}; rounds=${2:-6}; args=(compare --only "$only" --no-torch --no-scaling --no-full-train --no-breakdown --seconds 1.5 --fma-seconds 0.3)
elif [ "$mode" = product ]; then rounds=6; args=(product "$@")
else echo "mode is compare or product" >&2; exit 2; fi
work=$(mktemp -d)
trap 'git worktree remove --force "$work/a" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/a" "$base" >/dev/null 2>&1
dotnet build "$work/a/tests/Benchmarks" -c Release >/dev/null
dotnet build tests/Benchmarks -c Release >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true
a="$work/a/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"; b=tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll
# rows of one side's output: "name figure" (compare: the row's samples/s, higher is better; product: ns, lower is better)
rows() {
  if [ "$mode" = compare ]; then grep '^| [a-z]' "$1" | grep -v '^| model' | awk -F'|' '{gsub(/ /,"",$2); split($3, size, " "); gsub(/[ ,]/,"",$6); print $2 "-" size[1], $6}' | sort
  else grep -o '^[0-9]* x [0-9]* x [0-9]*[^:]*: [0-9]* ns' "$1" | sed 's/ x /x/g; s/ (a transposed)/T/; s/ (started)/S/; s/: / /; s/ ns//'; fi
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then ca=0; cb=1; else ca=1; cb=0; fi
  taskset -c $ca dotnet "$a" "${args[@]}" > "$work/a.txt" 2>/dev/null &
  taskset -c $cb dotnet "$b" "${args[@]}" > "$work/b.txt" 2>/dev/null
  wait
  join <(rows "$work/a.txt") <(rows "$work/b.txt") | awk -v r="$r" -v mode="$mode" \
    '{ gain = mode == "compare" ? $3 / $2 : $2 / $3; printf "%-18s round %d  A %9s  B %9s  gain %.2f\n", $1, r, $2, $3, gain }'
done | sort -k1,1 -s | awk '{ print; n[$1]++; l[$1] += log($NF); if ($NF > 1) w[$1]++ }
  END { for (k in n) printf "%-18s gain %.2f (geometric mean), B ahead in %d of %d rounds\n", k, exp(l[k] / n[k]), w[k], n[k] }'
