#!/usr/bin/env bash
# Benchmark of `claw check` on generated programs (a benchmark that prints its
# figures, not a timed test: it fails only if `claw check` rejects the program).
#
# Usage: tests/bench/check_bench.sh
# Env (all optional):
#   CLAW=build/claw        the claw binary (relative paths are taken from the repo root)
#   SIZES="100:1000 1000:10000 10000:100000"   MACHINES:SERVICES per program
#   RUNS=5 WARMUP=1        hyperfine runs / warm-up runs
#   LARGE_N=100000         programs with at least this many services get
#   RUNS_LARGE=3 WARMUP_LARGE=0    fewer runs (the probe runs already warmed the cache)
#   KEEP=0                 1: keep the generated programs and raw results
#   RESULTS=               copy raw results (hyperfine JSON, time -v, timings) here
#
# Builds nothing: build claw first (`ninja -C build`). Needs python3, hyperfine
# and GNU time (Debian: `apt-get install hyperfine time`).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLAW=${CLAW:-build/claw}
case $CLAW in
  /*) ;;
  *) CLAW=$ROOT/$CLAW ;;
esac
SIZES=${SIZES:-"100:1000 1000:10000 10000:100000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
LARGE_N=${LARGE_N:-100000}
RUNS_LARGE=${RUNS_LARGE:-3}
WARMUP_LARGE=${WARMUP_LARGE:-0}
KEEP=${KEEP:-0}
RESULTS=${RESULTS:-}
GNU_TIME=/usr/bin/time

die() { echo "check_bench: $*" >&2; exit 2; }

# ---------------------------------------------------------------- prerequisites
missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian package: python3)")
command -v hyperfine >/dev/null 2>&1 || missing+=("hyperfine (Debian package: hyperfine)")
if [ ! -x "$GNU_TIME" ] || ! "$GNU_TIME" -v -o /dev/null "$BASH" -c : >/dev/null 2>&1; then
  missing+=("GNU time at $GNU_TIME (Debian package: time)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "check_bench: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "install them with: apt-get install -y hyperfine time python3" >&2
  exit 2
fi
[ -x "$CLAW" ] || die "no claw binary at $CLAW (build it with 'ninja -C build', or set CLAW=/path/to/claw)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/claw-check-bench.XXXXXX")
cleanup() {
  if [ "$KEEP" = 1 ]; then
    echo "check_bench: kept programs and raw results in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

ROWS=$WORK/rows.tsv
: >"$ROWS"

# ---------------------------------------------------------------- per size
for size in $SIZES; do
  m=${size%%:*}
  n=${size##*:}
  [[ $m =~ ^[0-9]+$ && $n =~ ^[0-9]+$ ]] || die "bad size '$size' in SIZES (want MACHINES:SERVICES)"
  tag="m${m}-n${n}"
  dir=$WORK/$tag
  raw=$WORK/raw-$tag
  mkdir -p "$raw"

  echo ">> [$tag] generating $m machines, $n services" >&2
  python3 "$HERE/gen_program.py" --machines "$m" --services "$n" "$dir"
  files=$(find "$dir" -type f -name '*.claw' | wc -l)
  bytes=$(find "$dir" -type f -name '*.claw' -exec cat {} + | wc -c)
  lines=$(find "$dir" -type f -name '*.claw' -exec cat {} + | wc -l)

  # 1. probe: one run under GNU time for peak RSS (also warms the page cache).
  echo ">> [$tag] probe: claw check under $GNU_TIME -v" >&2
  rc=0
  "$GNU_TIME" -v -o "$raw/time.txt" "$CLAW" check "$dir" >"$raw/probe.stdout" 2>"$raw/probe.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "check_bench: 'claw check' failed (exit $rc) on the generated program $dir" >&2
    head -n 40 "$raw/probe.stderr" >&2
    KEEP=1
    exit 1
  fi
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$raw/time.txt")

  # 2. the compiler's own phase timings.
  rc=0
  "$CLAW" check --timings "$dir" >"$raw/timings.stdout" 2>"$raw/timings.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "check_bench: 'claw check --timings' failed (exit $rc) on $dir" >&2
    head -n 40 "$raw/timings.stderr" >&2
    KEEP=1
    exit 1
  fi
  timings=$(grep -m1 '^timings:' "$raw/timings.stderr" || true)
  [ -n "$timings" ] || echo "check_bench: warning: no 'timings:' line from 'claw check --timings'" >&2

  # 3. wall time.
  runs=$RUNS warmup=$WARMUP
  if [ "$n" -ge "$LARGE_N" ]; then runs=$RUNS_LARGE warmup=$WARMUP_LARGE; fi
  echo ">> [$tag] hyperfine --warmup $warmup --runs $runs" >&2
  cmd="$(printf '%q' "$CLAW") check $(printf '%q' "$dir")"
  hyperfine --shell=none --style basic --warmup "$warmup" --runs "$runs" \
    --export-json "$raw/hyperfine.json" "$cmd" >&2

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$m" "$n" "$files" "$bytes" "$lines" "$rss_kb" "$raw/hyperfine.json" "$runs" "$timings" >>"$ROWS"

  if [ -n "$RESULTS" ]; then
    mkdir -p "$RESULTS/$tag"
    cp "$raw"/* "$RESULTS/$tag/"
  fi
  [ "$KEEP" = 1 ] || rm -rf "$dir"
done

# ---------------------------------------------------------------- report
python3 - "$ROWS" "$(nproc 2>/dev/null || echo '?')" <<'EOF'
import json, math, sys

rows = []
for line in open(sys.argv[1]):
    m, n, files, nbytes, lines, rss_kb, hf, runs, timings = line.rstrip("\n").split("\t")
    r = json.load(open(hf))["results"][0]
    t = {}
    if timings.startswith("timings:"):
        for kv in timings.split()[1:]:
            k, _, v = kv.partition("=")
            t[k] = float(v)
    rows.append(dict(m=int(m), n=int(n), files=int(files), bytes=int(nbytes), lines=int(lines),
                     rss=int(rss_kb) / 1024, med=r["median"], lo=r["min"], hi=r["max"],
                     runs=int(runs), t=t))

print()
print("## claw check (%s CPUs)" % sys.argv[2])
print()
print("| machines / services | files | MB | lines | median s | min-max s | runs | peak RSS MiB | MB/s | lines/s |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for r in rows:
    mb = r["bytes"] / 1e6
    print("| %d / %d | %d | %.1f | %d | %.3f | %.3f-%.3f | %d | %.0f | %.1f | %.0f |" % (
        r["m"], r["n"], r["files"], mb, r["lines"], r["med"], r["lo"], r["hi"], r["runs"],
        r["rss"], mb / r["med"], r["lines"] / r["med"]))

print()
print("Phases from `claw check --timings` (one run). lex/parse/build are CPU time summed over the")
print("worker threads; load (reading + lex/parse/build, if reported), check and total are wall time.")
print("Shares are of lex+parse+build+check, not of the wall time.")
print()
print("| machines / services | threads | tokens | lex ms | parse ms | build ms | load ms | check ms | total ms | lex | parse | build | check |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for r in rows:
    t = r["t"]
    if not t:
        print("| %d / %d | n/a ||||||||||||" % (r["m"], r["n"]))
        continue
    ph = [t.get(k, 0.0) for k in ("lex_ms", "parse_ms", "build_ms", "check_ms")]
    s = sum(ph) or 1.0
    load = "%.1f" % t["load_ms"] if "load_ms" in t else "-"
    print("| %d / %d | %d | %d | %.1f | %.1f | %.1f | %s | %.1f | %.1f | %s |" % (
        r["m"], r["n"], t.get("threads", 0), t.get("tokens", 0), ph[0], ph[1], ph[2], load, ph[3],
        t.get("total_ms", 0.0), " | ".join("%.0f%%" % (100 * p / s) for p in ph)))

print()
print("Growth (time ratio vs input-size ratio between consecutive sizes; exponent k in time ~ size^k):")
for a, b in zip(rows, rows[1:]):
    sr = b["bytes"] / a["bytes"]
    tr = b["med"] / a["med"]
    mr = b["rss"] / a["rss"]
    k = math.log(tr) / math.log(sr) if sr > 1 and tr > 0 else float("nan")
    verdict = "linear or better" if k <= 1.1 else ("roughly linear" if k <= 1.25 else "SUPER-LINEAR")
    print("  %d/%d -> %d/%d: size x%.1f, time x%.1f, RSS x%.1f, k=%.2f: %s" % (
        a["m"], a["n"], b["m"], b["n"], sr, tr, mr, k, verdict))

print()
for r in rows:
    if (r["m"], r["n"]) == (1000, 10000):
        ok_t, ok_m = r["med"] < 0.3, r["rss"] * 1024 * 1024 < 200e6
        print("Target (1,000 machines + 10,000 services, 2 cores): median < 0.3 s: %s (%.3f s); "
              "peak RSS < 200 MB: %s (%.0f MB = %.0f MiB)"
              % ("met" if ok_t else "MISSED", r["med"], "met" if ok_m else "MISSED",
                 r["rss"] * 1024 * 1024 / 1e6, r["rss"]))
EOF
