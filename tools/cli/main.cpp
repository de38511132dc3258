// The bridges command line (README.md, Command line).
// Exit codes: 0 success; 2 invalid input (nothing written); 1 failure while running or writing.

#include "bridges_version.hpp"
#include "core/base/errors.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_reference.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"
#include "study/batch.hpp"
#include "study/calibrate.hpp"
#include "study/compare.hpp"
#include "study/experiment.hpp"
#include "study/facts.hpp"
#include "study/run.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <iostream>

namespace {

int report(const bridges::ScenarioError& e) {
    for (const auto& d : e.diagnostics())
        std::cerr << d.to_string() << "\n";
    std::cerr << e.diagnostics().size() << " error(s); nothing was written\n";
    return 2;
}

/// The synthetic baseline: scenarios/baseline.yaml of the working directory, else of the source
/// tree this program was built from.
std::string default_baseline() {
    const std::string here = "scenarios/baseline.yaml";
    if (std::filesystem::exists(here)) return here;
    return std::string(BRIDGES_SOURCE_DIR) + "/" + here;
}

} // namespace

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f, a quota) a write must fail with EFBIG, to be reported
    // with exit code 1 and the partial file removed, instead of the signal killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"Bridges: diaspora resource flows, from a scenario file to an HDF5 time series"};
    app.set_version_flag("--version",
                         std::string("bridges ") + BRIDGES_VERSION + " (" + BRIDGES_GIT_COMMIT + ")");
    app.require_subcommand(1);

    bridges::study::RunOptions run;
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
    cmd_run->add_flag(
        "--strict", run.strict,
        "treat warnings (a lever or shock that never acts in the run's months) as errors: exit 2");
    cmd_run->add_option("--report", run.report_path,
                        "also write the run's timings, sizes, peak memory and memory traffic per "
                        "member-step as JSON to this file (tools/bench reads it)");
    auto* opt_every = cmd_run
                          ->add_option("--checkpoint-every", run.checkpoint_every,
                                       "write a checkpoint every M months (bridges resume continues from it)")
                          ->check(CLI::Range(1, 1200));
    auto* opt_ckdir = cmd_run->add_option("--checkpoint-dir", run.checkpoint_dir,
                                          "directory of the run's checkpoint (created; must not hold one)");
    opt_every->needs(opt_ckdir);
    opt_ckdir->needs(opt_every);

    std::string resume_dir;
    int resume_threads = 0;
    bool resume_quiet = false;
    auto* cmd_resume = app.add_subcommand(
        "resume", "continue a run from its checkpoint; the output is as if it had never stopped");
    cmd_resume->add_option("dir", resume_dir, "the run's --checkpoint-dir")->required();
    cmd_resume->add_option("--threads", resume_threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    cmd_resume->add_flag("-q,--quiet", resume_quiet, "no progress bar");

    std::string validate_path;
    std::vector<std::string> validate_sets;
    auto* cmd_validate =
        app.add_subcommand("validate", "check a scenario or experiment file without running it");
    cmd_validate->add_option("file", validate_path, "scenario or experiment file (YAML)")->required();
    cmd_validate->add_option("--set", validate_sets, "override a scalar: PATH=VALUE (repeatable)");
    bool validate_strict = false;
    cmd_validate->add_flag(
        "--strict", validate_strict,
        "treat warnings (a lever or shock that never acts in the run's months) as errors: exit 2");

    std::string inspect_path;
    auto* cmd_inspect =
        app.add_subcommand("inspect", "print an output file's metadata, dimensions and variables");
    cmd_inspect->add_option("file", inspect_path, "output file (HDF5)")->required();

    std::string resolve_path;
    bool params_outputs = false;
    auto* cmd_params = app.add_subcommand(
        "params",
        "print the reference of every scenario key, or with --outputs of every output variable (Markdown)");
    cmd_params->add_flag("--outputs", params_outputs,
                         "the output variables instead (the Variables section of docs/output.md)");
    auto* cmd_resolve = app.add_subcommand(
        "resolve", "print a scenario, or one arm of an experiment, with every default filled in");
    cmd_resolve->add_option("file", resolve_path, "scenario or experiment file (YAML)")->required();
    cmd_resolve->add_option("--set", validate_sets, "override a scalar: PATH=VALUE (repeatable)");
    bridges::study::ArmChoice resolve_arm;
    cmd_resolve->add_option("--arm", resolve_arm.arm,
                            "an experiment's arm to print (required for an experiment)");
    cmd_resolve->add_option("--point", resolve_arm.point, "its sweep point, by index (default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{99999}));
    cmd_resolve
        ->add_option("--replicate", resolve_arm.replicate, "its replicate, which sets the seed (default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{999999}));

    bridges::study::BatchOptions batch;
    auto* cmd_batch = app.add_subcommand(
        "batch", "run every run of an experiment (arms x sweep points x replications) into a directory");
    cmd_batch->add_option("experiment", batch.experiment_path, "experiment file (YAML)")->required();
    cmd_batch->add_option("-o,--output", batch.dir,
                          "batch directory (manifest, runs/, index.h5); required unless --dry-run");
    cmd_batch->add_option("--jobs", batch.jobs, "runs at once (default 1)")->check(CLI::Range(1, 4096));
    cmd_batch
        ->add_option("--threads", batch.threads,
                     "threads per run (default: the cores divided among the jobs)")
        ->check(CLI::Range(1, 4096));
    cmd_batch->add_option(
        "--shard", batch.shard,
        "I/N: only the runs whose manifest index mod N is I (default: the Slurm array task, "
        "if any)");
    cmd_batch->add_flag("--resume", batch.resume,
                        "keep complete runs whose manifest line is unchanged; redo the rest");
    cmd_batch->add_flag("--dry-run", batch.dry_run, "print the manifest and run nothing");
    cmd_batch->add_option("--set", batch.sets, "override a scalar in every run: PATH=VALUE (repeatable)");
    cmd_batch->add_flag("-q,--quiet", batch.quiet, "no progress bar");
    cmd_batch->add_flag(
        "--strict", batch.strict,
        "treat warnings (a lever or shock that never acts in the run's months) as errors: exit 2");
    cmd_batch
        ->add_option("--checkpoint-every", batch.checkpoint_every,
                     "each run writes a checkpoint every M months into DIR/checkpoints/<run id>; a "
                     "run killed after one continues from it when the batch is resumed")
        ->check(CLI::Range(1, 1200));

    std::string index_dir;
    auto* cmd_index = app.add_subcommand("index", "rebuild DIR/index.h5 from the manifest and the run files");
    cmd_index->add_option("dir", index_dir, "batch directory")->required();

    bridges::study::CompareOptions compare;
    auto* cmd_compare =
        app.add_subcommand("compare", "paired policy effects of a batch with confidence intervals");
    cmd_compare->add_option("dir", compare.dir, "batch directory")->required();
    cmd_compare->add_option("--baseline", compare.baseline,
                            "reference arm (default: the experiment's baseline)");
    cmd_compare->add_option("--metric", compare.metrics,
                            "NAME (a /global variable) or NAME@ISO3 (a /countries variable); repeatable; "
                            "default: the main flows and the programme cost");
    cmd_compare->add_option("--over", compare.over,
                            "the period compared: run (default) or a year YYYY; flows are summed over it, "
                            "levels and means averaged");
    cmd_compare->add_option("--at", compare.at,
                            "one month instead of a period: final (the last month) or YYYY-MM "
                            "(cumulative: the same as --over run)");
    cmd_compare->add_option("--format", compare.format, "table, csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}))
        ->capture_default_str();
    cmd_compare->add_option("--confidence", compare.confidence, "confidence level of the intervals")
        ->capture_default_str();

    bridges::study::CalibrateOptions calib;
    auto* cmd_calibrate = app.add_subcommand(
        "calibrate",
        "fit global behaviour parameters of a world scenario to the World Bank's 2017 corridor estimates");
    cmd_calibrate->add_option("scenario", calib.scenario_path, "scenario file with a 'world' block")
        ->required();
    cmd_calibrate->add_option("-o,--output", calib.overlay_path,
                              "overlay file to write (default out/<scenario name>_calibration.yaml)");
    cmd_calibrate->add_option("--set", calib.overrides, "override a scalar: PATH=VALUE (repeatable)");
    cmd_calibrate->add_option("--threads", calib.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    cmd_calibrate
        ->add_option("--months", calib.months,
                     "months simulated (annualised) and compared with the 2017 estimates")
        ->check(CLI::Range(1, 1200))
        ->capture_default_str();
    cmd_calibrate
        ->add_option("--max-iterations", calib.max_iterations, "Levenberg-Marquardt iterations at most")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd_calibrate
        ->add_option("--min-members", calib.min_members, "corridors with fewer members are not fitted")
        ->check(CLI::Range(1.0, 1e9))
        ->capture_default_str();
    auto* per_corridor =
        cmd_calibrate->add_flag("--per-corridor", calib.per_corridor,
                                "then fit one propensity per corridor with an estimate (a fit, not a "
                                "prediction); writes <overlay>_propensity.csv and names it in the overlay");
    cmd_calibrate
        ->add_flag("--history", calib.history,
                   "fit to the remittances recorded in 2010-2019 (a world.history scenario that starts "
                   "by 2008-01, run from its start to 2019-12): the parameters that move remittances from "
                   "year to year and one "
                   "level factor per origin (docs/history.md); writes the overlay and "
                   "<overlay>_propensity.csv")
        ->excludes(per_corridor);
    cmd_calibrate
        ->add_option("--per-corridor-iterations", calib.per_corridor_iterations,
                     "multiplicative updates of the per-corridor propensities (with --per-corridor)")
        ->check(CLI::Range(1, 100))
        ->needs(per_corridor)
        ->capture_default_str();

    bridges::study::FactsOptions facts;
    auto* cmd_facts = app.add_subcommand(
        "facts",
        "measure the facts of docs/model.md section 8 (fact, target, simulated, pass); exit 1 if one fails");
    cmd_facts->add_option(
        "--world", facts.scenario_path,
        "scenario to measure them on, e.g. scenarios/world/baseline_2017.yaml (default: the "
        "synthetic scenarios/baseline.yaml)");
    cmd_facts->add_option("--set", facts.overrides, "override a scalar: PATH=VALUE (repeatable)");
    cmd_facts->add_option("--threads", facts.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    cmd_facts->add_option("--fact", facts.only, "measure only this fact (1-9)")
        ->check(CLI::Range(1, bridges::study::kFacts));
    cmd_facts->add_option("--format", facts.format, "table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();

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
            bridges::study::run_scenario(run, std::cout);
        } else if (*cmd_resume) {
            bridges::study::resume_run(resume_dir, resume_threads, resume_quiet, true, std::cout);
        } else if (*cmd_validate) {
            if (bridges::study::is_experiment_file(validate_path)) {
                const auto e = bridges::study::load_experiment(validate_path, validate_sets);
                bridges::study::report_warnings(e.warnings, validate_strict, std::cerr);
                std::cout << "ok: experiment " << e.name << ", "
                          << e.arms.size() * e.points.size() * static_cast<std::size_t>(e.replications)
                          << " runs (" << e.arms.size() << " arm(s) x " << e.points.size()
                          << " sweep point(s) x " << e.replications << " replicate(s))\n";
            } else {
                const auto loaded = bridges::io::load_scenario(validate_path, validate_sets);
                bridges::study::report_warnings(loaded.warnings, validate_strict, std::cerr);
                std::cout << "ok" << (loaded.warnings.empty() ? "" : " (with warnings)") << "\n";
            }
        } else if (*cmd_batch) {
            if (batch.dir.empty() && !batch.dry_run) {
                std::cerr << "error: batch needs -o DIR (the batch directory)\n";
                return 2;
            }
            return bridges::study::run_batch(batch, std::cout);
        } else if (*cmd_index) {
            return bridges::study::rebuild_index(index_dir, std::cout);
        } else if (*cmd_calibrate) {
            if (calib.history)
                bridges::study::calibrate_history(calib, std::cout);
            else
                bridges::study::calibrate(calib, std::cout);
        } else if (*cmd_facts) {
            if (facts.scenario_path.empty()) facts.scenario_path = default_baseline();
            return bridges::study::run_facts(facts, std::cout);
        } else if (*cmd_compare) {
            bridges::study::print_comparison(bridges::study::compare_batch(compare), compare.format,
                                             std::cout);
        } else if (*cmd_inspect) {
            bridges::io::inspect_output(inspect_path, std::cout);
        } else if (*cmd_params) {
            std::cout << (params_outputs ? bridges::io::output_reference()
                                         : bridges::io::parameter_reference());
        } else if (*cmd_resolve) {
            if (bridges::study::is_experiment_file(resolve_path))
                std::cout << bridges::io::emit_resolved(
                    bridges::study::resolve_arm(resolve_path, validate_sets, resolve_arm).scenario);
            else if (!resolve_arm.arm.empty())
                throw bridges::ScenarioError(
                    {{resolve_path, 0, 0, "--arm names an arm of an experiment; this is a scenario file"}});
            else
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
