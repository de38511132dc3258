#pragma once
// Strict reading of a YAML map into a described struct (see core/model/scenario.hpp): every key
// must be known, appear once, have the right type and lie in range. Problems are collected, not
// thrown, so that a file's every error is reported at once.

#include "core/base/errors.hpp"
#include "core/model/calendar.hpp"
#include "core/model/param.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bridges::io {

/// Where values came from: the file, a command-line override of a dotted path, or an override
/// read from another file (an experiment's arms and sweep), whose nodes keep their own marks.
class Sources {
  public:
    struct Origin {
        std::string file; // "--set ARG" for a command-line override
        bool marks;       // whether the value's YAML marks point into `file`
        YAML::Mark at;    // where the override is written, for nodes it created without a mark
    };
    explicit Sources(std::string file) : file_(std::move(file)) {}
    void add_override(const std::string& path, const std::string& argument) {
        overrides_[path] = {"--set " + argument, false, YAML::Mark::null_mark()};
    }
    void add_file_override(const std::string& path, const std::string& file, const YAML::Mark& at) {
        overrides_[path] = {file, true, at};
    }
    [[nodiscard]] const std::string& file() const { return file_; }
    /// Where the value at `path` (or a parent of it) came from if it was overridden, or nullptr.
    [[nodiscard]] const Origin* override_of(const std::string& path) const;

  private:
    std::string file_;
    std::map<std::string, Origin> overrides_;
};

class Reporter {
  public:
    explicit Reporter(const Sources& sources) : sources_(&sources) {}
    void error(const std::string& path, const YAML::Mark& mark, const std::string& message);
    /// A valid input that is most likely not what was meant (see LoadedScenario::warnings).
    void warn(const std::string& path, const YAML::Mark& mark, const std::string& message);
    [[nodiscard]] bool ok() const { return diagnostics_.empty(); }
    [[nodiscard]] const std::vector<Diagnostic>& warnings() const { return warnings_; }
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
    [[nodiscard]] const Sources& sources() const { return *sources_; }
    /// Marks of every value read, by dotted path, for checks across sections.
    std::map<std::string, YAML::Mark> marks;
    /// Where an error about something absent points (the file's first node), so that every
    /// diagnostic from the file has a line and a column.
    YAML::Mark fallback = YAML::Mark::null_mark();

  private:
    [[nodiscard]] Diagnostic at(const std::string& path, const YAML::Mark& mark,
                                const std::string& message) const;
    const Sources* sources_;
    std::vector<Diagnostic> diagnostics_, warnings_;
};

/// The longest text value of a scenario or experiment, in bytes.
inline constexpr std::size_t kMaxTextBytes = 10000;
/// The longest scenario or experiment name: it becomes part of file names.
inline constexpr std::size_t kMaxNameBytes = 100;

/// The closest of `candidates` to `word` if close enough to be a likely typo, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

class ReadVisitor {
  public:
    ReadVisitor(const YAML::Node& map, std::string path, Reporter& reporter);

    void number(const core::Param& p, double& out);
    void integer(const core::Param& p, std::int64_t& out);
    void text(const core::Param& p, std::string& out);
    void flag(const core::Param& p, bool& out);
    void month(const core::Param& p, core::YearMonth& out);
    void codes(const core::Param& p, std::vector<std::string>& out);
    /// A list of numbers, each within the range of `p`.
    void series(const core::Param& p, std::vector<double>& out);
    void choice(const core::Param& p, std::string& out, const std::vector<std::string>& allowed);

    template <class T> void section(const char* key, const char*, T& out) {
        const YAML::Node* n = take(key);
        if (!n) return;
        if (!n->IsMap()) {
            if (n->IsNull()) return; // an empty section keeps its defaults
            reporter_->error(child_path(key), n->Mark(), std::string("'") + key + "' must be a map");
            return;
        }
        ReadVisitor sub(*n, child_path(key), *reporter_);
        visit(sub, out);
        sub.finish();
    }

    template <class T> void list(const char* key, const char*, std::vector<T>& out) {
        const YAML::Node* n = take(key);
        if (!n) return;
        if (n->IsNull()) return;
        if (!n->IsSequence()) {
            reporter_->error(child_path(key), n->Mark(), std::string("'") + key + "' must be a list");
            return;
        }
        out.clear();
        for (std::size_t i = 0; i < n->size(); ++i) {
            const YAML::Node item = (*n)[i];
            const std::string p = child_path(key) + "." + std::to_string(i);
            if (!item.IsMap()) {
                reporter_->error(p, item.Mark(), "each item of '" + std::string(key) + "' must be a map");
                continue;
            }
            T value{};
            ReadVisitor sub(item, p, *reporter_);
            visit(sub, value);
            sub.finish();
            out.push_back(std::move(value));
        }
    }

    /// Reports unknown and missing required keys; call after visiting.
    void finish();

  private:
    struct Entry {
        std::string key;
        YAML::Node key_node, value;
        bool used = false;
    };
    const YAML::Node* take(const char* key);
    const YAML::Node* scalar(const core::Param& p);
    [[nodiscard]] std::string child_path(const std::string& key) const {
        return path_.empty() ? key : path_ + "." + key;
    }
    void out_of_range(const core::Param& p, const YAML::Node& n, const std::string& shown);
    /// Reads scalar node `n` as a number within the range of `p`; reports an error at `path`.
    bool number_at(const core::Param& p, const YAML::Node& n, const std::string& path, double& out);

    YAML::Node map_;
    std::string path_;
    Reporter* reporter_;
    std::vector<Entry> entries_;
    std::vector<std::string> known_;
    std::vector<std::string> missing_;
    bool lenient_unknown_ = false; // after an invalid 'kind', other keys cannot be judged
};

} // namespace bridges::io
