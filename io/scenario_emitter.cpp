#include "io/scenario_emitter.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace bridges::io {

namespace {

using core::Param;

/// A mantissa without a point gets ".0" before its exponent: YAML 1.1 readers (PyYAML) take "1e+03"
/// for a string and only "1.0e+03" for a number.
std::string with_point(const std::string& text) {
    const auto e = text.find_first_of("eE");
    if (e == std::string::npos || text.find('.') != std::string::npos) return text;
    std::string out(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(e));
    out.append(".0");
    out.append(text, e, std::string::npos);
    return out;
}

std::string format_number(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) { // whole numbers as integers: 60000, not 6e+04
        std::ostringstream whole;
        whole << std::fixed << std::setprecision(0) << v;
        return whole.str();
    }
    std::ostringstream s;
    s << std::setprecision(17) << v;
    double back = 0;
    for (int p = 1; p <= 17; ++p) { // shortest text that reads back exactly
        std::ostringstream t;
        t << std::setprecision(p) << v;
        std::istringstream(t.str()) >> back;
        if (back == v) return with_point(t.str());
    }
    return with_point(s.str());
}

class EmitVisitor {
  public:
    explicit EmitVisitor(YAML::Emitter& e) : e_(e) {}
    void number(const Param& p, double& v) { e_ << YAML::Key << p.key << YAML::Value << format_number(v); }
    void integer(const Param& p, std::int64_t& v) { e_ << YAML::Key << p.key << YAML::Value << v; }
    void text(const Param& p, std::string& v) {
        e_ << YAML::Key << p.key << YAML::Value << YAML::DoubleQuoted << v;
    }
    void flag(const Param& p, bool& v) { e_ << YAML::Key << p.key << YAML::Value << (v ? "true" : "false"); }
    void month(const Param& p, core::YearMonth& v) {
        e_ << YAML::Key << p.key << YAML::Value << v.to_string();
    }
    void codes(const Param& p, std::vector<std::string>& v) {
        e_ << YAML::Key << p.key << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& c : v)
            e_ << c;
        e_ << YAML::EndSeq;
    }
    void series(const Param& p, std::vector<double>& v) {
        e_ << YAML::Key << p.key << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const double x : v)
            e_ << format_number(x);
        e_ << YAML::EndSeq;
    }
    void choice(const Param& p, std::string& v, const std::vector<std::string>&) {
        e_ << YAML::Key << p.key << YAML::Value << v;
    }
    template <class T> void section(const char* key, const char*, T& s) {
        if constexpr (requires { s.any(); }) // observed paths: written only where there are some
            if (!s.any()) return;
        e_ << YAML::Key << key << YAML::Value << YAML::BeginMap;
        visit(*this, s);
        e_ << YAML::EndMap;
    }
    template <class T> void list(const char* key, const char*, std::vector<T>& items) {
        e_ << YAML::Key << key << YAML::Value << YAML::BeginSeq;
        for (auto& item : items) {
            e_ << YAML::BeginMap;
            visit(*this, item);
            e_ << YAML::EndMap;
        }
        e_ << YAML::EndSeq;
    }

  private:
    YAML::Emitter& e_;
};

/// Collects one Markdown row per parameter, with dotted paths.
class DocVisitor {
  public:
    std::ostringstream out;
    std::string prefix;

    void row(const Param& p, const std::string& def) {
        std::string range;
        if (std::isfinite(p.lo) || std::isfinite(p.hi)) {
            if (!(p.lo == 0 && p.hi == 0)) {
                // Appended piece by piece: "[" + std::string&& makes GCC 12 warn (-Wrestrict).
                range = "[";
                range += std::isfinite(p.lo) ? format_number(p.lo) : "-inf";
                range += ", ";
                range += std::isfinite(p.hi) ? format_number(p.hi) : "inf";
                range += "]";
            }
        }
        out << "| `" << prefix << p.key << "` | " << (p.required ? "required" : def) << " | " << p.unit
            << " | " << range << " | " << p.doc << " | " << p.source << " |\n";
    }
    void number(const Param& p, double& v) { row(p, "`" + format_number(v) + "`"); }
    void integer(const Param& p, std::int64_t& v) { row(p, "`" + std::to_string(v) + "`"); }
    void text(const Param& p, std::string& v) { row(p, v.empty() ? "\"\"" : "`" + v + "`"); }
    void flag(const Param& p, bool& v) { row(p, v ? "`true`" : "`false`"); }
    void month(const Param& p, core::YearMonth& v) {
        row(p, std::string(p.key) == "to"     ? "open"
               : std::string(p.key) == "from" ? "start"
                                              : "`" + v.to_string() + "`");
    }
    void codes(const Param& p, std::vector<std::string>&) { row(p, "all"); }
    void series(const Param& p, std::vector<double>&) { row(p, "none"); }
    void choice(const Param& p, std::string&, const std::vector<std::string>& allowed) {
        std::string names;
        for (const auto& a : allowed)
            names += (names.empty() ? "" : ", ") + a;
        Param q = p;
        std::string doc = std::string(p.doc) + ": " + names;
        q.doc = doc.c_str();
        row(q, "");
    }
    template <class T> void section(const char* key, const char*, T& s) {
        const std::string saved = prefix;
        prefix += std::string(key) + ".";
        visit(*this, s);
        prefix = saved;
    }
    template <class T> void list(const char* key, const char* doc, std::vector<T>&) {
        out << "| `" << prefix << key << "` | list | | | " << doc << " (see its own table) | |\n";
    }
};

template <class T>
std::string table(const std::string& title, const std::string& intro, T value, const std::string& prefix) {
    DocVisitor d;
    d.prefix = prefix;
    d.out << "### " << title << "\n\n"
          << intro << (intro.empty() ? "" : "\n\n")
          << "| key | default | unit | range | meaning | source |\n|---|---|---|---|---|---|\n";
    visit(d, value);
    return d.out.str() + "\n";
}

} // namespace

std::string emit_resolved(const core::Scenario& scenario) {
    core::Scenario copy = scenario;
    YAML::Emitter e;
    e << YAML::BeginMap;
    EmitVisitor v(e);
    visit(v, copy);
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

std::string parameter_reference() {
    std::string s = "## Scenario keys\n\nGenerated by `bridges params`; every key with its default, unit, "
                    "range and source.\n\n";
    s += table("Top level, population, network, behaviour, output", "", core::Scenario{}, "");
    s += table("countries[]", "One item per state.", core::CountrySpec{}, "countries[].");
    s += table("corridors[]", "One item per origin -> host corridor.", core::CorridorSpec{}, "corridors[].");
    for (const auto& kind : core::LeverKinds::names()) {
        core::PolicySpec p;
        core::LeverKinds::set(p.params, kind);
        s += table("policies[] with kind: " + kind, "", p, "policies[].");
    }
    for (const auto& kind : core::ShockKinds::names()) {
        core::ShockSpec sh;
        core::ShockKinds::set(sh.params, kind);
        s += table("shocks[] with kind: " + kind, "", sh, "shocks[].");
    }
    return s;
}

} // namespace bridges::io
