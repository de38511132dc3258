#!/usr/bin/env bash
# Fails if an include points up the layers: core/ includes nothing from io/ or study/, io/ nothing
# from study/, and within core/ the base, model, policy and world folders include nothing from the
# behaviours or the engine (README.md, Developing).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() { # check FOLDERS... -- FORBIDDEN-PREFIXES...
  local folders=() forbidden=()
  while [ "$1" != "--" ]; do folders+=("$1"); shift; done
  shift
  forbidden=("$@")
  local f p
  for p in "${forbidden[@]}"; do
    if f=$(grep -rn "#include \"$p" "${folders[@]}" --include='*.hpp' --include='*.cpp'); then
      echo "includes pointing up the layers (to $p):"
      echo "$f"
      status=1
    fi
  done
}
check core -- io/ study/
check io -- study/
check core/base core/model core/policy core/world -- core/behaviours/ core/engine/
[ $status -eq 0 ] && echo "layers: no include points up"
exit $status
