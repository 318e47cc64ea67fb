#!/bin/sh
# Output-folder safety of `claw build`, process by process. Every case
# snapshots the files that are not claw's to replace (the type, mode and
# hash of every entry, links by where they lead) before the build and
# compares after: a refused build, or one that fails or is interrupted,
# must leave every byte, and no staging folder, behind.
#
# Usage: output_safety.sh CLAW CASE
#   refusals    every folder `claw build` must refuse, and `-o ""`
#   builds      what must work: `out/`, a link as -o, `.` in an output, a rebuild
#   readonly    a folder claw may not write (as the user nobody when run as root)
#   fulldisk    a full disk (a small tmpfs in a user and mount namespace)
#   concurrent  two builds into one folder at once
#   interrupt   SIGTERM and SIGINT while a big build writes
#   stale       a build killed with SIGKILL, and the next build's sweep
# Exits 77 (skipped, with the reason printed) where the machine cannot
# make a case fail honestly.
set -eu

claw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case=$2
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
root=$(cd "$(dirname "$0")/../.." && pwd)
# $work holds claw's stdout and stderr; the case runs in $work/t.
work=${3:-}
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/claw-output.XXXXXX")
  trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
fi
mkdir -p "$work/t"
cd "$work/t"
as=""  # a command to run claw as another user

fail() {
  echo "FAIL ($case): $*" >&2
  exit 1
}
skip() {
  echo "SKIP ($case): $*"
  exit 77
}

# Every entry below DIR: its type, mode, path and link target; then every
# regular file's hash.
snapshot() {
  (cd "$1" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# A small program (its files written out here, so nothing of the
# repository is ever an output folder).
program() {
  mkdir -p "$1"
  cat >"$1/main.claw" <<EOF
cluster home { k3s = "v1.31.4+k3s1"; server = box }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }
service ${2:-web} { image = "nginx:1.27"; replicas = 2 }
EOF
}

# Runs claw, expecting exit code $1 and, on stderr, the text $2 (empty:
# nothing on stderr); the rest are claw's arguments.
expect() {
  want=$1
  text=$2
  shift 2
  set +e
  # shellcheck disable=SC2086 # $as is a command and its arguments
  $as "$claw" "$@" >"$work/.stdout" 2>"$work/.stderr"
  got=$?
  set -e
  [ "$got" -eq "$want" ] || fail "claw $* exited $got, not $want: $(cat "$work/.stderr")"
  if [ -z "$text" ]; then
    [ ! -s "$work/.stderr" ] || fail "claw $* wrote to stderr: $(cat "$work/.stderr")"
  else
    grep -qF -- "$text" "$work/.stderr" || fail "claw $* did not say \"$text\": $(cat "$work/.stderr")"
    grep -qF -- "[output-failed]" "$work/.stderr" || fail "claw $* did not report output-failed"
    sed 's/^/  claw said: /' "$work/.stderr"
    if grep -qE ': (No such|Permission denied|Read-only|Not a directory)' "$work/.stderr"; then
      fail "claw $* gave a raw errno text: $(cat "$work/.stderr")"
    fi
  fi
}

# One step of a bounded wait for something to happen (callers count $n
# to 6000: a minute at most).
poll() {
  n=$((n + 1))
  sleep 0.01
}

# No staging or old tree of any build is left in DIR.
no_staging() {
  leftover=$(find "$1" -maxdepth 1 -name '.*.claw-new-*' -o -maxdepth 1 -name '.*.claw-old-*')
  [ -z "$leftover" ] || fail "left behind: $leftover"
}

case $case in
refusals)
  program prog
  mkdir docs && echo 'my thesis' >docs/thesis.tex
  mkdir committed && echo '{"mine": true}' >committed/placement.json && program committed
  mkdir onlyjson && echo '{}' >onlyjson/placement.json
  "$claw" build prog -o out >/dev/null
  program out/inner
  mkdir earlier && "$claw" build prog -o earlier >/dev/null && echo 'notes' >earlier/notes.md
  ln -s docs doclink
  ln -s prog proglink
  ln -s nowhere dangling
  echo 'a file' >afile
  while IFS='|' read -r dir reason args; do
    before=$(snapshot .)
    # shellcheck disable=SC2086 # the arguments are words
    (cd "$dir" && expect 1 "$reason" build $args)
    [ "$(snapshot .)" = "$before" ] || fail "claw build $args in $dir changed files"
  done <<'EOF'
