// aio: the command-line face of the runtime.
//
//   aio list [--json]                the demos: name, group, title (--json: everything, for tools)
//   aio show DEMO                    what a demo shows, and its parameters
//   aio run DEMO [--clock virtual|real] [--trace FILE] [--trace-format jsonl|chrome]
//                [--param k=v ...] [--timestamps]
//
// Exit status: 0 on success, 1 when the demo raised, 2 for usage errors (an
// unknown demo, a bad flag or parameter). CLI11 gives parse errors codes of
// its own (106, 109, ...); they are all mapped to 2 here, like argparse.
//
// The same file builds the WebAssembly CLI, aio.js (`node aio.js run ...`),
// which runs demos on the browser host without blocking (run_demo_async);
// tests/parity compares the two.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "aio/demos/demo.hpp"
#include "aio/trace_recorder.hpp"

#ifdef AIO_CLI_NET
#include "net_commands.hpp"  // aio run http-get, aio serve ...
#endif

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include "aio/demos/run_async.hpp"
#endif

namespace {

constexpr int kUsage = aio::demos::exit_usage;

// Lines are flushed one by one so that a real-clock demo shows its progress
// as it happens, also when stdout is a pipe.
void write_line(std::FILE* stream, std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fputc('\n', stream);
  std::fflush(stream);
}

void error(std::string_view message) {
  std::string line = "aio: ";
  line += message;
  write_line(stderr, line);
}

int list_demos(bool scenarios) {
  const auto& demos = aio::demos::all();
  std::size_t name_width = 0, group_width = 0;
  for (const auto& d : demos) {
    name_width = std::max(name_width, d.name.size());
    group_width = std::max(group_width, d.group.size());
  }
  for (const auto& d : demos) {
    std::string line = d.name + std::string(name_width - d.name.size() + 2, ' ');
    if (scenarios) {
      line += d.scenario.empty() ? "-" : d.scenario;  // "-": no CPython twin
    } else {
      line += d.group + std::string(group_width - d.group.size() + 2, ' ') + d.title;
    }
    write_line(stdout, line);
  }
  return 0;
}

// Everything `aio show` says about every demo, as one JSON array: the
// playground's build reads it to bundle the demos' descriptions.
int list_demos_json() {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& d : aio::demos::all()) {
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (const auto& p : d.params)
      params.push_back({{"name", p.name},
                        {"kind", aio::demos::param_kind_name(p.kind)},
                        {"default", p.default_value},
                        {"help", p.help}});
    out.push_back({{"name", d.name},
                   {"title", d.title},
                   {"group", d.group},
                   {"summary", d.summary},
                   {"scenario", d.scenario},
                   {"style", d.main ? "main" : "program"},
                   {"params", params}});
  }
  write_line(stdout, out.dump(2));
  return 0;
}

int show_demo(const std::string& name) {
  const aio::demos::Demo* d = aio::demos::find(name);
  if (!d) {
    error(aio::demos::missing_demo_message(name));
    return kUsage;
  }
  write_line(stdout, d->name + " (" + d->group + "): " + d->title);
  write_line(stdout, d->summary);
  if (d->scenario.empty())
    write_line(stdout, "CPython twin: none");
  else
    write_line(stdout, "CPython twin: tests/conformance/py/scenarios/" + d->scenario + ".py");
  if (d->params.empty()) write_line(stdout, "parameters: none");
  for (const auto& p : d->params)
    write_line(stdout, "  --param " + p.name + "=" + p.default_value + "  (" +
                           aio::demos::param_kind_name(p.kind) + ") " + p.help);
  return 0;
}

// Where the trace goes once the demo is over.
struct TraceOutput {
  std::unique_ptr<aio::TraceRecorder> recorder;
  std::ofstream out;
  std::string file;
  std::string format;
};

