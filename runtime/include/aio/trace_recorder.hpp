#pragma once
/// aio::TraceRecorder: keeps a loop's trace events in memory and writes them
/// as JSON Lines or as Chrome Trace Event JSON (opens in Perfetto and
/// chrome://tracing).
///
/// Usage: `aio::TraceRecorder rec; loop.set_tracer(&rec); ... ; rec.write(out,
/// aio::TraceFormat::chrome);`. The recorder must outlive the loop's use of it.
///
/// Both formats give times as integer microseconds of loop time, and ids are
/// task numbers and handle sequence numbers, never addresses: a program run on
/// the virtual clock gives the same bytes on every run and on every platform.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aio/trace.hpp"

namespace aio {

/// The two output formats of TraceRecorder.
enum class TraceFormat {
  /// One JSON object per line and event: {"t","kind","id","name","detail"}.
  jsonl,
  /// Chrome Trace Event JSON: a lane per task, one "X" slice per step.
  chrome,
};

/// "jsonl" or "chrome" to a TraceFormat; nullopt for anything else.
std::optional<TraceFormat> parse_trace_format(std::string_view name) noexcept;

/// Loop time in seconds as integer microseconds, the unit of both formats
/// (rounded to nearest, so 0.1 s is 100000 whatever the float error).
long long trace_time_us(double seconds) noexcept;

/// Appends `event` to `out` as one line of the JSON Lines format (what
/// TraceRecorder::to_jsonl() writes for it), ending in '\n': for tracers that
/// stream events instead of storing them.
void append_jsonl(std::string& out, const TraceEvent& event);

/// A Tracer that stores every event it is given, in order. Belongs to the
/// thread of the loop it records (the loop calls record() on its thread).
class TraceRecorder final : public Tracer {
 public:
  void record(TraceEvent event) override;

  /// The events recorded so far, oldest first.
  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  void clear() noexcept { events_.clear(); }

  /// The events as JSON Lines: one object per event, each line ending in '\n'.
  std::string to_jsonl() const;
  /// The events as a Chrome Trace Event JSON document (see TraceFormat::chrome).
  std::string to_chrome_json() const;
  /// to_jsonl() or to_chrome_json().
  std::string to_string(TraceFormat format) const;
  /// Writes to_string(format) to `out`.
  void write(std::ostream& out, TraceFormat format) const;

 private:
  std::vector<TraceEvent> events_;
};

}  // namespace aio
