#!/usr/bin/env bash
# Two meritest nodes behind HAProxy on this machine, on PostgreSQL and a Redis of their own, for
# the load tests and the faults the crowd scenario injects:
#
#   bash loadtest/two-nodes.sh start            # builds nothing: uses target/release/meritest
#   target/release/meritest-loadtest --base-url http://127.0.0.1:8000 --password "$MERITEST_DEMO_PASSWORD" …
#   bash loadtest/two-nodes.sh stop
#
# Faults (what `--fault SECONDS:COMMAND` of the crowd scenario runs):
#   kill-node N           kill -9 node N (1 or 2)
#   restart-node N        node N stopped gracefully (SIGTERM: streams drain, in-flight answers
#                         finish) and started again; also starts a killed node
#   rolling-restart       restart-node 1, then restart-node 2
#   redis-restart aof     Redis killed (-9) and started again on its append-only file
#   redis-restart empty   Redis killed and started again on an empty data directory
#   pg-restart [MODE]     PostgreSQL restarted (pg_ctlcluster; MODE fast, the default, or
#                         immediate: a crash and recovery)
#   baseline              starts two meritest-baseline processes on :8091 and :8092 (HAProxy
#                         balances them on :8010) on the nodes' stores, for --scenario saturation
#   pids                  prints NAME=PID for --process: node1, node2, redis, haproxy, haproxy2,
#                         baseline1, baseline2
#
# The nodes listen on 127.0.0.1:8081 and :8082, two HAProxy processes on :8000
# (loadtest/haproxy/haproxy.cfg),
# Redis on 127.0.0.1:6390 with appendfsync everysec. Environment: MERITEST_PERF_DB (database
# name, default meritest_perf), PG_URL (default postgres://postgres@127.0.0.1:5432), PG_SSLMODE
# (default disable),
# MERITEST_DEMO_PASSWORD (default perf-demo-pass-1). Logs, data and PIDs go to
# /tmp/meritest-two-nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${MERITEST_PERF_DB:-meritest_perf}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
# The nodes reach PostgreSQL on loopback, where TLS protects nothing and costs both sides CPU
# (Debian's PostgreSQL offers it and the client's default, prefer, takes it). Across a network,
# keep it: PG_SSLMODE=require (or verify-full).
PG_SSLMODE=${PG_SSLMODE:-disable}
REDIS_PORT=6390
PASSWORD=${MERITEST_DEMO_PASSWORD:-perf-demo-pass-1}
RUN=/tmp/meritest-two-nodes
BIN=${MERITEST_BIN:-target/release/meritest}

alive() { # pid: running (an exited daemon may linger as a zombie nobody reaps)
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${stat#Z}" = "$stat" ]
}

stop_all() { # at once (a node's SIGINT skips the drain), waiting for each to exit
  local pids=()
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] || continue
    pids+=("$(cat "$f")")
    # HAProxy stops at once on SIGTERM; on SIGINT, after a crowd run, it stayed up on :8000
    # beside the next run's processes (SO_REUSEPORT) and took a share of its connections.
    case "$f" in
      */haproxy*.pid) kill -TERM "$(cat "$f")" 2>/dev/null || true ;;
      *) kill -INT "$(cat "$f")" 2>/dev/null || true ;;
    esac
    rm -f "$f"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if pgrep -f "haproxy -f loadtest/haproxy/haproxy.cfg" >/dev/null; then
    echo "an HAProxy of an earlier run is still on :8000: pkill -f loadtest/haproxy/haproxy.cfg" >&2
    return 1
  fi
}

wait_ready() { # url
  for _ in $(seq 150); do curl -sf "$1/ready" >/dev/null && return 0; sleep 0.2; done
  echo "$1 did not become ready" >&2
  return 1
}

