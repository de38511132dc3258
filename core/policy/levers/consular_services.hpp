#pragma once
// Lever `consular_services` (engage): services to nationals abroad (documents, protection) keep
// them attached and raise trust. The same fields, targets and effect as a diaspora institution
// (docs/model.md 7.1), under its own name. Cost: its fixed monthly cost only.

#include "core/policy/levers/diaspora_institution.hpp"

namespace bridges::core::levers {

struct ConsularServices : DiasporaInstitution {
    static constexpr const char* name = "consular_services";
};

} // namespace bridges::core::levers
