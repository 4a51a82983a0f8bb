#pragma once
/// Structured tracing of what the loop does: tasks created, resumed, suspended
/// and finished, callbacks run, timers scheduled, fired and cancelled, I/O.
///
/// Off by default; when off, each hook costs one predictable branch. Turn it on
/// with `loop.set_tracer(...)`; `TraceRecorder` keeps events in memory and
/// writes them as JSON Lines or as Chrome Trace Event JSON (Perfetto).
#include <cstdint>
#include <string>

namespace aio {

enum class TraceKind : std::uint8_t {
  task_created,
  task_resumed,
  task_suspended,
  task_done,       // finished with a result
  task_failed,     // finished with an exception
  task_cancelled,  // finished cancelled
  callback_run,
  timer_scheduled,
  timer_fired,
  timer_cancelled,
  io_ready,
};

/// The name used in the JSON output ("task_created", ...).
const char* trace_kind_name(TraceKind kind) noexcept;

struct TraceEvent {
  double time = 0;        // loop.time() when it happened
  TraceKind kind{};
  std::uint64_t id = 0;   // task id, or handle sequence number for callbacks/timers
  std::string name;       // task name, or what the callback is
  std::string detail;     // what a task waits on, a timer's deadline, an error ...
};

/// Receives trace events. Implementations must not call back into the loop.
class Tracer {
 public:
  virtual ~Tracer() = default;
  virtual void record(TraceEvent event) = 0;
};

}  // namespace aio
