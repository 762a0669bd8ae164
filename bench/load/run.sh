#!/usr/bin/env bash
# Load test of the read API and the reading room (bench/load/locustfile.py): gunicorn on
# 127.0.0.1 only, Locust headless, bounded in time and requests; primary only, then primary +
# replica. Not part of CI: it needs a large register and minutes.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME  (holding `generate_archive`'s register)
#   LOCUST=/path/to/locust  (pip install locust==2.47.0, best in a venv of its own)
#   bench/load/run.sh [primary|replica|both|probe]   [USERS="2 4 8" RUN_TIME=60s MAX_REQUESTS=20000]
# `probe` times each request kind alone (bench/load/probe.py, COUNT=30 each) on the primary.
# The replica is DATABASE_REPLICA_URLS, by default the same database on port 5433 (.ci/replica).
set -euo pipefail
cd "$(dirname "$0")/../.."
modes="${1:-both}"
[ "$modes" = both ] && modes="primary replica"
port="${PORT:-8017}"
out="${OUT:-/tmp/register-load}"
mkdir -p "$out"
: "${DATABASE_URL:?set DATABASE_URL to the database holding the synthetic register}"
export DEBUG=0 SECRET_KEY=load-test ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 \
    SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 LOG_LEVEL=WARNING \
    MAX_REQUESTS="${MAX_REQUESTS:-20000}" DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-600}"
sql() { psql "$DATABASE_URL" -Atqc "$1"; }

# The readers' conclusions: every other synthetic meeting is marked public (idempotent).
# Fresh statistics after: with none, PostgreSQL takes "public" for rare and reads each
# public meeting's directives one meeting at a time (seconds per search instead of 0.2 s).
sql "UPDATE resolutions_meeting SET is_public = (id % 2 = 0)
     WHERE source_name <> '' AND is_public <> (id % 2 = 0)" >/dev/null
sql "ANALYZE resolutions_meeting" >/dev/null
sql "SELECT id FROM resolutions_meeting WHERE is_public ORDER BY random() LIMIT 5000" \
    >"$out/meetings.txt"
sql "SELECT id FROM resolutions_directive TABLESAMPLE SYSTEM (1) LIMIT 5000" >"$out/directives.txt"
export PUBLIC_MEETING_IDS="$out/meetings.txt" DIRECTIVE_IDS="$out/directives.txt"
# A token for the city's committee (every committee of the register is under it).
API_KEY="$(.venv/bin/python manage.py issue_api_token \
    "Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh" --name "Tải thử" --rate 100000000)"
export API_KEY

serve() {  # gunicorn for one mode, on 127.0.0.1 only
    if [ "$1" = replica ]; then
        export DATABASE_REPLICA_URLS="${DATABASE_REPLICA_URLS:-${DATABASE_URL/:5432\//:5433/}}"
    else
        unset DATABASE_REPLICA_URLS
    fi
    .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "${WORKERS:-3}" \
        --access-logfile /dev/null --error-logfile "$out/gunicorn-$1.log" &
    server=$!
    for _ in $(seq 30); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
}

cpu_sample() {  # pid kind cpu-seconds of this database's PostgreSQL backends and of gunicorn
    python3 - "${DATABASE_URL##*/}" <<'PY'
import glob, os, sys
tick, db = os.sysconf("SC_CLK_TCK"), sys.argv[1]
for folder in glob.glob("/proc/[0-9]*"):
    try:
        cmd = open(f"{folder}/cmdline", "rb").read().replace(b"\0", b" ").decode()
        fields = open(f"{folder}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    if f" {db} " in f"{cmd} " and cmd.startswith("postgres:"):
        print(folder[6:], "pg", used)
    elif "gunicorn" in cmd and "config.wsgi" in cmd:
        print(folder[6:], "py", used)
PY
}

stop() {
    kill "$server"
    wait "$server" 2>/dev/null || true
}

for mode in $modes; do
    if [ "$mode" = probe ]; then  # each request kind alone, one at a time, on the primary
        serve primary
        python3 bench/load/probe.py "http://127.0.0.1:$port" "${COUNT:-30}"
        stop
        continue
    fi
    serve "$mode"
    run_time="${RUN_TIME:-60s}"
    seconds="${run_time%s}"
    for users in ${USERS:-16}; do  # USERS="2 4 8": one run per count
        "${LOCUST:-locust}" -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$port" \
            -u "$users" -r "${SPAWN_RATE:-4}" --run-time "$run_time" --stop-timeout 5 \
            --csv "$out/$mode-$users" --only-summary >"$out/locust-$mode-$users.log" 2>&1 &
        locust=$!
        # The CPU the register used while the load was steady (from 5 s in to 5 s before the
        # end): what a request costs the machine, apart from waiting for a core.
        sleep 5
        cpu_sample >"$out/cpu-before"
        sleep $((seconds - 10))
        cpu_sample >"$out/cpu-after"
        wait "$locust" || true
        echo "== $mode, $users users ($(wc -l <"$out/directives.txt") directive ids; load: $(cut -d' ' -f1-3 /proc/loadavg))"
        python3 - "$out/$mode-${users}_stats.csv" "$out/cpu-before" "$out/cpu-after" \
            $((seconds - 10)) <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'request':<22}{'count':>8}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}")
for r in rows:
    print(f"{r['Name']:<22}{r['Request Count']:>8}{r['Failure Count']:>8}"
          f"{float(r['Requests/s']):>8.1f}{r['50%']:>8}{r['95%']:>8}")
def sample(path):
    return {pid: (kind, float(used)) for pid, kind, used in (line.split() for line in open(path))}
before, after = sample(sys.argv[2]), sample(sys.argv[3])
# Per process: what it used since the first sample (all of it if it started since).
used = {"pg": 0.0, "py": 0.0}
for pid, (kind, total) in after.items():
    used[kind] += total - before.get(pid, (kind, 0.0))[1]
rate, span = float(rows[-1]["Requests/s"]), float(sys.argv[4])
if rate:
    pg, py = (used["pg"] / (rate * span) * 1000, used["py"] / (rate * span) * 1000)
    print(f"CPU per request: PostgreSQL {pg:.0f} ms + gunicorn {py:.0f} ms = {pg + py:.0f} ms"
          f" ({(used['pg'] + used['py']) / span:.2f} cores in use)")
PY
    done
    stop
done
