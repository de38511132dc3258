#include "core/world/world.hpp"

#include "core/base/random.hpp"
#include "core/model/drivers.hpp"

#include "core/base/parallel.hpp"
#include <tbb/blocked_range.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace bridges::core {

int CountryTable::find(const std::string& iso3) const {
    for (std::size_t i = 0; i < code.size(); ++i)
        if (code[i] == iso3) return static_cast<int>(i);
    return -1;
}

std::size_t World::bytes() const {
    return members.size() * MemberColumns::row_bytes() + households.size() * HouseholdColumns::row_bytes() +
           communities.size() * CommunityColumns::row_bytes() + social.bytes();
}

namespace {

/// The checkpoint blocks of every state column of a column set, named "<prefix>.<column>".
template <class Set> void add_state_blocks(Set& set, const char* prefix, std::vector<StateBlock>& out) {
    set.each_column([&](const ColumnInfo& c, auto& col) {
        if (c.life == Life::state) out.push_back(block_of(std::string(prefix) + "." + c.name, col));
    });
}

} // namespace

std::vector<StateBlock> World::state_blocks() {
    std::vector<StateBlock> b;
    add_state_blocks(members, "members", b);
    add_state_blocks(households, "households", b);
    add_state_blocks(communities, "communities", b);
    for (auto& g : social.state_blocks())
        b.push_back(std::move(g));
    return b;
}

Traffic minimum_traffic(const World& w) {
    Traffic t;
    const auto& m = w.members;
    const auto& h = w.households;
    if (m.size() == 0) return t;
    // Bytes per entity of the columns a month reads (kRead) or writes (kWritten).
    auto touched = [](Access which) {
        return [which](const ColumnInfo& c) { return (c.access & which) != 0; };
    };
    t.member_read = static_cast<double>(MemberColumns::row_bytes_where(touched(kRead)));
    t.member_written = static_cast<double>(MemberColumns::row_bytes_where(touched(kWritten)));
    const double per_member = static_cast<double>(h.size()) / static_cast<double>(m.size());
    t.household_read = per_member * static_cast<double>(HouseholdColumns::row_bytes_where(touched(kRead)));
    t.household_written =
        per_member * static_cast<double>(HouseholdColumns::row_bytes_where(touched(kWritten)));
    t.graph = static_cast<double>(w.social.bytes()) / static_cast<double>(m.size());
    return t;
}

