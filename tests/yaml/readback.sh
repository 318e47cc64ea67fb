#!/bin/sh
# The YAML read-back test: writes the hostile-scalar corpus through claw's
# emitters (claw_yaml_corpus) and reads every file back with one reader,
# which must return exactly the documents, kinds and strings written.
#
#   tests/yaml/readback.sh CORPUS_WRITER WORK_DIR pyyaml|jsyaml
set -eu
here=$(cd "$(dirname "$0")" && pwd)
writer=$1
work=$2
reader=$3
rm -rf "$work"
mkdir -p "$work"
"$writer" "$work"
case "$reader" in
  pyyaml) exec python3 "$here/check_pyyaml.py" "$work" ;;
  jsyaml)
    if [ ! -d "$here/node_modules/js-yaml" ]; then
      echo "tests/yaml/node_modules is missing: run npm ci --prefix tests/yaml" >&2
      exit 1
    fi
    exec node "$here/check_jsyaml.mjs" "$work" ;;
  *)
    echo "readback.sh: unknown reader $reader (pyyaml or jsyaml)" >&2
    exit 2 ;;
esac