start_redis() {
  mkdir -p "$RUN/redis"
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --dir "$RUN/redis" --appendonly yes \
    --appendfsync everysec --save "" --daemonize yes --pidfile "$RUN/redis.pid" \
    --logfile "$RUN/redis.log"
  for _ in $(seq 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "Redis did not start" >&2
  return 1
}

start_node() { # n
  local n=$1
  # shellcheck disable=SC1091
  . "$RUN/env"
  # As a production node runs: without RUST_BACKTRACE (a shell that sets it would have every
  # handled error capture and print a stack, which during a Redis outage is thousands a second).
  env -u RUST_BACKTRACE -u RUST_LIB_BACKTRACE \
    MERITEST__SERVER__PORT=808"$n" MERITEST__SERVER__TRUSTED_PROXIES=1 \
    MERITEST__AUTH__SECRET="$SECRET" MERITEST__AUTH__ACCESS_CODE_KEY="$CODE_KEY" \
    MERITEST__DATABASE__URL="$PG_URL/$DB?sslmode=$PG_SSLMODE" \
    MERITEST__LIVE__REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    MERITEST__LIVE__KEY_PREFIX="$PREFIX" MERITEST__DATA_DIR="$RUN/data$n" \
    MERITEST__BOOTSTRAP__DEMO=true MERITEST__BOOTSTRAP__DEMO_PASSWORD="$PASSWORD" \
    MERITEST__BOOTSTRAP__DEMO_RESULTS=0 MERITEST__AUTH__CANDIDATE_ATTEMPTS_PER_ADDRESS=1000000 \
    MERITEST__LOG__LEVEL=warn \
    "$BIN" >>"$RUN/node$n.log" 2>&1 &
  echo $! >"$RUN/node$n.pid"
  wait_ready "http://127.0.0.1:808$n"
}

stop_node() { # n: SIGTERM, then wait for the node's stop (drain, streams ended, requests done)
  local f="$RUN/node$1.pid"
  [ -e "$f" ] || return 0
  local pid
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 600); do alive "$pid" || break; sleep 0.1; done
  rm -f "$f"
}

case "${1:-start}" in
  stop) stop_all; exit 0 ;;
  kill-node)
    kill -9 "$(cat "$RUN/node$2.pid")"
    rm -f "$RUN/node$2.pid"
    exit 0 ;;
  restart-node) stop_node "$2"; start_node "$2"; exit 0 ;;
  rolling-restart)
    for n in 1 2; do
      stop_node $n
      start_node $n
      # HAProxy puts a node back after two good checks a second apart (haproxy.cfg: inter 1s,
      # rise 2): the next node stops only once this one takes candidates again.
      sleep 3
    done
    exit 0 ;;
  redis-restart)
    kill -9 "$(cat "$RUN/redis.pid")" 2>/dev/null || true
    for _ in $(seq 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || break; sleep 0.1; done
    case "${2:-aof}" in
      aof) ;;
      empty) rm -rf "$RUN/redis" ;;
      *) echo "redis-restart aof|empty" >&2; exit 2 ;;
    esac
    start_redis
    exit 0 ;;
  pg-restart)
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart -m "${2:-fast}"
    exit 0 ;;
  baseline)
    # shellcheck disable=SC1091
    . "$RUN/env"
    for n in 1 2; do
      [ -e "$RUN/baseline$n.pid" ] && alive "$(cat "$RUN/baseline$n.pid")" && continue
      env -u RUST_BACKTRACE -u RUST_LIB_BACKTRACE "$(dirname "$BIN")/meritest-baseline" \
        --port 809"$n" --database-url "$PG_URL/$DB?sslmode=$PG_SSLMODE" \
        --redis-url "redis://127.0.0.1:$REDIS_PORT" --key-prefix "$PREFIX" \
        >>"$RUN/baseline$n.log" 2>&1 &
      echo $! >"$RUN/baseline$n.pid"
    done
    for n in 1 2; do
      for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:809$n/" && break
        sleep 0.1
      done
    done
    echo "two baselines behind HAProxy on http://127.0.0.1:8010"
    exit 0 ;;
  pids)
    for name in node1 node2 redis haproxy haproxy2 baseline1 baseline2; do
      [ -e "$RUN/$name.pid" ] && echo "$name=$(cat "$RUN/$name.pid")"
    done
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop|kill-node N|restart-node N|rolling-restart|redis-restart aof|empty|pg-restart [fast|immediate]|baseline|pids" >&2; exit 2 ;;
esac

[ -x "$BIN" ] || { echo "build it first: cargo build --release --bin meritest" >&2; exit 1; }
command -v haproxy >/dev/null || { echo "HAProxy is missing: apt-get install haproxy" >&2; exit 1; }
stop_all
rm -rf "$RUN"
mkdir -p "$RUN"
psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
cat >"$RUN/env" <<VARS
SECRET=$(openssl rand -hex 32)
CODE_KEY=$(openssl rand -hex 32)
PREFIX=meritest-perf-$(date +%s):
VARS
start_redis
# The first node migrates and seeds the demo before the second starts.
start_node 1
start_node 2
# Two HAProxy processes on :8000: this machine lets a process hold 20,000 descriptors, and
# HAProxy keeps two per connection (see haproxy.cfg).
haproxy -f loadtest/haproxy/haproxy.cfg -D -p "$RUN/haproxy.pid"
haproxy -f loadtest/haproxy/haproxy.cfg -D -p "$RUN/haproxy2.pid"
wait_ready http://127.0.0.1:8000
echo "two nodes (pids $(cat "$RUN/node1.pid") $(cat "$RUN/node2.pid")) behind HAProxy on http://127.0.0.1:8000, Redis on :$REDIS_PORT"
