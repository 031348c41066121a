#!/usr/bin/env bash
# Two meritest nodes behind HAProxy on this machine, on PostgreSQL and Redis, for the load tests:
#
#   bash loadtest/two-nodes.sh start     # builds nothing: uses target/release/meritest
#   target/release/meritest-loadtest --base-url http://127.0.0.1:8000 --password "$MERITEST_DEMO_PASSWORD" …
#   bash loadtest/two-nodes.sh stop
#
# The nodes listen on 127.0.0.1:8081 and :8082 and HAProxy on :8000 (loadtest/haproxy/haproxy.cfg).
# Environment: MERITEST_PERF_DB (database name, default meritest_perf), PG_URL (default
# postgres://postgres@127.0.0.1:5432), REDIS_URL (default redis://127.0.0.1:6379),
# MERITEST_DEMO_PASSWORD (default perf-demo-pass-1). Logs and PIDs go to /tmp/meritest-two-nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${MERITEST_PERF_DB:-meritest_perf}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PASSWORD=${MERITEST_DEMO_PASSWORD:-perf-demo-pass-1}
RUN=/tmp/meritest-two-nodes
BIN=${MERITEST_BIN:-target/release/meritest}

stop() {
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-start}" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

[ -x "$BIN" ] || { echo "build it first: cargo build --release --bin meritest" >&2; exit 1; }
command -v haproxy >/dev/null || { echo "HAProxy is missing: apt-get install haproxy" >&2; exit 1; }
stop
mkdir -p "$RUN"
psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
secret=$(openssl rand -hex 32)
code_key=$(openssl rand -hex 32)
prefix="meritest-perf-$(date +%s):"
for n in 1 2; do
  env MERITEST__SERVER__PORT=808$n MERITEST__SERVER__TRUSTED_PROXIES=1 \
    MERITEST__AUTH__SECRET="$secret" MERITEST__AUTH__ACCESS_CODE_KEY="$code_key" \
    MERITEST__DATABASE__URL="$PG_URL/$DB" MERITEST__LIVE__REDIS_URL="$REDIS_URL" \
    MERITEST__LIVE__KEY_PREFIX="$prefix" MERITEST__DATA_DIR="$RUN/data$n" \
    MERITEST__BOOTSTRAP__DEMO=true MERITEST__BOOTSTRAP__DEMO_PASSWORD="$PASSWORD" \
    MERITEST__BOOTSTRAP__DEMO_RESULTS=0 MERITEST__AUTH__CANDIDATE_ATTEMPTS_PER_ADDRESS=1000000 \
    MERITEST__LOG__LEVEL=warn \
    "$BIN" >"$RUN/node$n.log" 2>&1 &
  echo $! >"$RUN/node$n.pid"
  # The first node migrates and seeds the demo before the second starts.
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:808$n/ready" >/dev/null && break; sleep 0.2; done
done
haproxy -f loadtest/haproxy/haproxy.cfg -D -p "$RUN/haproxy.pid"
for _ in $(seq 50); do curl -sf http://127.0.0.1:8000/ready >/dev/null && break; sleep 0.2; done
echo "two nodes (pids $(cat "$RUN/node1.pid") $(cat "$RUN/node2.pid")) behind HAProxy on http://127.0.0.1:8000"
