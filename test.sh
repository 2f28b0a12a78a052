#!/usr/bin/env bash
# The README's test command. Installs what the tests need and is missing, then runs every test:
#   - Prometheus (Debian's package, with apt-get) for tests/Observability.Tests;
#   - kubectl (apt-get; its `kubectl kustomize` renders the manifests offline) for tests/Deployment.Tests;
#   - Azurite, the Azure Storage emulator (npm, pinned in tests/azurite/package-lock.json), started once on free
#     ports of 127.0.0.1 for the whole run; the tests read its connection string from RNNCLUSTER_TEST_AZURITE;
# then `dotnet test RnnCluster.sln -c Release -m:1`, with this script's arguments added (bash test.sh --filter X).
# -m:1 runs the test projects one after another: the fault tests time silo processes' failure detection on 2 cores,
# and other test projects loading the cores beside them made healthy silos miss their probes.
# Exits with dotnet test's status. Needs the .NET 10 SDK, Node.js 20+ with npm, and apt-get (root) for Prometheus.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

# (a) Prometheus. Without it the Observability tests fail and say so; the rest still run.
sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); fi
if ! command -v prometheus >/dev/null 2>&1; then
  echo "test.sh: installing prometheus (apt-get)" >&2
  { "${sudo[@]}" apt-get update -q && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus; } </dev/null >&2 ||
    echo "test.sh: warning: could not install prometheus; tests/Observability.Tests will fail" >&2
fi

# (a2) kubectl, whose `kubectl kustomize` renders the Kubernetes manifests offline for tests/Deployment.Tests (no
# cluster is used). Without it those tests fail and say so; the rest still run.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "test.sh: installing kubectl (apt-get)" >&2
  { "${sudo[@]}" apt-get update -q && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kubectl; } </dev/null >&2 ||
    echo "test.sh: warning: could not install kubectl; tests/Deployment.Tests will fail" >&2
fi

# (b) Azurite, from the lock file of tests/azurite.
azurite_dir=tests/azurite
azurite_js=$azurite_dir/node_modules/azurite/dist/src/azurite.js
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: node and npm (Node.js 20 or later) are needed to run Azurite for the tests; install them and run again" >&2
  exit 1
fi
if [ ! -f "$azurite_js" ]; then
  echo "test.sh: installing Azurite (npm ci in $azurite_dir)" >&2
  (cd "$azurite_dir" && npm ci --no-audit --no-fund </dev/null >&2) ||
    { echo "test.sh: npm ci in $azurite_dir failed" >&2; exit 1; }
fi

# (c) One Azurite for the whole run, in memory, on three free ports of 127.0.0.1.
free_ports() {   # prints three distinct free TCP ports of 127.0.0.1
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))
for x in s: x.close()' && return
  fi
  local ports=() p
  while [ "${#ports[@]}" -lt 3 ]; do   # no python3: a random port nothing answers on
    p=$((20000 + RANDOM % 40000))
    [[ " ${ports[*]} " == *" $p "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
  done
  echo "${ports[*]}"
}
read -r blob_port queue_port table_port < <(free_ports)

azurite_log=$(mktemp)
azurite_pid=
stop_azurite() {
  if [ -n "$azurite_pid" ] && kill -0 "$azurite_pid" 2>/dev/null; then
    kill "$azurite_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$azurite_pid" 2>/dev/null
    wait "$azurite_pid" 2>/dev/null
  fi
  rm -f "$azurite_log"
}
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node "$azurite_js" --silent --disableTelemetry --inMemoryPersistence \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" </dev/null >"$azurite_log" 2>&1 &
azurite_pid=$!

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
deadline=$((SECONDS + 30))
until listening "$blob_port" && listening "$queue_port" && listening "$table_port"; do
  if ! kill -0 "$azurite_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "test.sh: Azurite did not listen on 127.0.0.1:$blob_port/$queue_port/$table_port within 30 s:" >&2
    cat "$azurite_log" >&2
    exit 1
  fi
  sleep 0.2
done

key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export RNNCLUSTER_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
echo "test.sh: Azurite (pid $azurite_pid) on 127.0.0.1, blob $blob_port, queue $queue_port, table $table_port" >&2

# (d) The tests.
dotnet test RnnCluster.sln -c Release -m:1 "$@"
exit $?
