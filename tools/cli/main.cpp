// The bridges command line (INTERFACES.md section 1).
// Exit codes: 0 success; 2 invalid input (nothing written); 1 failure while running or writing.

#include "bridges_version.hpp"
#include "core/errors.hpp"
#include "io/hdf5_writer.hpp"
#include "io/run.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

int report(const bridges::ScenarioError& e) {
    for (const auto& d : e.diagnostics())
        std::cerr << d.to_string() << "\n";
    std::cerr << e.diagnostics().size() << " error(s); nothing was written\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Bridges: diaspora resource flows, from a scenario file to an HDF5 time series"};
    app.set_version_flag("--version",
                         std::string("bridges ") + BRIDGES_VERSION + " (" + BRIDGES_GIT_COMMIT + ")");
    app.require_subcommand(1);

    bridges::io::RunOptions run;
    std::int64_t seed = 0, months = 0;
    auto* cmd_run = app.add_subcommand("run", "run one simulation and write OUT.h5");
    cmd_run->add_option("scenario", run.scenario_path, "scenario file (YAML)")->required();
    cmd_run->add_option("-o,--output", run.output_path, "output file (default out/<scenario name>.h5)");
    cmd_run->add_option("--threads", run.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    auto* opt_seed = cmd_run->add_option("--seed", seed, "random seed (overrides the scenario's)")
                         ->check(CLI::Range(0LL, 4294967295LL));
    auto* opt_months =
        cmd_run->add_option("--months", months, "months to simulate (overrides the scenario's)")
            ->check(CLI::Range(1, 1200));
    cmd_run->add_option("--set", run.overrides, "override a scalar: PATH=VALUE (repeatable)");
    cmd_run->add_flag("-q,--quiet", run.quiet, "no progress bar");

    std::string validate_path;
    std::vector<std::string> validate_sets;
    auto* cmd_validate = app.add_subcommand("validate", "check a scenario file without running it");
    cmd_validate->add_option("file", validate_path, "scenario file (YAML)")->required();
    cmd_validate->add_option("--set", validate_sets, "override a scalar: PATH=VALUE (repeatable)");

    std::string inspect_path;
    auto* cmd_inspect =
        app.add_subcommand("inspect", "print an output file's metadata, dimensions and variables");
    cmd_inspect->add_option("file", inspect_path, "output file (HDF5)")->required();

    std::string resolve_path;
    auto* cmd_params = app.add_subcommand("params", "print the reference of every scenario key (Markdown)");
    auto* cmd_resolve = app.add_subcommand("resolve", "print a scenario with every default filled in");
    cmd_resolve->add_option("file", resolve_path, "scenario file (YAML)")->required();
    cmd_resolve->add_option("--set", validate_sets, "override a scalar: PATH=VALUE (repeatable)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }

    try {
        if (*cmd_run) {
            if (*opt_seed) run.seed = seed;
            if (*opt_months) run.months = months;
            bridges::io::run_scenario(run, std::cout);
        } else if (*cmd_validate) {
            bridges::io::load_scenario(validate_path, validate_sets);
            std::cout << "ok\n";
        } else if (*cmd_inspect) {
            bridges::io::inspect_output(inspect_path, std::cout);
        } else if (*cmd_params) {
            std::cout << bridges::io::parameter_reference();
        } else if (*cmd_resolve) {
            std::cout << bridges::io::emit_resolved(
                bridges::io::load_scenario(resolve_path, validate_sets).scenario);
        }
    } catch (const bridges::ScenarioError& e) {
        return report(e);
    } catch (const bridges::DataError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
