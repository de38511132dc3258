#pragma once
// What the registries of lever and shock kinds (levers.hpp, shocks.hpp) share: the operations on
// a variant holding one kind's fields, and what a lever kind states about whom it reaches when
// its scenario entry names no target (docs/extending.md).

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace bridges::core {

/// Whom a lever reaches when its `target` is empty.
enum class DefaultReach : std::uint8_t {
    own_diaspora,     // the diaspora of the state applying it (the migrants living there if the
                      // state is only a host)
    migrants_in_state // the migrants living in the state applying it
};

/// Skill groups as bits: low 1, mid 2, high 4.
inline constexpr std::uint8_t kEverySkill = 0b111;
inline constexpr std::uint8_t kMidAndHighSkill = 0b110;

/// The kinds held by a variant of std::monostate (no kind: missing or unknown in the file) and one
/// struct per kind, each with a static `name`.
template <class Variant> struct Kinds {
    static constexpr std::size_t count = std::variant_size_v<Variant> - 1;

    /// Every kind's name, in the variant's order.
    static const std::vector<std::string>& names() {
        static const std::vector<std::string> all = list(std::make_index_sequence<count>{});
        return all;
    }
    /// The name of the kind held ("" for none).
    static std::string name(const Variant& v) {
        return v.index() == 0 ? std::string() : names()[v.index() - 1];
    }
    /// Makes `v` hold the default fields of the kind called `name`, unless it holds that kind
    /// already ("" or an unknown name: none).
    static void set(Variant& v, const std::string& kind_name) {
        if (kind_name == name(v)) return;
        v = std::monostate{};
        set_from(v, kind_name, std::make_index_sequence<count>{});
    }
    /// Calls fn(the kind's fields) for the kind held; nothing for none.
    template <class V, class Fn> static void with(V& v, Fn&& fn) {
        std::visit(
            [&](auto& k) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(k)>, std::monostate>) fn(k);
            },
            v);
    }

  private:
    template <std::size_t... I> static std::vector<std::string> list(std::index_sequence<I...>) {
        return {std::variant_alternative_t<I + 1, Variant>::name...};
    }
    template <std::size_t... I>
    static void set_from(Variant& v, const std::string& kind_name, std::index_sequence<I...>) {
        ((names()[I] == kind_name ? (void)v.template emplace<I + 1>() : (void)0), ...);
    }
};

// Declares, from a list X(enum value, type) of kinds: the enum class `Enum` of the kinds, the variant
// `Params` holding one kind's fields (std::monostate first: no kind), `Registry` = Kinds<Params>,
// and kind_of() and name_of() between them.
#define BRIDGES_KIND_ENUM_VALUE(id, Type) id,
#define BRIDGES_KIND_TYPE(id, Type) , Type
#define BRIDGES_DECLARE_KINDS(Enum, Params, Registry, LIST)                                                  \
    enum class Enum : std::uint8_t { LIST(BRIDGES_KIND_ENUM_VALUE) };                                        \
    using Params = std::variant<std::monostate LIST(BRIDGES_KIND_TYPE)>;                                     \
    using Registry = Kinds<Params>;                                                                          \
    /** The kind of a variant that holds one (not std::monostate). */                                        \
    inline Enum kind_of(const Params& p) {                                                                   \
        return static_cast<Enum>(p.index() - 1);                                                             \
    }                                                                                                        \
    inline const std::string& name_of(Enum k) {                                                              \
        return Registry::names()[static_cast<std::size_t>(k)];                                               \
    }

} // namespace bridges::core
