#!/bin/sh
# claw.lock end to end, on a copy of infra/: a rebuild leaves the lock's
# bytes (and the file) alone, and adding a service adds its own entry to the
# lock and changes no other line.
#
# Usage: lock_e2e.sh CLAW SRC   (SRC: the infra/ folder)
set -eu

claw=$1
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/claw-lock.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "lock_e2e: $*" >&2; exit 1; }

cp -R "$src" "$work/infra"
rm -f "$work/infra/claw.lock"
cd "$work"

"$claw" build infra -o out >/dev/null 2>build.err || fail "first build failed: $(cat build.err)"
[ -f infra/claw.lock ] || fail "the build wrote no infra/claw.lock"
cp infra/claw.lock first.lock
inode=$(stat -c %i infra/claw.lock)

"$claw" build infra -o out >/dev/null 2>build.err || fail "second build failed: $(cat build.err)"
cmp -s first.lock infra/claw.lock || fail "a rebuild changed claw.lock: $(diff first.lock infra/claw.lock)"
[ "$(stat -c %i infra/claw.lock)" = "$inode" ] || fail "a rebuild rewrote an unchanged claw.lock"

# Big enough to take most of what `studio` gives: placed from scratch, the
# services that run there would move elsewhere.
cat >infra/services/aaa.claw <<'CLAW'
service aaa {
  image = "nginx"
  arch = [arm64]
  avoid = [panda]
  needs { cpu = 7; memory = 50GiB }
}
CLAW
"$claw" build infra -o out >build.out 2>build.err || fail "build with a new service failed: $(cat build.err)"
if grep -q '^moved:' build.out; then fail "adding a service moved others: $(cat build.out)"; fi
diff first.lock infra/claw.lock >lock.diff || true
removed=$(grep -c '^<' lock.diff || true)
added=$(grep '^>' lock.diff || true)
expected='>     "joelclaw/aaa": [
>       {"machine": "studio", "replica": 0}
>     ],'
[ "$removed" = 0 ] || fail "adding a service changed other lines of claw.lock: $(cat lock.diff)"
[ "$added" = "$expected" ] || fail "the lock diff is not just the new service: $(cat lock.diff)"

# The same program placed from scratch does move something: the case is real.
cp infra/claw.lock second.lock
"$claw" build infra -o fresh --no-lock >fresh.out 2>/dev/null || fail "--no-lock build failed"
cmp -s infra/claw.lock second.lock || fail "--no-lock wrote claw.lock"
grep -v '^wrote\|^already' build.out >kept.table
grep -v '^wrote\|^already' fresh.out >fresh.table
if cmp -s kept.table fresh.table; then fail "a fresh placement equals the kept one: the case tests nothing"; fi
echo "lock_e2e: ok"
