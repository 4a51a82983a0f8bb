#include "aio/trace.hpp"

namespace aio {

const char* trace_kind_name(TraceKind kind) noexcept {
  switch (kind) {
    case TraceKind::task_created: return "task_created";
    case TraceKind::task_resumed: return "task_resumed";
    case TraceKind::task_suspended: return "task_suspended";
    case TraceKind::task_done: return "task_done";
    case TraceKind::task_failed: return "task_failed";
    case TraceKind::task_cancelled: return "task_cancelled";
    case TraceKind::callback_run: return "callback_run";
    case TraceKind::timer_scheduled: return "timer_scheduled";
    case TraceKind::timer_fired: return "timer_fired";
    case TraceKind::timer_cancelled: return "timer_cancelled";
    case TraceKind::io_ready: return "io_ready";
  }
  return "unknown";
}

}  // namespace aio
