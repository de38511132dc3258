#include "io/yaml_walk.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace bridges::io {

const Sources::Origin* Sources::override_of(const std::string& path) const {
    const Origin* found = nullptr;
    std::size_t longest = 0;
    for (const auto& [p, origin] : overrides_)
        if ((path == p || path.rfind(p + ".", 0) == 0) && p.size() >= longest) {
            found = &origin;
            longest = p.size();
        }
    return found;
}

Diagnostic Reporter::at(const std::string& path, const YAML::Mark& mark, const std::string& message) const {
    Diagnostic d;
    const Sources::Origin* origin = sources_->override_of(path);
    d.file = origin ? origin->file : sources_->file();
    if (!origin || origin->marks) {
        const YAML::Mark& m = mark.line >= 0 ? mark : origin ? origin->at : fallback;
        if (m.line >= 0) {
            d.line = m.line + 1;
            d.column = m.column + 1;
        }
    }
    d.message = message;
    return d;
}

void Reporter::error(const std::string& path, const YAML::Mark& mark, const std::string& message) {
    diagnostics_.push_back(at(path, mark, message));
}

void Reporter::warn(const std::string& path, const YAML::Mark& mark, const std::string& message) {
    Diagnostic d = at(path, mark, message);
    d.warning = true;
    warnings_.push_back(std::move(d));
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    // The same word in other letter case first ("nga" for "NGA", "Months" for "months").
    const auto lower = [](std::string t) {
        for (char& c : t)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return t;
    };
    for (const auto& c : candidates)
        if (c != word && lower(c) == lower(word)) return c;
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<std::size_t> row(b.size() + 1);
        for (std::size_t j = 0; j <= b.size(); ++j)
            row[j] = j;
        for (std::size_t i = 1; i <= a.size(); ++i) {
            std::size_t diag = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= b.size(); ++j) {
                const std::size_t up = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
                diag = up;
            }
        }
        return row[b.size()];
    };
    std::string best;
    std::size_t best_d = 1000;
    for (const auto& c : candidates) {
        const std::size_t d = distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    return best_d <= limit ? best : "";
}

ReadVisitor::ReadVisitor(const YAML::Node& map, std::string path, Reporter& reporter)
    : map_(map), path_(std::move(path)), reporter_(&reporter) {
    for (auto it = map_.begin(); it != map_.end(); ++it) {
        const YAML::Node k = it->first;
        if (!k.IsScalar()) {
            reporter_->error(path_, k.Mark(), "keys must be plain names");
            continue;
        }
        const std::string key = k.Scalar();
        const bool repeated =
            std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
        if (repeated) {
            reporter_->error(child_path(key), k.Mark(),
                             "duplicate key '" + key + "' in '" + (path_.empty() ? "<top>" : path_) + "'");
            continue;
        }
        entries_.push_back({key, k, it->second, false});
    }
}

const YAML::Node* ReadVisitor::take(const char* key) {
    known_.emplace_back(key);
    for (auto& e : entries_)
        if (e.key == key) {
            e.used = true;
            reporter_->marks[child_path(key)] = e.value.Mark();
            return &e.value;
        }
    return nullptr;
}

const YAML::Node* ReadVisitor::scalar(const core::Param& p) {
    const YAML::Node* n = take(p.key);
    if (!n) {
        if (p.required) missing_.emplace_back(p.key);
        return nullptr;
    }
    if (!n->IsScalar()) {
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be a single value (" + p.unit + ")");
        return nullptr;
    }
    return n;
}

void ReadVisitor::out_of_range(const core::Param& p, const YAML::Node& n, const std::string& shown) {
    std::ostringstream msg;
    msg << "'" << p.key << "' = " << shown << " is out of range [" << p.lo << ", " << p.hi << "] (" << p.unit
        << ")";
    reporter_->error(child_path(p.key), n.Mark(), msg.str());
}

void ReadVisitor::number(const core::Param& p, double& out) {
    const YAML::Node* n = scalar(p);
    if (n) number_at(p, *n, child_path(p.key), out);
}

bool ReadVisitor::number_at(const core::Param& p, const YAML::Node& n, const std::string& path, double& out) {
    const std::string& s = n.Scalar();
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    const bool nan_like = lower == ".nan" || lower == "nan" || lower == ".inf" || lower == "-.inf" ||
                          lower == "+.inf" || lower == "inf" || lower == "-inf" || lower == "infinity";
    if (nan_like || (end == s.c_str() + s.size() && !s.empty() && !std::isfinite(v))) {
        reporter_->error(path, n.Mark(),
                         std::string("'") + p.key + "' must be a finite number, got '" + s + "'");
        return false;
    }
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) {
        reporter_->error(path, n.Mark(),
                         std::string("'") + p.key + "' must be a number (" + p.unit + "), got '" + s + "'");
        return false;
    }
    if (v < p.lo || v > p.hi) {
        std::ostringstream msg;
        msg << "'" << p.key << "' = " << s << " is out of range [" << p.lo << ", " << p.hi << "] (" << p.unit
            << ")";
        reporter_->error(path, n.Mark(), msg.str());
        return false;
    }
    out = v;
    return true;
}