double fitted_income_sigma(double headcount, double mean_to_line) {
    constexpr double lo_bound = 0.01, hi_bound = 3.0;
    const double k = -std::log(mean_to_line); // log of the line over the mean
    // Phi((k + s^2/2) / s) rises with s where s^2 > 2k: the whole range when the mean is above
    // the line (k < 0); otherwise the share is smallest at s = sqrt(2k).
    const auto share = [k](double sig) { return 0.5 * std::erfc(-(k / sig + sig / 2) / std::sqrt(2.0)); };
    double lo = k > 0 ? std::clamp(std::sqrt(2 * k), lo_bound, hi_bound) : lo_bound, hi = hi_bound;
    if (share(lo) >= headcount) return lo;
    if (share(hi) <= headcount) return hi;
    for (int i = 0; i < 100; ++i) {
        const double mid = 0.5 * (lo + hi);
        (share(mid) < headcount ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

void leave_place(MemberColumns& mm, std::uint32_t m) {
    mm.present[m] = 0;
    mm.employed[m] = 0;
    mm.in_org[m] = 0;
    mm.income[m] = 0.0F;
    mm.savings[m] = 0.0F;
    mm.bond_usd[m] = 0.0F;
    mm.channel[m] = kNoChannel;
}

std::uint32_t corridor_agents(double stock, double scale) {
    return static_cast<std::uint32_t>(std::llround(stock / scale));
}

std::size_t estimate_world_bytes(const Scenario& s) {
    double members = 0;
    for (const auto& c : s.corridors)
        members += std::llround(peak_stock(c, s.start, s.months) / s.scale);
    const double households = members / (1.0 + s.population.extra_migrants_per_household) *
                              (1.0 + s.population.non_migrant_households);
    const double degree = static_cast<double>(s.network.mean_degree / 2 * 2);
    // columns + graph (explicit: offsets, link ends and the arc list used while building it;
    // implicit: one byte per member)
    const double graph = s.network.graph == "implicit" ? 1 : 4 + 4 * degree + 8 * degree;
    return static_cast<std::size_t>(members * (static_cast<double>(MemberColumns::row_bytes()) + graph) +
                                    households * static_cast<double>(HouseholdColumns::row_bytes()));
}

namespace {

double clamp01(double x) {
    return std::clamp(x, 0.0, 1.0);
}

CountryTable compile_countries(const Scenario& s) {
    CountryTable t;
    for (const auto& c : s.countries) {
        t.code.push_back(c.code);
        t.name.push_back(c.name.empty() ? c.code : c.name);
        t.gdp_per_capita_usd.push_back(c.gdp_per_capita_usd);
        t.growth.push_back(c.growth);
        t.financial_inclusion.push_back(c.financial_inclusion);
        t.governance.push_back(c.governance);
        t.household_size.push_back(c.household_size);
        t.population.push_back(c.population);
        // The line in international dollars, at the country's prices in market dollars.
        t.poverty_line_usd_month.push_back(c.poverty_line_usd * c.price_level * 365.25 / 12.0 *
                                           c.household_size);
        t.is_origin.push_back(0);
        t.is_host.push_back(0);
    }
    return t;
}

CorridorTable compile_corridors(const Scenario& s, CountryTable& countries) {
    CorridorTable t;
    for (const auto& c : s.corridors) {
        const int o = countries.find(c.origin), h = countries.find(c.host);
        if (o < 0 || h < 0) throw std::invalid_argument("corridor names an unknown country");
        t.origin.push_back(static_cast<std::uint16_t>(o));
        t.host.push_back(static_cast<std::uint16_t>(h));
        countries.is_origin[o] = 1;
        countries.is_host[h] = 1;
        t.stock.push_back(stock_at(c, month_time(s.start)));
        t.cost_formal.push_back(c.cost_formal);
        t.cost_informal.push_back(c.cost_informal);
        t.informal_loss.push_back(c.informal_loss);
        t.members.push_back(corridor_agents(peak_stock(c, s.start, s.months), s.scale));
    }
    return t;
}

/// One origin household before layout: its corridor and number of migrants.
struct Draft {
    std::uint16_t corridor;
    std::uint8_t migrants;
};

/// Households of one origin, shuffled and cut into communities; within a community households
/// are ordered by corridor so that members of one corridor lie together.
std::vector<std::vector<Draft>> draft_communities(const Scenario& s, const CorridorTable& corr,
                                                  std::uint16_t origin, const Rng& rng) {
    std::vector<Draft> drafts;
    std::size_t migrant_households = 0;
    for (std::size_t k = 0; k < corr.size(); ++k) {
        if (corr.origin[k] != origin) continue;
        std::uint32_t left = corr.members[k];
        std::uint64_t i = 0;
        while (left > 0) {
            const int extra = poisson_from(
                rng.draw(Purpose::household_size, (static_cast<std::uint64_t>(k) << 32) | i, 0)[0],
                s.population.extra_migrants_per_household);
            const auto n = static_cast<std::uint32_t>(std::min<int>(1 + extra, 255));
            const std::uint32_t take = std::min(n, left);
            drafts.push_back({static_cast<std::uint16_t>(k), static_cast<std::uint8_t>(take)});
            left -= take;
            ++i;
            ++migrant_households;
        }
    }
    const auto others = static_cast<std::size_t>(
        std::llround(static_cast<double>(migrant_households) * s.population.non_migrant_households));
    drafts.insert(drafts.end(), others, Draft{kNoCorridor, 0});
    // Fisher-Yates with one keyed draw per position.
    for (std::size_t i = drafts.size(); i > 1; --i) {
        const double u = rng.draw(Purpose::community_shuffle, i, origin)[0];
        const auto j = static_cast<std::size_t>(u * static_cast<double>(i));
        std::swap(drafts[i - 1], drafts[std::min(j, i - 1)]);
    }
    std::vector<std::vector<Draft>> communities;
    const auto per = static_cast<std::size_t>(s.population.households_per_community);
    for (std::size_t first = 0; first < drafts.size(); first += per) {
        std::vector<Draft> c(drafts.begin() + static_cast<std::ptrdiff_t>(first),
                             drafts.begin() +
                                 static_cast<std::ptrdiff_t>(std::min(drafts.size(), first + per)));
        std::stable_sort(c.begin(), c.end(),
                         [](const Draft& a, const Draft& b) { return a.corridor < b.corridor; });
        communities.push_back(std::move(c));
    }
    return communities;
}

void lay_out(const Scenario& s, World& w, const Rng& rng) {
    std::vector<std::vector<Draft>> all;
    std::vector<std::uint16_t> origin_of;
    for (std::size_t o = 0; o < w.countries.size(); ++o) {
        if (!w.countries.is_origin[o]) continue;
        auto cs = draft_communities(s, w.corridors, static_cast<std::uint16_t>(o), rng);
        for (auto& c : cs) {
            all.push_back(std::move(c));
            origin_of.push_back(static_cast<std::uint16_t>(o));
        }
    }
    std::size_t households = 0, members = 0;
    for (const auto& c : all) {
        households += c.size();
        for (const auto& d : c)
            members += d.migrants;
    }
    if (members > 0xFFFFFFF0ull) throw std::invalid_argument("too many members for 32-bit ids");
    w.communities.origin.assign(origin_of.begin(), origin_of.end());
    w.communities.first_household.resize(all.size() + 1);
    w.communities.development_usd.assign(all.size(), 0.0);
    w.communities.human_capital.assign(all.size(), s.behaviour.skills.human_capital_base);
    w.households.resize(households);
    w.members.resize(members);
    std::uint32_t h = 0, m = 0;
    for (std::size_t c = 0; c < all.size(); ++c) {
        w.communities.first_household[c] = h;
        for (const auto& d : all[c]) {
            w.households.corridor[h] = d.corridor;
            w.households.first_member[h] = m;
            m += d.migrants;
            ++h;
        }
    }
    w.communities.first_household[all.size()] = h;
    w.households.first_member[households] = m;
}

double mean_household_income(const Scenario& s, const CountryTable& t, std::size_t o) {
    return t.gdp_per_capita_usd[o] * s.population.household_income_share * t.household_size[o] / 12.0;
}

/// Each origin's spread of household incomes: fitted to its poverty headcount when the scenario
/// gives one, so that households without migrants (who consume `consume_income` of their own
/// income, which grows at the origin's rate) have that headcount in the middle of the first year.
void fit_income_spreads(const Scenario& s, CountryTable& t) {
    t.income_sigma.assign(t.size(), s.population.household_income_sigma);
    for (std::size_t o = 0; o < t.size(); ++o) {
        const double headcount = s.countries[o].poverty_headcount;
        if (headcount < 0 || !t.is_origin[o]) continue;
        const double consumption = s.behaviour.household.consume_income * mean_household_income(s, t, o) *
                                   std::pow(1.0 + t.growth[o], 5.5 / 12.0);
        t.income_sigma[o] = fitted_income_sigma(headcount, consumption / t.poverty_line_usd_month[o]);
    }
}

/// Real households per agent household: `scale` for those with migrants; those without stand for
/// the rest of the origin's households (population / household size), never fewer than none.
void weigh_households(const World& w, CountryTable& t) {
    std::vector<double> with(t.size(), 0), without(t.size(), 0);
    for (std::size_t c = 0; c < w.communities.size(); ++c)
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
            (w.households.corridor[h] != kNoCorridor ? with : without)[w.communities.origin[c]] += 1;
    t.household_weight_migrant.assign(t.size(), w.scale);
    t.household_weight_non_migrant.assign(t.size(), 0);
    for (std::size_t o = 0; o < t.size(); ++o) {
        if (without[o] == 0) continue;
        const double rest = t.population[o] / t.household_size[o] - with[o] * w.scale;
        t.household_weight_non_migrant[o] = std::max(0.0, rest) / without[o];
    }
}

void init_households(const Scenario& s, World& w, const Rng& rng) {
    const auto& p = s.population;
    auto& hh = w.households;
    core::parallel_for(std::size_t{0}, w.communities.size(), [&](std::size_t c) {
        const std::uint16_t o = w.communities.origin[c];
        const double mean_income = mean_household_income(s, w.countries, o);
        const double sig = w.countries.income_sigma[o];
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            const Draws d = rng.draw(Purpose::household_init, h, 0);
            const double income = mean_income * std::exp(sig * normal_from(d[0], d[1]) - 0.5 * sig * sig);
            hh.base_income[h] = static_cast<float>(income);
            hh.income[h] = static_cast<float>(income);
            hh.savings[h] = static_cast<float>(income * p.household_savings_months);
            hh.consumption[h] = static_cast<float>(income * s.behaviour.household.consume_income);
            hh.expected_receipts[h] = 0.0F;
            hh.unanswered_usd[h] = 0.0F;
            hh.invested_usd[h] = 0.0F;
            hh.receipts_cents[h] = 0;
            hh.hit_months[h] = 0;
        }
    });
}

void init_members(const Scenario& s, World& w, const Rng& rng) {
    const auto& p = s.population;
    auto& mm = w.members;
    const double ratio[kSkills] = {p.income_ratio_low, p.income_ratio_mid, p.income_ratio_high};
    core::parallel_for(std::size_t{0}, w.households.size(), [&](std::size_t h) {
        const std::uint16_t k = w.households.corridor[h];
        if (k == kNoCorridor) return;
        const std::uint16_t host = w.corridors.host[k], origin = w.corridors.origin[k];
        const double host_wage = w.countries.gdp_per_capita_usd[host] / 12.0;
        const double gov = w.countries.governance[origin];
        // Where the stock changes over the run, the corridor holds places for the most it reaches;
        // at the start each is taken with the chance that fills the start's stock on average.
        const double places = w.corridors.members[k];
        const double start = w.corridors.stock[k] / w.scale;
        const bool all_present = corridor_agents(w.corridors.stock[k], w.scale) == w.corridors.members[k];
        for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
            const Draws a = rng.draw(Purpose::member_init, m, 0, 0);
            const Draws b = rng.draw(Purpose::member_init, m, 0, 1);
            const Draws c = rng.draw(Purpose::member_init, m, 0, 2);
            const auto skill = static_cast<std::uint8_t>(a[0] < p.skill_low                 ? 0
                                                         : a[0] < p.skill_low + p.skill_mid ? 1
                                                                                            : 2);
            mm.skill[m] = skill;
            const double years = std::min(40.0, -std::log(a[1]) * p.years_abroad_mean);
            mm.months_abroad[m] = static_cast<std::uint16_t>(years * 12.0);
            mm.employed[m] = a[2] < p.employment_rate ? 1 : 0;
            mm.in_org[m] = a[3] < p.org_member_share ? 1 : 0;
            const double sig = p.income_sigma;
            const double earn =
                host_wage * ratio[skill] * std::exp(sig * normal_from(b[0], b[1]) - 0.5 * sig * sig);
            mm.earnings[m] = static_cast<float>(earn);
            mm.income[m] = static_cast<float>(earn);
            mm.bond_usd[m] = 0.0F;
            mm.channel[m] = kNoChannel; // chosen on the first decision
            mm.present[m] =
                all_present || rng.draw(Purpose::member_init, m, 0, 3)[0] * places < start ? 1 : 0;
            // Savings as a newcomer's would be after the months already spent abroad: half the
            // buffer on arrival (labour phase), filled by saving_share of earnings a month up to
            // the buffer (slow-state phase): the steady state when few transfers come from savings.
            const double buffer = earn * p.member_savings_months;
            mm.savings[m] = static_cast<float>(std::min(
                buffer, 0.5 * buffer + mm.months_abroad[m] * s.behaviour.invest.saving_share * earn));
            // Attachment on arrival, eroded over the years already spent abroad (the erosion of the
            // slow-state phase), so that the initial diaspora starts near its steady state.
            const double eroded = std::pow(1.0 - s.behaviour.slow.attachment_erosion, years * 12.0);
            mm.attachment[m] = static_cast<float>(
                clamp01((p.attachment_mean + p.attachment_spread * normal_from(c[0], c[1])) * eroded));
            mm.trust[m] = static_cast<float>(clamp01(gov + p.trust_spread * normal_from(c[2], b[3])));
            mm.awareness[m] = static_cast<float>(clamp01(p.awareness_mean * 2.0 * c[3]));
            if (!mm.present[m]) leave_place(mm, m);
        }
    });
}

/// The ring of each origin's members in storage order (communities are laid out origin by origin),
/// indexed by country; an origin with fewer than two members has no links.
std::vector<Ring> origin_rings(const Scenario& s, const World& w) {
    const auto half = static_cast<std::uint32_t>(s.network.mean_degree / 2);
    std::vector<Ring> rings(w.countries.size());
    for (std::size_t c = 0; c < w.communities.size(); ++c) {
        const std::uint32_t b = w.households.first_member[w.communities.first_household[c]];
        const std::uint32_t e = w.households.first_member[w.communities.first_household[c + 1]];
        Ring& r = rings[w.communities.origin[c]];
        if (r.size == 0) r.first = b;
        r.size += e - b;
    }
    for (Ring& r : rings)
        r.k = r.size > 1 && half > 0 ? std::min(half, (r.size - 1) / 2 == 0 ? 1u : (r.size - 1) / 2) : 0;
    return rings;
}

/// Calls fn(o, ring, i, j, rewired, target) for every link j = 1..k of every member at offset i of
/// every origin's ring, in parallel over members (each call touches only member i's own slots).
template <class Fn>
void for_each_link(const std::vector<Ring>& rings, const Rng& rng, double rewire, Fn&& fn) {
    core::parallel_for(std::size_t{0}, rings.size(), [&](std::size_t o) {
        const Ring r = rings[o];
        core::parallel_for(tbb::blocked_range<std::uint32_t>(0, r.size, 4096),
                           [&](const tbb::blocked_range<std::uint32_t>& rr) {
                               for (std::uint32_t i = rr.begin(); i < rr.end(); ++i)
                                   for (std::uint32_t j = 1; j <= r.k; ++j) {
                                       const auto [rewired, u] =
                                           SocialGraph::place_link(rng, rewire, r.first + i, i, j, r);
                                       fn(o, r, i, j, rewired, u);
                                   }
                           });
    });
}

/// Watts-Strogatz over the storage order of each origin's members: neighbours in storage share a
/// community and mostly a host (homophily); a share `rewire` of links goes anywhere in the origin.
SocialGraph build_social(const Scenario& s, const World& w, const Rng& rng) {
    const auto n = static_cast<std::uint32_t>(w.members.size());
    std::vector<Ring> rings = origin_rings(s, w);
    const double rewire = s.network.rewire;
    if (s.network.graph == "implicit") {
        Column<std::uint8_t> bits;
        bits.assign(n, 0);
        for_each_link(
            rings, rng, rewire,
            [&](std::size_t, const Ring& r, std::uint32_t i, std::uint32_t j, bool rewired, std::uint32_t) {
                std::uint8_t& b = bits[r.first + i];
                if (rewired) b = static_cast<std::uint8_t>(b | (1u << (j - 1)));
            });
        return SocialGraph(std::move(rings), std::move(bits), rng);
    }
    std::vector<std::uint64_t> offset(rings.size() + 1, 0);
    for (std::size_t o = 0; o < rings.size(); ++o)
        offset[o + 1] = offset[o] + 2ull * rings[o].size * rings[o].k;
    Column<std::pair<std::uint32_t, std::uint32_t>> arcs;
    arcs.resize(offset.back());
    for_each_link(rings, rng, rewire,
                  [&](std::size_t o, const Ring& r, std::uint32_t i, std::uint32_t j, bool, std::uint32_t u) {
                      const std::uint32_t v = r.first + i;
                      const std::uint64_t at =
                          offset[o] + 2ull * (static_cast<std::uint64_t>(i) * r.k + (j - 1));
                      arcs[at] = {v, u};
                      arcs[at + 1] = {u, v};
                  });
    return SocialGraph(n, arcs);
}

} // namespace

SocialGraph::SocialGraph(std::uint32_t n, Column<std::pair<std::uint32_t, std::uint32_t>>& arcs)
    : csr_(boost::edges_are_unsorted_multi_pass, arcs.begin(), arcs.end(), n) {
    // Neighbour order inside a row follows arc order, which is fixed; sort for a canonical form.
    auto& rs = csr_.m_forward.m_rowstart;
    auto& col = csr_.m_forward.m_column;
    core::parallel_for(std::uint32_t{0}, n,
                       [&](std::uint32_t v) { std::sort(col.begin() + rs[v], col.begin() + rs[v + 1]); });
    arcs.clear();
    arcs.shrink_to_fit();
}

SocialGraph::SocialGraph(std::vector<Ring> rings, Column<std::uint8_t> rewired, const Rng& rng)
    : implicit_(true), rings_(std::move(rings)), rewired_(std::move(rewired)), rng_(rng) {}

World build_world(const Scenario& s) {
    World w;
    w.scale = s.scale;
    w.countries = compile_countries(s);
    w.corridors = compile_corridors(s, w.countries);
    const Rng rng(static_cast<std::uint64_t>(s.seed));
    lay_out(s, w, rng);
    fit_income_spreads(s, w.countries);
    weigh_households(w, w.countries);
    init_households(s, w, rng);
    init_members(s, w, rng);
    w.social = build_social(s, w, rng);
    return w;
}

} // namespace bridges::core