.|it holds `prog`, an input of this build|prog -o prog
.|cannot replace `prog`: it holds `prog`|prog -o prog/
.|it holds `prog/main.claw`, an input|prog -o prog/main.claw
.|it holds `prog`, an input of this build|prog -o proglink
.|such as `docs/thesis.tex`|prog -o docs
.|such as `docs/thesis.tex`|prog -o docs/
.|such as `doclink/thesis.tex`|prog -o doclink
.|it holds `committed`, an input of this build|committed -o committed
.|it has no `.claw-build`|prog -o committed
.|it has no `.claw-build`|prog -o onlyjson
.|it holds `out/inner`, an input of this build|out/inner -o out
.|it holds `earlier/notes.md`, which claw build did not write|prog -o earlier
.|a symbolic link that leads nowhere|prog -o dangling
.|it is not a folder|prog -o afile
.|cannot write the output folder `afile/out`: not a directory|prog -o afile/out
.|cannot use `/` as the output folder|prog -o /
prog|cannot replace `.`: it holds `.`|. -o .
prog|cannot replace `.`: it holds `.`|-o .
docs|cannot replace `.`: it holds files claw build did not write|../prog -o .
EOF
  before=$(snapshot .)
  # shellcheck disable=SC2016 # backticks in the message, not a command
  expect 1 '`-o` names no output folder (it is empty)' build prog -o ""
  [ "$(snapshot .)" = "$before" ] || fail "-o \"\" changed files"
  { [ -L doclink ] && [ -L proglink ] && [ -L dangling ]; } || fail "a link was replaced"
  ;;

builds)
  program prog
  mkdir user && echo 'mine' >user/keep.txt
  keep=$(snapshot user)
  expect 0 "" build prog -o out/
  { [ -f out/placement.json ] && [ -f out/.claw-build ]; } || fail "-o out/ wrote no tree at out"
  [ ! -e out/out ] || fail "-o out/ nested a folder"
  # A rebuild of the same program leaves the tree untouched, folder and all.
  inode=$(stat -c %i out out/placement.json)
  expect 0 "" build prog -o out
  [ "$(stat -c %i out out/placement.json)" = "$inode" ] || fail "an unchanged rebuild replaced the tree"
  # A changed program: the tree is replaced, and holds exactly the new files.
  program prog api
  expect 0 "" build prog -o out
  { [ -f out/manifests/default/api.yaml ] && [ ! -e out/manifests/default/web.yaml ]; } || fail "the tree was not replaced"
  # A link as -o: the folder it leads to is updated, the link stays.
  ln -s out link
  program prog web
  expect 0 "" build prog -o link
  [ -L link ] || fail "the link given as -o was replaced"
  { [ -f out/manifests/default/web.yaml ] && [ ! -e out/manifests/default/api.yaml ]; } || fail "the link's folder was not updated"
  # `-o .` inside an earlier output, the program elsewhere.
  (cd out && expect 0 "" build ../prog -o .)
  [ -f out/placement.json ] || fail "-o . lost the tree"
  [ "$(snapshot user)" = "$keep" ] || fail "a build changed a user folder beside it"
  no_staging .
  ;;

