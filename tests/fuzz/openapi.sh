#!/usr/bin/env bash
# Checks every operation of the OpenAPI document against what the server answers: schemathesis
# generates requests from the document (valid and invalid ones) and fails on any server error,
# any status the document does not list for the operation, and any body or content type that
# does not match what it documents.
#
#   bash tests/fuzz/openapi.sh                      # the size the test command runs
#   MERITEST_FUZZ_EXAMPLES=400 bash tests/fuzz/openapi.sh   # a longer hunt
#
# Starts the debug build of meritest on a temporary SQLite file with the demo content, signs in
# admin, hr, proctor and candidates (tests/fuzz/prepare.py), and fuzzes each operation with the
# role meant to use it. Schemathesis (pinned with its dependencies in requirements.txt) is
# installed into a virtualenv under ~/.cache the first time. Environment: MERITEST_FUZZ_EXAMPLES (test cases per operation and phase),
# MERITEST_FUZZ_SEED (replay a run), MERITEST_FUZZ_WORKERS, MERITEST_BIN (the server binary),
# MERITEST_FUZZ_REPORT (schemathesis report formats, e.g. junit,har) with MERITEST_FUZZ_KEEP=1
# (keep the work folder: server log, reports), MERITEST_FUZZ_ARGS (more schemathesis options,
# e.g. "--include-path /api/v1/candidate/answers").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REQUIREMENTS=tests/fuzz/requirements.txt
VENV=${MERITEST_FUZZ_VENV:-$HOME/.cache/meritest-schemathesis-$(sha256sum "$REQUIREMENTS" | cut -c1-12)}
EXAMPLES=${MERITEST_FUZZ_EXAMPLES:-50}
# One worker: schemathesis is bound by Python's own CPU use, so a second thread gains nothing
# here, and Hypothesis under threads on Python 3.11 can fail inside ast.parse.
WORKERS=${MERITEST_FUZZ_WORKERS:-1}

die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "installing schemathesis ($REQUIREMENTS) into $VENV"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    if command -v apt-get >/dev/null; then
      sudo_=; [ "$(id -u)" = 0 ] || sudo_=sudo
      $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq python3-venv >/dev/null \
        || die "python3 with venv is needed for schemathesis"
    else
      die "python3 with venv is needed for schemathesis"
    fi
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" \
    || { rm -rf "$VENV"; die "could not install schemathesis from PyPI"; }
fi

BIN=${MERITEST_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --quiet --bin meritest
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/meritest"
fi

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -z "${MERITEST_FUZZ_KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
password=fuzz-demo-$RANDOM-$RANDOM
# The embedded stores, whatever the caller's environment points at. (`env` execs the server, so
# `$!` is the server's own pid.)
settings=(-u MERITEST__DATABASE__URL -u MERITEST__LIVE__REDIS_URL -u MERITEST__AUTH__SECRET
  MERITEST__DATA_DIR="$work/data" MERITEST__SERVER__PORT="$port" MERITEST__SERVER__WORKERS=2
  MERITEST__BOOTSTRAP__DEMO=true MERITEST__BOOTSTRAP__DEMO_PASSWORD="$password"
  MERITEST__LOG__LEVEL=warn MERITEST__LOG__FORMAT=json)
env "${settings[@]}" "$BIN" serve >"$work/server.log" 2>&1 &
server=$!
ready() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/ready" 2>/dev/null; }
for _ in $(seq 300); do
  ready && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; die "the server did not start"; }
  sleep 0.2
done
ready || die "the server is not ready at $base"

# The accounts operations are fuzzed by the administrator of an organisation of their own: a
# disabled account's tokens stop working, and the fuzzer learns ids from the replies it gets, so
# in the demo organisation it would disable the hr and proctor accounts it fuzzes with.
env "${settings[@]}" "$BIN" create-organisation --code fuzz-accounts --name "Fuzz accounts" \
  --admin-email admin@fuzz.meritest.id --admin-password "$password" >"$work/cli.log" 2>&1 \
  || { cat "$work/cli.log" >&2; die "creating the accounts organisation failed"; }
python3 tests/fuzz/prepare.py "$base" "$password" >"$work/fuzz.env" || die "preparing the demo content failed"
set -a; . "$work/fuzz.env"; set +a

# The config with the dictionaries of real ids appended.
cp tests/fuzz/schemathesis.toml "$work/schemathesis.toml"
python3 - "$work/fuzz.env" >>"$work/schemathesis.toml" <<'PY'
import json, shlex, sys
for line in open(sys.argv[1]):
    name, _, value = line.rstrip("\n").partition("=")
    if name.startswith("FUZZ_LIST_"):
        values = json.loads(shlex.split(value)[0])
        print(f"\n[dictionaries.{name[len('FUZZ_LIST_'):].lower()}]\nvalues = {json.dumps(values)}")
PY

seed_args=()
[ -n "${MERITEST_FUZZ_SEED:-}" ] && seed_args=(--seed "$MERITEST_FUZZ_SEED")
set +e
( cd "$work" && "$VENV/bin/schemathesis" --no-color --config-file "$work/schemathesis.toml" run \
    "$base/api/openapi.json" --url "$base" \
    --max-examples "$EXAMPLES" --workers "$WORKERS" "${seed_args[@]}" \
    --generation-database none --continue-on-failure \
    --report "${MERITEST_FUZZ_REPORT:-junit}" --report-dir "$work/report" ${MERITEST_FUZZ_ARGS:-} )
status=$?
set -e
if grep -q 'panicked' "$work/server.log"; then
  grep 'panicked' "$work/server.log" | head -20 >&2
  die "the server panicked during the fuzz run"
fi
[ "$status" = 0 ] || die "schemathesis found responses that do not match the OpenAPI document (see above)"
echo "the OpenAPI document matches every response"
