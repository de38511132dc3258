#pragma once
// Lever `outreach` (engage): the state contacts a share of its diaspora each month; a contact
// closes part of the member's gap to 1 in awareness, trust and attachment, so that repeated
// contacts add less and less (docs/model.md 7.1, 7.3).
// Cost: each contact, booked in cents by the information phase.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::levers {

struct Outreach {
    static constexpr const char* name = "outreach";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = false;

    double reach = 0.05;
    double awareness_gain = 0.5;
    double trust_gain = 0.05;
    double attachment_gain = 0.05;
    double cost_per_contact_usd = 2;

    template <class V> void fields(V& v) {
        v.number({"reach", "1/month", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "share of targeted members contacted"},
                 reach);
        v.number({"awareness_gain", "share", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "share of the awareness gap closed by a contact"},
                 awareness_gain);
        v.number({"trust_gain", "share", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "share of the trust gap closed by a contact"},
                 trust_gain);
        v.number({"attachment_gain", "share", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "share of the attachment gap closed by a contact"},
                 attachment_gain);
        v.number({"cost_per_contact_usd", "USD", 0, 1e6,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "cost of one contact"},
                 cost_per_contact_usd);
    }

    /// Reach adds up over outreach levers (at most 1); the strongest gains apply; contacts are
    /// paid by the last lever applied, at its price in whole cents.
    template <class Effect> void apply(Effect& e) const {
        const auto cents = std::llround(cost_per_contact_usd * 100.0);
        e.each_group([&](auto& g) {
            g.outreach_reach = static_cast<float>(std::min(1.0, g.outreach_reach + reach * e.strength));
            g.outreach_awareness = std::max(g.outreach_awareness, static_cast<float>(awareness_gain));
            g.outreach_trust = std::max(g.outreach_trust, static_cast<float>(trust_gain));
            g.outreach_attachment = std::max(g.outreach_attachment, static_cast<float>(attachment_gain));
            g.outreach_policy = e.index;
            g.outreach_contact_cents = cents;
        });
    }
};

} // namespace bridges::core::levers
