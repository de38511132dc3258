#include "core/policy/resolved.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace bridges::core {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

int index_of(const World& w, const std::string& code) {
    const int i = w.countries.find(code);
    if (i < 0) throw std::invalid_argument("unknown country '" + code + "'");
    return i;
}

void check_codes(const World& w, const std::vector<std::string>& codes) {
    for (const auto& c : codes)
        index_of(w, c);
}

} // namespace

std::vector<ResolvedPolicy> resolve_policies(const Scenario& s, const World& w) {
    std::vector<ResolvedPolicy> out;
    for (const auto& p : s.policies) {
        ResolvedPolicy r;
        r.spec = &p;
        r.by = index_of(w, p.by);
        r.from = p.from.year == 0 ? 0 : p.from.ordinal() - s.start.ordinal(); // year 0: the start
        r.to = p.to.ordinal() - s.start.ordinal();
        check_codes(w, p.target.origins);
        check_codes(w, p.target.hosts);
        DefaultReach reach = DefaultReach::own_diaspora;
        std::uint8_t skills = kEverySkill;
        LeverKinds::with(p.params, [&](const auto& lever) {
            reach = lever.reach_default;
            skills = lever.skills_default;
        });
        std::vector<std::string> origins = p.target.origins, hosts = p.target.hosts;
        // A lever reaches the diaspora of the state that applies it, or, for a state that is
        // only a host, the migrants living there.
        if (origins.empty() && hosts.empty() && !p.target.all) {
            if (w.countries.is_origin[r.by] && reach == DefaultReach::own_diaspora)
                origins.push_back(p.by);
            else
                hosts.push_back(p.by);
        }
        r.corridor_mask.resize(w.corridors.size());
        for (std::size_t k = 0; k < w.corridors.size(); ++k) {
            const bool o = origins.empty() || contains(origins, w.countries.code[w.corridors.origin[k]]);
            const bool h = hosts.empty() || contains(hosts, w.countries.code[w.corridors.host[k]]);
            r.corridor_mask[k] = o && h ? 1 : 0;
        }
        r.skill_mask = skills;
        if (!p.target.skills.empty()) {
            r.skill_mask = 0;
            const char* names[kSkills] = {"low", "mid", "high"};
            for (int i = 0; i < kSkills; ++i)
                if (contains(p.target.skills, names[i])) r.skill_mask |= 1u << i;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<ResolvedShock> resolve_shocks(const Scenario& s, const World& w) {
    std::vector<ResolvedShock> out;
    for (const auto& sh : s.shocks) {
        ResolvedShock r;
        r.spec = &sh;
        r.from = sh.from.ordinal() - s.start.ordinal();
        r.to = r.from + static_cast<std::int32_t>(sh.months) - 1;
        r.months = sh.months;
        r.country_mask.assign(w.countries.size(), sh.countries.empty() ? 1 : 0);
        for (const auto& c : sh.countries)
            r.country_mask[index_of(w, c)] = 1;
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace bridges::core
