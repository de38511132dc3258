#include "core/engine/metrics.hpp"

#include <stdexcept>
#include <unordered_map>

namespace bridges::core {

const std::vector<Variable>& output_variables() {
    static const std::vector<Variable> catalogue = {
#define BRIDGES_OUTPUT(id, group, name, units, axis, aggregate, indexed_by, long_name, meaning)              \
    {#group, #name, units, long_name, Axis::axis, Aggregate::aggregate, indexed_by, meaning},
#include "core/engine/outputs.def"
#undef BRIDGES_OUTPUT
    };
    return catalogue;
}

const char* aggregate_name(Aggregate a) {
    switch (a) {
    case Aggregate::flow:
        return "flow";
    case Aggregate::level:
        return "level";
    default:
        return "mean";
    }
}

const char* cell_methods(Aggregate a) {
    switch (a) {
    case Aggregate::flow:
        return "time: sum";
    case Aggregate::level:
        return "time: point";
    default:
        return "time: mean";
    }
}

std::size_t variable_index(const std::string& group, const std::string& name) {
    static const std::unordered_map<std::string, std::size_t> by_name = [] {
        std::unordered_map<std::string, std::size_t> m;
        const auto& all = output_variables();
        for (std::size_t i = 0; i < all.size(); ++i)
            m.emplace(std::string(all[i].group) + "/" + all[i].name, i);
        return m;
    }();
    const auto it = by_name.find(group + "/" + name);
    if (it == by_name.end()) throw std::out_of_range("no output variable " + group + "/" + name);
    return it->second;
}

} // namespace bridges::core