// Writes the trace, if any; returns the exit status.
int finish_run(int status, TraceOutput& trace) {
  if (trace.recorder) {
    trace.recorder->write(trace.out, *aio::parse_trace_format(trace.format));
    trace.out.close();
    if (!trace.out) {
      error("error writing the trace to '" + trace.file + "'");
      if (status == 0) status = 1;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef AIO_CLI_NET
  if (int status = aio::cli::net_main(argc, argv); status >= 0) return status;
#endif
  CLI::App app{"aio: Python's asyncio as a C++20 coroutine runtime. Runs the tutorial demos.", "aio"};
  app.set_version_flag("--version", std::string("aio ") + AIO_VERSION);
  app.require_subcommand(1);
#ifdef AIO_CLI_NET
  app.footer(
      "Network commands (see `aio serve --help`):\n"
      "  aio run http-get URL\n"
      "  aio serve echo|chat|http [--host H] [--port N] [--threads K] [--drain S]");
#endif

  bool list_scenarios = false;
  CLI::App* list = app.add_subcommand("list", "List the demos: name, group and title");
  list->add_flag("--scenarios", list_scenarios, "Show each demo's CPython scenario instead");
  bool list_json = false;
  list->add_flag("--json", list_json, "Everything about every demo, as JSON (for tools)");

  std::string show_name;
  CLI::App* show = app.add_subcommand("show", "Describe a demo and its parameters");
  show->add_option("DEMO", show_name, "The demo to describe")->required();

  std::string demo_name;
  std::string clock = "real";
  std::string trace_file;
  std::string trace_format = "chrome";
  std::vector<std::string> params;
  bool timestamps = false;
  CLI::App* run = app.add_subcommand("run", "Run a demo");
  run->add_option("DEMO", demo_name, "The demo to run (see `aio list`)")->required();
  run->add_option("--clock", clock, "virtual: time jumps to the next timer (instant, reproducible); real: wall clock")
      ->check(CLI::IsMember({"virtual", "real"}))
      ->capture_default_str();
  run->add_option("--trace", trace_file, "Write a trace of the loop's events to FILE")->type_name("FILE");
  run->add_option("--trace-format", trace_format, "jsonl: one event per line; chrome: for Perfetto / chrome://tracing")
      ->check(CLI::IsMember({"jsonl", "chrome"}))
      ->capture_default_str();
  run->add_option("--param", params, "Set a demo parameter (repeatable): --param delay=2")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  run->add_flag("--timestamps", timestamps, "Prefix each line with the loop time (\"%.3f \")");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and a hint to stderr
    return kUsage;
  }

  if (list->parsed()) return list_json ? list_demos_json() : list_demos(list_scenarios);
  if (show->parsed()) return show_demo(show_name);

  aio::demos::RunOptions options;
  options.clock = clock == "virtual" ? aio::Clock::virtual_time : aio::Clock::real;
  options.timestamps = timestamps;
  options.output = [](std::string_view line) { write_line(stdout, line); };
  options.error = error;
  for (const std::string& p : params) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      error("--param needs KEY=VALUE, got '" + p + "'");
      return kUsage;
    }
    options.params[p.substr(0, eq)] = p.substr(eq + 1);
  }

  TraceOutput trace{nullptr, {}, trace_file, trace_format};
  if (!trace_file.empty()) {
    // Opened before the demo runs so that a bad path is a usage error, not
    // lost work.
    trace.out.open(trace_file, std::ios::binary | std::ios::trunc);
    if (!trace.out) {
      error("cannot write the trace to '" + trace_file + "'");
      return kUsage;
    }
    trace.recorder = std::make_unique<aio::TraceRecorder>();
    options.tracer = trace.recorder.get();
  }

#ifdef __EMSCRIPTEN__
  // The WebAssembly build (aio.js, run by node) runs the demo on the browser
  // host, in slices from Node's event loop, as a page does, instead of
  // blocking in run_demo(). main() returns to JS at once, keeping the runtime
  // alive; the process exits when the demo is over.
  auto* pending = new TraceOutput(std::move(trace));
  aio::demos::run_demo_async(demo_name, std::move(options), [pending](int status) {
    emscripten_force_exit(finish_run(status, *pending));
  });
  emscripten_exit_with_live_runtime();
#else
  return finish_run(aio::demos::run_demo(demo_name, options), trace);
#endif
}
