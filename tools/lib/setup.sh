# Shared set-up for tools/bridges and tools/test: installs the Debian packages Bridges needs when
# any is missing, then configures and builds a CMake preset (ninja rebuilds only what changed).
# Build output goes to stderr so that stdout carries only the program's data.

BRIDGES_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

BRIDGES_PACKAGES=(
  build-essential cmake ninja-build git pkg-config
  libboost-graph-dev libeigen3-dev libtbb-dev libhdf5-dev libyaml-cpp-dev libcli11-dev
  librandom123-dev libssl-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libopenmpi-dev openmpi-bin
  hdf5-tools netcdf-bin clang-format
  python3 python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-matplotlib
  python3-pandas python3-pytest python3-scipy python3-openpyxl
)

bridges_install_packages() {
  local missing=()
  local p
  for p in "${BRIDGES_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bridges: installing missing Debian packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "bridges: these packages are missing and I am not root (no sudo): ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# bridges_build PRESET [TARGET...]: configure once, then build (no-op when nothing changed).
bridges_build() {
  local preset=$1
  shift
  local dir="$BRIDGES_ROOT/build/$preset"
  if [ ! -f "$dir/build.ninja" ]; then
    (cd "$BRIDGES_ROOT" && cmake --preset "$preset") >&2
  fi
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  if ninja -C "$dir" -n "$@" 2>/dev/null | grep -q "no work to do"; then
    return 0
  fi
  echo "bridges: building build/$preset ${*:-(all targets)}" >&2
  cmake --build "$dir" "${targets[@]}" >&2
}

# bridges_world_data: makes data/world (what scenarios/world/ read) with tools/import-world-data
# when any of its tables is missing or older than the importer, and the publishers' files are at
# hand: in BRIDGES_WORLD_SOURCE, or in ../shared/data next to the repository. Without them the
# world scenarios say what to run.
bridges_world_data() {
  local name current=1
  for name in countries.csv corridors.csv history_countries.csv history_stocks.csv \
    history_costs.csv history_inflows.csv history_outflows.csv history_aggregates.csv \
    history_mex_monthly.csv; do
    [ -f "$BRIDGES_ROOT/data/world/$name" ] &&
      [ ! "$BRIDGES_ROOT/tools/import-world-data" -nt "$BRIDGES_ROOT/data/world/$name" ] ||
      current=
  done
  [ -n "$current" ] && return 0
  local source=${BRIDGES_WORLD_SOURCE:-$BRIDGES_ROOT/../shared/data}
  [ -d "$source" ] || return 0
  echo "bridges: importing the world data from $source into data/world" >&2
  /usr/bin/python3 "$BRIDGES_ROOT/tools/import-world-data" --source "$source" --quiet >&2
}
