#!/usr/bin/env bash
# Fails if any C++ source differs from what clang-format makes of it (.clang-format at the root).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find core io tools tests bench -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run -Werror $files
echo "clang-format: $(echo "$files" | wc -w) files formatted"
