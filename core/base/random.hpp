#pragma once
// Counter-based randomness: every draw is a pure function of (seed, purpose, entity, month), so a
// member's draws do not depend on which thread handles it or in which order.

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace bridges::core {

/// What a draw is for. Each purpose is an independent stream.
enum class Purpose : std::uint32_t {
    // set-up
    household_size = 1,
    community_shuffle,
    member_init,
    household_init,
    social_graph,
    // monthly phases
    labour = 100,
    outreach,
    remit,
    remit_disruption,
    collective,
    invest,
    bond,
    skills,
    crisis,
    disaster,
    informal_route, // keyed by month 0: one draw per member for the whole run
};

/// Four uniform numbers in (0, 1) for one (entity, month) under one purpose.
struct Draws {
    double u[4];
    double operator[](int i) const { return u[i]; }
};

/// Two uniform numbers in (0, 1).
struct Draws2 {
    double u[2];
    double operator[](int i) const { return u[i]; }
};

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : seed_(seed) {}

    [[nodiscard]] Draws draw(Purpose purpose, std::uint64_t entity, std::uint32_t month,
                             std::uint32_t stream = 0) const {
        using G = r123::Philox4x32;
        G gen;
        const G::key_type key = {
            {static_cast<std::uint32_t>(seed_),
             static_cast<std::uint32_t>(seed_ >> 32) ^ (static_cast<std::uint32_t>(purpose) * 0x9E3779B9u)}};
        const G::ctr_type ctr = {
            {static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32), month, stream}};
        const G::ctr_type r = gen(ctr, key);
        Draws d{};
        for (int i = 0; i < 4; ++i)
            d.u[i] = (static_cast<double>(r[i]) + 0.5) * 0x1p-32;
        return d;
    }

    /// Two uniform numbers in (0, 1) at half the cost of draw(), for phases that need no more.
    /// Philox2x32-10 keyed by the seed's low 32 bits; the counter holds (entity, month, purpose).
    [[nodiscard]] Draws2 pair(Purpose purpose, std::uint32_t entity, std::uint32_t month) const {
        using G = r123::Philox2x32;
        G gen;
        const G::key_type key = {
            {static_cast<std::uint32_t>(seed_) ^ static_cast<std::uint32_t>(seed_ >> 32)}};
        const G::ctr_type ctr = {{entity, (month & 0xFFFFu) | (static_cast<std::uint32_t>(purpose) << 16)}};
        const G::ctr_type r = gen(ctr, key);
        return Draws2{
            {(static_cast<double>(r[0]) + 0.5) * 0x1p-32, (static_cast<double>(r[1]) + 0.5) * 0x1p-32}};
    }

    [[nodiscard]] std::uint64_t seed() const { return seed_; }

  private:
    std::uint64_t seed_;
};

/// Standard normal from two uniforms (Box-Muller).
inline double normal_from(double u1, double u2) {
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// Poisson count by inversion from one uniform (small means only).
inline int poisson_from(double u, double mean) {
    double p = std::exp(-mean);
    double cdf = p;
    int k = 0;
    while (u > cdf && k < 64) {
        ++k;
        p *= mean / k;
        cdf += p;
    }
    return k;
}

inline double logistic(double z) {
    return 1.0 / (1.0 + std::exp(-z));
}

} // namespace bridges::core
