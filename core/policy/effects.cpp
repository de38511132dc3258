#include "core/policy/effects.hpp"

namespace bridges::core {

void apply_lever(const LeverEffect& e) {
    LeverKinds::with(e.policy.spec->params, [&](const auto& lever) { lever.apply(e); });
}

void apply_shock(const ShockEffect& e) {
    ShockKinds::with(e.shock.spec->params, [&](const auto& shock) {
        if (e.shock.active(static_cast<std::uint32_t>(e.month))) shock.apply(e);
        if constexpr (requires { shock.aftermath(e); }) shock.aftermath(e);
    });
}

} // namespace bridges::core
