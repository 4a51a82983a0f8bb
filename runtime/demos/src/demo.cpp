#include "aio/demos/demo.hpp"

#include <cerrno>
#include <cstdlib>

#include "aio/config.hpp"
#include "aio/errors.hpp"

namespace aio::demos {

// Defined in the group files; each appends its demos in tutorial order.
void add_basics_demos(std::vector<Demo>& out);
void add_combinators_demos(std::vector<Demo>& out);
void add_cancellation_demos(std::vector<Demo>& out);
void add_synchronisation_demos(std::vector<Demo>& out);
void add_queues_demos(std::vector<Demo>& out);
void add_threads_demos(std::vector<Demo>& out);
#ifdef __EMSCRIPTEN__
void add_web_io_demos(std::vector<Demo>& out);  // browser I/O: fetch, WebSocket
#endif

namespace {

// The conformance harness's exception handler (tests/conformance/py/harness.py):
// one line, "[exception handler] message | Type: msg", with the handle's repr
// cut from "Exception in callback ...".
void harness_exception_handler(DemoContext& ctx, const ExceptionContext& context) {
  std::string message = context.message;
  if (message.rfind("Exception in callback", 0) == 0) message = "Exception in callback";
  std::string line = "[exception handler] " + message;
  if (context.exception) line += " | " + describe_exception(context.exception);
  ctx.print_line(line);
}

}  // namespace

DemoContext::DemoContext(const Demo& demo, const RunOptions& options) : demo_(demo), options_(options) {}

// Runners close their loops before the loops they own are destroyed; loops
// made by new_loop() close themselves.
DemoContext::~DemoContext() = default;

void DemoContext::print_line(std::string_view line) {
  if (!options_.output) return;
  if (!options_.timestamps) {
    options_.output(line);
    return;
  }
  EventLoop* loop = try_get_running_loop();
  if (!loop) loop = last_loop_;
  std::string stamped = py::fixed(loop ? loop->time() : 0.0, 3);
  stamped += ' ';
  stamped += line;
  options_.output(stamped);
}

const std::string* DemoContext::find_param(std::string_view name) const {
  auto it = options_.params.find(std::string(name));
  return it == options_.params.end() ? nullptr : &it->second;
}

void DemoContext::setup(EventLoop& loop) {
  loop.set_tracer(options_.tracer);
  loop.set_exception_handler([this](EventLoop&, const ExceptionContext& c) { harness_exception_handler(*this, c); });
  last_loop_ = &loop;
}

EventLoop& DemoContext::new_loop() {
  EventLoop::Options o;
  o.clock = options_.clock;
  loops_.push_back(std::make_unique<EventLoop>(o));
  setup(*loops_.back());
  return *loops_.back();
}

Runner& DemoContext::new_runner() {
  EventLoop::Options o;
  o.clock = options_.clock;
  runners_.push_back(std::make_unique<Runner>(o));
  setup(runners_.back()->get_loop());
  return *runners_.back();
}

void DemoContext::close_quietly(Runner& runner) noexcept {
  try {
    runner.close();
  } catch (...) {
    // The error being propagated is the one to report.
  }
}

const char* param_kind_name(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::integer: return "integer";
    case ParamKind::number: return "number";
    case ParamKind::text: return "text";
    case ParamKind::flag: return "flag";
  }
  return "?";
}

bool parse_param(ParamKind kind, const std::string& text, long long* as_integer, double* as_number, bool* as_flag) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  switch (kind) {
    case ParamKind::integer: {
      long long v = std::strtoll(begin, &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) return false;
      *as_integer = v;
      return true;
    }
    case ParamKind::number: {
      double v = std::strtod(begin, &end);
      if (text.empty() || *end != '\0' || errno == ERANGE) return false;
      *as_number = v;
      return true;
    }
    case ParamKind::flag:
      if (text == "true" || text == "True" || text == "1" || text == "yes") {
        *as_flag = true;
        return true;
      }
      if (text == "false" || text == "False" || text == "0" || text == "no") {
        *as_flag = false;
        return true;
      }
      return false;
    case ParamKind::text: return true;
  }
  return false;
}

const std::vector<Demo>& all() {
  static const std::vector<Demo> demos = [] {
    std::vector<Demo> v;
    add_basics_demos(v);
    add_combinators_demos(v);
    add_cancellation_demos(v);
    add_synchronisation_demos(v);
    add_queues_demos(v);
#if AIO_HAS_THREADS
    // Without threads they could only fail (run_in_executor raises), so a
    // build without them does not list them.
    add_threads_demos(v);
#endif
#ifdef __EMSCRIPTEN__
    add_web_io_demos(v);
#endif
    return v;
  }();
  return demos;
}

const Demo* find(std::string_view name) {
  for (const Demo& d : all())
    if (d.name == name) return &d;
  return nullptr;
}

const std::vector<UnavailableDemo>& unavailable() {
  static const std::vector<UnavailableDemo> list = [] {
    std::vector<UnavailableDemo> v;
#if !AIO_HAS_THREADS
    std::vector<Demo> threads;
    add_threads_demos(threads);
    for (const Demo& d : threads)
      v.push_back({d.name, "it needs threads (executors, run_coroutine_threadsafe) and this build has none "
                           "(AIO_HAS_THREADS is 0: WebAssembly without -pthread)"});
#endif
    return v;
  }();
  return list;
}

std::string missing_demo_message(std::string_view name) {
  for (const UnavailableDemo& u : unavailable())
    if (u.name == name) return "demo '" + u.name + "' cannot run in this build: " + u.reason;
  return "unknown demo '" + std::string(name) + "': `aio list` shows the demos there are";
}

int run_demo(std::string_view name, const RunOptions& options) {
  const Demo* demo = find(name);
  if (!demo) {
    if (options.error) options.error(missing_demo_message(name));
    return exit_usage;
  }
  return run_demo(*demo, options);
}

std::string check_params(const Demo& demo, const std::map<std::string, std::string>& params) {
  for (const auto& [key, value] : params) {
    const Param* declared = nullptr;
    for (const Param& p : demo.params)
      if (p.name == key) declared = &p;
    if (!declared) {
      std::string known;
      for (const Param& p : demo.params) known += (known.empty() ? "" : ", ") + p.name;
      return "demo '" + demo.name + "' has no parameter '" + key + "' (" +
             (known.empty() ? std::string("it takes none") : "it takes: " + known) + ")";
    }
    long long i;
    double d;
    bool b;
    if (!parse_param(declared->kind, value, &i, &d, &b))
      return "parameter '" + key + "' of demo '" + demo.name + "' must be a " + param_kind_name(declared->kind) +
             ", not '" + value + "'";
  }
  return {};
}

int run_demo(const Demo& demo, const RunOptions& options) {
  if (std::string problem = check_params(demo, options.params); !problem.empty()) {
    if (options.error) options.error(problem);
    return exit_usage;
  }

  DemoContext ctx(demo, options);
  try {
    if (demo.main)
      ctx.run(demo.main(ctx));
    else if (demo.program)
      demo.program(ctx);
  } catch (const KeyboardInterrupt&) {
    // Ctrl-C: the Runner cancelled the demo and its cleanup ran.
    if (options.error) options.error("KeyboardInterrupt");
    return exit_cancelled;
  } catch (...) {
    if (options.error) options.error(describe_exception(std::current_exception()));
    return exit_failed;
  }
  return exit_ok;
}

}  // namespace aio::demos
