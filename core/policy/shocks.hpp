#pragma once
// The registry of shock kinds. Each kind lives in its own file under core/policy/shocks/ and holds
// everything about it: its name, its fields (visited by the reader, the writer of resolved
// scenarios and `bridges params`), whether it hits every country when none is listed, and how it
// changes the month's conditions while active (`apply`) and, for some, after it (`aftermath`).
// The one list below gives each kind its enum value and its place in `shocks[]`
// (docs/extending.md). Nothing outside this registry and the kinds' own files compares a kind's
// name.

#include "core/policy/shocks/fx_shock.hpp"
#include "core/policy/shocks/host_recession.hpp"
#include "core/policy/shocks/origin_conflict.hpp"
#include "core/policy/shocks/origin_disaster.hpp"
#include "core/policy/shocks/pandemic.hpp"

#include "core/policy/kind_traits.hpp"

#include <cstdint>
#include <string>
#include <variant>

namespace bridges::core {

// Every shock kind, in the order of the parameter reference: X(enum value, type).
#define BRIDGES_SHOCK_KINDS(X)                                                                               \
    X(origin_disaster, shocks::OriginDisaster)                                                               \
    X(origin_conflict, shocks::OriginConflict)                                                               \
    X(host_recession, shocks::HostRecession)                                                                 \
    X(fx_shock, shocks::FxShock)                                                                             \
    X(pandemic, shocks::Pandemic)

BRIDGES_DECLARE_KINDS(ShockKind, ShockParams, ShockKinds, BRIDGES_SHOCK_KINDS)

/// Whether a shock with no `countries` hits every country (a pandemic) rather than none.
inline bool hits_every_country_by_default(const ShockParams& p) {
    bool all = false;
    ShockKinds::with(p, [&](const auto& s) { all = s.hits_every_country_by_default; });
    return all;
}

} // namespace bridges::core
