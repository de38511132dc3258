#pragma once
// The registry of lever kinds. Each kind lives in its own file under core/policy/levers/ and holds
// everything about it: its name, its fields (visited by the reader, the writer of resolved
// scenarios and `bridges params`), its default target, how it changes the month's conditions
// (`apply`) and the rule for its cost. The one list below gives each kind its enum value and its
// place in the scenario's `policies[]` (docs/extending.md). Nothing outside this registry and the
// kinds' own files compares a kind's name.

#include "core/policy/levers/consular_services.hpp"
#include "core/policy/levers/cost_cap.hpp"
#include "core/policy/levers/diaspora_bond.hpp"
#include "core/policy/levers/diaspora_institution.hpp"
#include "core/policy/levers/financial_inclusion.hpp"
#include "core/policy/levers/investment_incentive.hpp"
#include "core/policy/levers/knowledge_transfer.hpp"
#include "core/policy/levers/matching.hpp"
#include "core/policy/levers/org_capacity.hpp"
#include "core/policy/levers/outreach.hpp"
#include "core/policy/levers/partnership.hpp"
#include "core/policy/levers/representation.hpp"
#include "core/policy/levers/skills_recognition.hpp"

#include "core/policy/kind_traits.hpp"

#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

namespace bridges::core {

// Every lever kind, in the order of the parameter reference: X(enum value, type).
#define BRIDGES_LEVER_KINDS(X)                                                                               \
    X(outreach, levers::Outreach)                                                                            \
    X(diaspora_institution, levers::DiasporaInstitution)                                                     \
    X(consular_services, levers::ConsularServices)                                                           \
    X(cost_cap, levers::CostCap)                                                                             \
    X(financial_inclusion, levers::FinancialInclusion)                                                       \
    X(matching, levers::Matching)                                                                            \
    X(diaspora_bond, levers::DiasporaBond)                                                                   \
    X(investment_incentive, levers::InvestmentIncentive)                                                     \
    X(skills_recognition, levers::SkillsRecognition)                                                         \
    X(knowledge_transfer, levers::KnowledgeTransfer)                                                         \
    X(org_capacity, levers::OrgCapacity)                                                                     \
    X(representation, levers::Representation)                                                                \
    X(partnership, levers::Partnership)

BRIDGES_DECLARE_KINDS(LeverKind, LeverParams, LeverKinds, BRIDGES_LEVER_KINDS)

/// How much a lever strengthens the other levers of its state (partnerships; 0 for the others).
inline double strengthening(const LeverParams& p) {
    double s = 0;
    LeverKinds::with(p, [&](const auto& l) {
        if constexpr (requires { l.strengthening(); }) s = l.strengthening();
    });
    return s;
}

/// ask(lever) for the kind that `p` holds, or 0 for a kind that `ask` cannot be called with (a
/// generic lambda whose return type names the member it calls).
template <class Ask> double ask_kind(const LeverParams& p, Ask&& ask) {
    double x = 0;
    LeverKinds::with(p, [&](const auto& l) {
        if constexpr (std::is_invocable_v<Ask&, decltype(l)>) x = ask(l);
    });
    return x;
}

/// What a lever's kind owes in a month whether or not the lever is still active, in USD
/// (persons): a bond's coupons on `sold_usd`, zero for the kinds that owe nothing once they stop.
/// `from` is the lever's first month.
inline double obligation_usd(const LeverParams& p, std::int32_t month, std::int32_t from, double sold_usd) {
    return ask_kind(p, [&](const auto& l) -> decltype(l.obligation_usd(month, from, sold_usd)) {
        return l.obligation_usd(month, from, sold_usd);
    });
}

/// The principal a lever's kind repays to its holders this month, in the unit of `sold_usd`: a
/// bond's amount sold, in the month after its tenor; zero for every other kind and month.
inline double repayment_usd(const LeverParams& p, std::int32_t month, std::int32_t from, double sold_usd) {
    return ask_kind(p, [&](const auto& l) -> decltype(l.repayment_usd(month, from, sold_usd)) {
        return l.repayment_usd(month, from, sold_usd);
    });
}

} // namespace bridges::core