readonly)
  program prog
  "$claw" build prog -o ro/out >/dev/null
  chmod 755 "$work" "$work/t"
  chmod 555 ro
  as=""
  if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || skip "running as root without setpriv: permission bits cannot be made to bite"
    as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
  fi
  # The case is honest only if the folder really cannot be written.
  # shellcheck disable=SC2086
  if $as sh -c 'touch ro/probe' 2>/dev/null; then skip "ro/ is writable even so (a filesystem that ignores modes?)"; fi
  [ -r "$claw" ] || skip "claw is not readable by the user nobody"
  # shellcheck disable=SC2086
  $as "$claw" check prog >/dev/null 2>&1 || skip "the user nobody cannot run claw from where it is built"
  program prog api
  for target in ro/out ro/new; do
    before=$(snapshot .)
    expect 1 "permission denied" build prog -o "$target"
    [ "$(snapshot .)" = "$before" ] || fail "a refused build into $target changed files"
  done
  ;;

fulldisk)
  if [ -z "${3:-}" ]; then
    # Again, inside a user and mount namespace where a small tmpfs can be mounted.
    unshare -rm true 2>/dev/null || skip "no user namespaces here (unshare -rm): cannot make a full disk"
    exec unshare -rm sh "$self" "$claw" fulldisk "$work"
  fi
  mkdir disk
  mount -t tmpfs -o size=512k tmpfs disk 2>/dev/null || skip "cannot mount a tmpfs, even in a namespace"
  program prog
  expect 0 "" build prog -o disk/out
  # Fill what is left (all of it: the staging folder cannot be made; all
  # but 64 KiB: the disk fills mid-tree), then build a program with more
  # to write.
  python3 "$root/tests/bench/gen_program.py" --machines 20 --services 200 big >/dev/null
  for room in 0 65536; do
    dd if=/dev/zero of=disk/filler bs=4096 2>/dev/null || true
    truncate -s "-$room" disk/filler
    before=$(snapshot disk)
    expect 1 "no space left on device" build big -o disk/out
    [ "$(snapshot disk)" = "$before" ] || fail "a build that ran out of space changed files"
    no_staging disk
    rm disk/filler
  done
  expect 0 "" build prog -o disk/out
  umount disk
  ;;

concurrent)
  # Programs big enough that the two builds overlap.
  python3 "$root/tests/bench/gen_program.py" --machines 50 --services 500 a >/dev/null
  python3 "$root/tests/bench/gen_program.py" --machines 60 --services 600 b >/dev/null
  "$claw" build a -o ref-a >/dev/null
  "$claw" build b -o ref-b >/dev/null
  for round in 1 2 3; do
    "$claw" build a -o shared >a.out 2>a.err &
    pa=$!
    "$claw" build b -o shared >b.out 2>b.err &
    pb=$!
    wait "$pa" || fail "round $round: build a failed: $(cat a.err)"
    wait "$pb" || fail "round $round: build b failed: $(cat b.err)"
    { [ ! -s a.err ] && [ ! -s b.err ]; } || fail "round $round: $(cat a.err b.err)"
    # The folder is whole: exactly one build's tree.
    diff -r ref-a shared >/dev/null || diff -r ref-b shared >/dev/null || fail "round $round: a mixed tree"
    no_staging .
  done
  # The same, made to overlap for certain: a is stopped mid-write (its
  # staging folder there), b started; b must wait for a (it is a waiter on
  # a lock in /proc/locks, or has ended), then a goes on. b started last,
  # so b's tree is the one left; without serialising, b would finish first
  # (a tree it finds unchanged) and a's would be left.
  rm -rf shared && "$claw" build b -o shared >/dev/null
  "$claw" build a -o shared >a.out 2>a.err &
  pa=$!
  n=0
  while [ ! -d ".shared.claw-new-$pa" ] && kill -0 "$pa" 2>/dev/null && [ $n -lt 6000 ]; do poll; done
  kill -STOP "$pa"
  [ -d ".shared.claw-new-$pa" ] || { kill -CONT "$pa"; skip "build a ended before it could be stopped mid-write"; }
  "$claw" build b -o shared >b.out 2>b.err &
  pb=$!
  n=0
  while kill -0 "$pb" 2>/dev/null && ! grep -q -- "-> FLOCK .* $pb " /proc/locks && [ $n -lt 6000 ]; do poll; done
  kill -CONT "$pa"
  wait "$pa" || fail "build a failed: $(cat a.err)"
  wait "$pb" || fail "build b failed: $(cat b.err)"
  { [ ! -s a.err ] && [ ! -s b.err ]; } || fail "$(cat a.err b.err)"
  diff -r ref-b shared >/dev/null || fail "the build started last did not leave its tree: the builds were not serialised"
  no_staging .
  ;;