void ReadVisitor::series(const core::Param& p, std::vector<double>& out) {
    const YAML::Node* n = take(p.key);
    if (!n || n->IsNull()) return;
    if (!n->IsSequence()) {
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be a list of numbers (" + p.unit + ")");
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < n->size(); ++i) {
        const YAML::Node item = (*n)[i];
        const std::string path = child_path(p.key) + "." + std::to_string(i);
        double v = 0;
        if (!item.IsScalar()) {
            reporter_->error(path, item.Mark(), std::string("items of '") + p.key + "' must be numbers");
            continue;
        }
        if (number_at(p, item, path, v)) out.push_back(v);
    }
    if (!out.empty()) reporter_->marks[child_path(p.key)] = n->Mark();
}

void ReadVisitor::integer(const core::Param& p, std::int64_t& out) {
    const YAML::Node* n = scalar(p);
    if (!n) return;
    const std::string& s = n->Scalar();
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) {
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be a whole number (" + p.unit + "), got '" + s +
                             "'");
        return;
    }
    if (static_cast<double>(v) < p.lo || static_cast<double>(v) > p.hi) {
        out_of_range(p, *n, s);
        return;
    }
    out = v;
}

void ReadVisitor::text(const core::Param& p, std::string& out) {
    const YAML::Node* n = scalar(p);
    if (!n) return;
    if (n->Tag() == "?" && n->Scalar().empty() && p.required) {
        reporter_->error(child_path(p.key), n->Mark(), std::string("'") + p.key + "' must not be empty");
        return;
    }
    if (n->Scalar().size() > kMaxTextBytes) {
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' is " + std::to_string(n->Scalar().size()) +
                             " bytes long; at most " + std::to_string(kMaxTextBytes));
        return;
    }
    out = n->Scalar();
}

void ReadVisitor::flag(const core::Param& p, bool& out) {
    const YAML::Node* n = scalar(p);
    if (!n) return;
    const std::string& s = n->Scalar();
    if (s == "true" || s == "True" || s == "yes")
        out = true;
    else if (s == "false" || s == "False" || s == "no")
        out = false;
    else
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be true or false, got '" + s + "'");
}

void ReadVisitor::month(const core::Param& p, core::YearMonth& out) {
    const YAML::Node* n = scalar(p);
    if (!n) return;
    if (!core::parse_year_month(n->Scalar(), out))
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be a month YYYY-MM, got '" + n->Scalar() + "'");
}

void ReadVisitor::codes(const core::Param& p, std::vector<std::string>& out) {
    const YAML::Node* n = take(p.key);
    if (!n) return;
    if (n->IsScalar()) { // a single code is accepted as a one-element list
        out = {n->Scalar()};
        return;
    }
    if (!n->IsSequence()) {
        reporter_->error(child_path(p.key), n->Mark(),
                         std::string("'") + p.key + "' must be a list of names");
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < n->size(); ++i) {
        const YAML::Node item = (*n)[i];
        if (!item.IsScalar()) {
            reporter_->error(child_path(p.key), item.Mark(),
                             std::string("items of '") + p.key + "' must be names");
            continue;
        }
        reporter_->marks[child_path(p.key) + "." + std::to_string(i)] = item.Mark();
        out.push_back(item.Scalar());
    }
}

void ReadVisitor::choice(const core::Param& p, std::string& out, const std::vector<std::string>& allowed) {
    const YAML::Node* n = scalar(p);
    if (!n) {
        if (p.required) lenient_unknown_ = true;
        return;
    }
    const std::string& s = n->Scalar();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
        std::string msg = "unknown " + std::string(p.key) + " '" + s + "' in '" + path_ + "'";
        const std::string guess = did_you_mean(s, allowed);
        if (!guess.empty())
            msg += " (did you mean '" + guess + "'?)";
        else {
            msg += "; known: ";
            for (std::size_t i = 0; i < allowed.size(); ++i)
                msg += (i ? ", " : "") + allowed[i];
        }
        reporter_->error(child_path(p.key), n->Mark(), msg);
        lenient_unknown_ = true;
        return;
    }
    out = s;
}

void ReadVisitor::finish() {
    for (const auto& m : missing_)
        reporter_->error(path_, map_.Mark(),
                         "missing required key '" + m + "' in '" + (path_.empty() ? "<top>" : path_) + "'");
    if (lenient_unknown_) return;
    for (const auto& e : entries_) {
        if (e.used) continue;
        std::string msg = "unknown key '" + e.key + "' in '" + (path_.empty() ? "<top>" : path_) + "'";
        const std::string guess = did_you_mean(e.key, known_);
        if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
        reporter_->error(child_path(e.key), e.key_node.Mark(), msg);
    }
}

} // namespace bridges::io
