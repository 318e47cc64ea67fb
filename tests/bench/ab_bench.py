#!/usr/bin/env python3
"""Two claw binaries on the check and build benchmarks' programs, run by turns.

Usage: ab_bench.py OLD NEW [--rounds N] [--check M:S ...] [--build N ...]

For a claim like "this change costs no more than 5%": on a shared 2-core
machine the speed drifts by 10-30% over minutes, so timing one binary after
the other (as check_bench.sh and build_bench.sh do, one binary per run)
compares the machine as much as the code. Here every round runs OLD, then
NEW, on the same program, and the figures are the medians of each and the
median of the per-round ratios NEW / OLD, with its interquartile range.

Programs: `claw check` of gen_program.py's program of M machines and S
services, and `claw build` of gen_build_inputs.py's N services, rebuilding
into a folder on the temporary file system (the first run of each binary
makes it) and into an emptied folder. Start-up and exit are included, as a
user waits for them. Prints a markdown table; fails only if a run fails.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, cwd):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"ab_bench: `{' '.join(cmd)}` in {cwd} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return took


def quartiles(values):
    s = sorted(values)
    return s[len(s) // 4], s[(3 * len(s)) // 4]


def compare(label, runs, rounds, warmup=2):
    """runs: {"old": fn, "new": fn}, each returning seconds."""
    for _ in range(warmup):
        runs["old"]()
        runs["new"]()
    old, new = [], []
    for _ in range(rounds):
        old.append(runs["old"]())
        new.append(runs["new"]())
    ratios = [n / o for o, n in zip(old, new)]
    lo, hi = quartiles(ratios)
    return (f"| {label} | {statistics.median(old) * 1e3:.1f} | {statistics.median(new) * 1e3:.1f} | "
            f"{statistics.median(ratios):.3f} | {lo:.3f}-{hi:.3f} | {rounds} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--check", nargs="*", default=["100:1000", "1000:10000"], metavar="M:S")
    ap.add_argument("--build", nargs="*", type=int, default=[1000, 10000], metavar="N")
    args = ap.parse_args()
    bins = {"old": os.path.abspath(args.old), "new": os.path.abspath(args.new)}
    for b in bins.values():
        if not os.access(b, os.X_OK):
            sys.exit(f"ab_bench: {b} is not an executable")

    work = tempfile.mkdtemp(prefix="claw-ab-")
    try:
        rows = []
        for size in args.check:
            machines, services = size.split(":")
            prog = os.path.join(work, f"check-{machines}-{services}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_program.py"), "--machines", machines,
                            "--services", services, prog], check=True, stdout=subprocess.DEVNULL)
            runs = {k: (lambda b=b: timed([b, "check", "."], prog)) for k, b in bins.items()}
            rows.append(compare(f"check, {int(machines):,} machines / {int(services):,} services", runs, args.rounds))
            print(rows[-1], file=sys.stderr)
        for n in args.build:
            inputs = os.path.join(work, f"build-{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_build_inputs.py"), "--services", str(n), inputs],
                           check=True, stdout=subprocess.DEVNULL)
            prog = os.path.join(inputs, "claw")

            def rebuild(k):
                return timed([bins[k], "build", "--out", os.path.join(work, f"out-{k}-{n}"), "."], prog)

            def fresh(k):
                out = os.path.join(work, f"fresh-{k}-{n}")
                shutil.rmtree(out, ignore_errors=True)
                return timed([bins[k], "build", "--out", out, "."], prog)

            for label, fn in (("rebuilding", rebuild), ("into an empty folder", fresh)):
                runs = {k: (lambda k=k, fn=fn: fn(k)) for k in bins}
                rows.append(compare(f"build, {n:,} services, {label}", runs, args.rounds))
                print(rows[-1], file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"OLD = {args.old}, NEW = {args.new}; {args.rounds} rounds of OLD then NEW; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end\n")
    print("| program | OLD median ms | NEW median ms | NEW / OLD (median of rounds) | interquartile | rounds |")
    print("|---|--:|--:|--:|--:|--:|")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