interrupt | stale)
  python3 "$root/tests/bench/gen_program.py" --machines 200 --services 2000 big >/dev/null
  program prog
  [ "$case" = interrupt ] && signals="TERM INT" || signals="KILL"
  for sig in $signals; do
    caught=""
    for _ in 1 2 3 4 5; do
      rm -rf out && "$claw" build prog -o out >/dev/null
      before=$(snapshot .)
      # A shell starts background jobs with SIGINT ignored: give it back.
      env --default-signal=INT,TERM "$claw" build big -o out >/dev/null 2>&1 &
      pid=$!
      staging=".out.claw-new-$pid"
      # Wait for the staging folder and its mark (bounded: the build
      # writes the mark right after making the folder, and a folder
      # without one is rightly never swept), stop the build, and look: a
      # staging folder still there means it is mid-write.
      n=0
      while [ ! -f "$staging/.claw-build" ] && kill -0 "$pid" 2>/dev/null && [ $n -lt 6000 ]; do poll; done
      kill -STOP "$pid" 2>/dev/null || true
      n=0
      while [ -e "/proc/$pid/stat" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != T ] && [ $n -lt 6000 ]; do
        poll
      done
      if [ -d "$staging" ] && [ -e "/proc/$pid" ]; then
        kill -"$sig" "$pid"
        kill -CONT "$pid" 2>/dev/null || true
        set +e
        wait "$pid"
        status=$?
        set -e
        caught=yes
        break
      fi
      kill -CONT "$pid" 2>/dev/null || true
      wait "$pid" || true
    done
    [ -n "$caught" ] || fail "could not catch the build mid-write in 5 attempts"
    case $sig in TERM) number=15 ;; INT) number=2 ;; *) number=9 ;; esac
    expected=$((128 + number))
    [ "$status" -eq "$expected" ] || fail "SIG$sig: exit status $status, not $expected"
    if [ "$case" = interrupt ]; then
      no_staging .
      [ "$(snapshot .)" = "$before" ] || fail "SIG$sig changed files (the old output must stay whole)"
    else
      [ -d "$staging" ] || fail "SIGKILL left no staging folder: the case proves nothing"
      # Decoys the sweep must leave: a live pid's, an unmarked one, a user's.
      mkdir ".out.claw-new-$$" ".out.claw-new-4194311" ".out.claw-new-notes"
      echo mine >".out.claw-new-$$/.claw-build"
      echo mine >".out.claw-new-notes/.claw-build"
      decoys=$(snapshot .out.claw-new-$$; snapshot .out.claw-new-4194311; snapshot .out.claw-new-notes)
      program prog api
      expect 0 "" build prog -o out
      [ ! -e "$staging" ] || fail "the next build did not sweep $staging"
      [ "$(snapshot .out.claw-new-$$; snapshot .out.claw-new-4194311; snapshot .out.claw-new-notes)" = "$decoys" ] ||
        fail "the sweep touched a folder that is not provably a dead build's"
      rm -rf ".out.claw-new-$$" ".out.claw-new-4194311" ".out.claw-new-notes"
    fi
  done
  ;;

*)
  fail "no such case"
  ;;
esac
echo "ok ($case)"
