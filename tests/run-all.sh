#!/usr/bin/env bash
# Runs every test of meritest: formatting, lints, unit tests, the API suite on SQLite + the
# in-process live store AND on PostgreSQL + Redis, the browser tests in headless Chromium, and
# schemathesis over the OpenAPI document (tests/fuzz/openapi.sh).
# Installs and starts what is missing (Redis, PostgreSQL, Chromium, npm packages, schemathesis)
# when it can.
#
#   bash tests/run-all.sh
#
# Environment: MERITEST_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) and
# MERITEST_TEST_REDIS_URL (default redis://127.0.0.1:6379) point at the real stores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PG_URL=${MERITEST_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${MERITEST_TEST_REDIS_URL:-redis://127.0.0.1:6379}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export RUST_BACKTRACE=${RUST_BACKTRACE:-1}

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq || return 1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  if redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG; then return; fi
  if ! command -v redis-server >/dev/null; then
    step "installing Redis"; apt_install redis-server redis-tools || die "Redis is not running and could not be installed"
  fi
  step "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG && return; sleep 0.2; done
  die "Redis did not start at $REDIS_URL"
}

ensure_postgres() {
  if pg_isready -q -d "$PG_URL/postgres" 2>/dev/null; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    step "installing PostgreSQL"; apt_install postgresql postgresql-client || die "PostgreSQL is not running and could not be installed"
  fi
  step "starting PostgreSQL"
  local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
  # Trust local TCP connections for the test user (a throwaway machine or CI).
  local hba=/etc/postgresql/$ver/main/pg_hba.conf
  grep -q 'meritest-tests' "$hba" 2>/dev/null || as_root sh -c "sed -i '1i host all all 127.0.0.1/32 trust # meritest-tests' $hba" || true
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || as_root pg_ctlcluster "$ver" main start || true
  for _ in $(seq 50); do pg_isready -q -d "$PG_URL/postgres" 2>/dev/null && return; sleep 0.2; done
  die "PostgreSQL did not start at $PG_URL"
}

ensure_chromium() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then return; fi
  step "installing Chromium (Debian package)"; apt_install chromium || die "Chromium is missing and could not be installed"
}

# The report tests read generated PDFs' text and render a page to PNG with poppler's tools.
ensure_poppler() {
  if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then return; fi
  step "installing poppler-utils (pdftotext, pdftoppm)"; apt_install poppler-utils || die "pdftotext/pdftoppm are missing and could not be installed"
}

ensure_node() {
  if ! command -v npm >/dev/null; then
    step "installing Node.js"; apt_install nodejs npm || die "Node.js/npm are missing and could not be installed"
  fi
  # playwright-core needs Node 20 or newer.
  local major; major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$major" -ge 20 ] || die "the browser tests need Node.js 20 or newer; this machine has $(node --version 2>/dev/null || echo none)"
}

ensure_poppler

step "formatting"
cargo fmt --all -- --check || die "cargo fmt --all found unformatted code"

step "lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings || die "clippy found warnings"

step "building"
cargo build --workspace --all-targets --quiet

if command -v cargo-nextest >/dev/null; then
  run_tests() { cargo nextest run --workspace --no-fail-fast --failure-output final --status-level fail "$@"; }
else
  run_tests() { cargo test --workspace --no-fail-fast "$@"; }
fi

log=$(mktemp)
step "tests on SQLite + in-process live store"
set +e
( unset MERITEST_TEST_POSTGRES_URL MERITEST_TEST_REDIS_URL MERITEST_TEST_REQUIRE_REAL; run_tests ) 2>&1 | tee "$log"
embedded_status=${PIPESTATUS[0]}
set -e

ensure_redis
ensure_postgres
step "dropping databases left by earlier runs"
psql -q -d "$PG_URL/postgres" -At -c "select datname from pg_database where datname like 'meritest_t_%'" \
  | while read -r db; do psql -q -d "$PG_URL/postgres" -c "drop database if exists \"$db\"" >/dev/null || true; done
redis-cli -u "$REDIS_URL" --scan --pattern 'meritest-test:*' | xargs -r -n 500 redis-cli -u "$REDIS_URL" del >/dev/null || true

step "API tests on PostgreSQL + Redis"
real_log=$(mktemp)
set +e
MERITEST_TEST_POSTGRES_URL=$PG_URL MERITEST_TEST_REDIS_URL=$REDIS_URL MERITEST_TEST_REQUIRE_REAL=1 \
  run_tests --test api 2>&1 | tee "$real_log"
real_status=${PIPESTATUS[0]}
set -e
# The real-store pass must have run tests (with MERITEST_TEST_REQUIRE_REAL a test that cannot reach
# PostgreSQL or Redis fails instead of falling back).
grep -Eq '(Summary.* [1-9][0-9]* tests? run|test result: ok\. [1-9][0-9]* passed)' "$real_log" \
  || die "the PostgreSQL + Redis pass ran no test"

ensure_chromium
ensure_node
step "browser tests in headless Chromium"
cargo build --quiet --bin meritest
( cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi )
set +e
MERITEST_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/meritest" node --test tests/browser/ 2>&1 | tee "$log.browser"
browser_status=${PIPESTATUS[0]}
set -e

step "the OpenAPI document against the server (schemathesis)"
set +e
MERITEST_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/meritest" bash tests/fuzz/openapi.sh
fuzz_status=$?
set -e
echo
printf 'embedded pass: exit %s; PostgreSQL + Redis pass: exit %s; browser: exit %s; OpenAPI fuzz: exit %s\n' \
  "$embedded_status" "$real_status" "$browser_status" "$fuzz_status"
if [ "$embedded_status" != 0 ] || [ "$real_status" != 0 ] || [ "$browser_status" != 0 ] || [ "$fuzz_status" != 0 ]; then
  die "some tests failed (see above)"
fi
echo "all tests passed"
