#include "aio/trace_recorder.hpp"

#include <cmath>
#include <map>
#include <ostream>
#include <utility>

#include <nlohmann/json.hpp>

namespace aio {
namespace {

// ordered_json keeps keys in insertion order, so the output reads t, kind,
// id, ... instead of alphabetically, and stays byte-for-byte stable.
using Json = nlohmann::ordered_json;

constexpr int kPid = 1;
constexpr int kLoopLane = 0;  // callbacks, timers and I/O; tasks get 1, 2, ...

bool is_task_event(TraceKind k) noexcept {
  switch (k) {
    case TraceKind::task_created:
    case TraceKind::task_resumed:
    case TraceKind::task_suspended:
    case TraceKind::task_done:
    case TraceKind::task_failed:
    case TraceKind::task_cancelled: return true;
    default: return false;
  }
}

const char* outcome_name(TraceKind k) noexcept {
  switch (k) {
    case TraceKind::task_done: return "done";
    case TraceKind::task_failed: return "failed";
    default: return "cancelled";
  }
}

Json metadata(const char* what, int tid, Json args) {
  Json e;
  e["name"] = what;
  e["ph"] = "M";
  e["pid"] = kPid;
  e["tid"] = tid;
  e["args"] = std::move(args);
  return e;
}

// Gives every task its own lane, numbered in order of creation. The loop
// numbers unnamed tasks (Task-N, id N) but gives explicitly named tasks id 0,
// like asyncio's name counter; those are told apart by name, and two live
// tasks sharing a name share the lane of the newer one.
class Lanes {
 public:
  struct Lane {
    int tid;
    std::string name;
    bool open = false;  // a step is running
    long long step_start = 0;
  };

  Lane& on_event(const TraceEvent& ev) {
    if (ev.kind == TraceKind::task_created) return create(ev);
    Lane* lane = find(ev);
    if (!lane) lane = &create(ev);  // recording started while the task existed
    lane->name = ev.name;           // follows set_name()
    return *lane;
  }

  void finished(const TraceEvent& ev) {
    if (ev.id != 0) {
      by_id_.erase(ev.id);
      return;
    }
    auto it = by_name_.find(ev.name);
    if (it != by_name_.end() && !it->second.empty()) it->second.pop_back();
  }

  std::vector<Lane>& all() noexcept { return lanes_; }

 private:
  Lane& create(const TraceEvent& ev) {
    lanes_.push_back(Lane{static_cast<int>(lanes_.size()) + 1, ev.name});
    std::size_t index = lanes_.size() - 1;
    if (ev.id != 0)
      by_id_[ev.id] = index;
    else
      by_name_[ev.name].push_back(index);
    return lanes_[index];
  }
  Lane* find(const TraceEvent& ev) {
    if (ev.id != 0) {
      auto it = by_id_.find(ev.id);
      return it == by_id_.end() ? nullptr : &lanes_[it->second];
    }
    auto it = by_name_.find(ev.name);
    if (it == by_name_.end() || it->second.empty()) return nullptr;
    return &lanes_[it->second.back()];
  }

  std::vector<Lane> lanes_;
  std::map<std::uint64_t, std::size_t> by_id_;
  std::map<std::string, std::vector<std::size_t>> by_name_;
};

}  // namespace

std::optional<TraceFormat> parse_trace_format(std::string_view name) noexcept {
  if (name == "jsonl") return TraceFormat::jsonl;
  if (name == "chrome") return TraceFormat::chrome;
  return std::nullopt;
}

long long trace_time_us(double seconds) noexcept { return std::llround(seconds * 1e6); }

void TraceRecorder::record(TraceEvent event) { events_.push_back(std::move(event)); }

namespace {

// A JSON string as nlohmann's dump() writes it (UTF-8 kept, invalid UTF-8
// replaced). Task names and details are nearly always plain ASCII, which is
// copied straight through: the trace of a 100,000-task demo has ~900,000
// events, and building a Json object per line was most of its cost.
void append_json_string(std::string& out, const std::string& s) {
  bool plain = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

void append_jsonl(std::string& out, const TraceEvent& ev) {
  out += "{\"t\":";
  out += std::to_string(trace_time_us(ev.time));
  out += ",\"kind\":\"";
  out += trace_kind_name(ev.kind);
  out += "\",\"id\":";
  out += std::to_string(ev.id);
  out += ",\"name\":";
  append_json_string(out, ev.name);
  out += ",\"detail\":";
  append_json_string(out, ev.detail);
  out += "}\n";
}

std::string TraceRecorder::to_jsonl() const {
  std::string out;
  for (const TraceEvent& ev : events_) append_jsonl(out, ev);
  return out;
}

std::string TraceRecorder::to_chrome_json() const {
  Lanes lanes;
  Json events = Json::array();
  long long last_ts = 0;

  for (const TraceEvent& ev : events_) {
    long long ts = trace_time_us(ev.time);
    last_ts = ts;
    if (!is_task_event(ev.kind)) {
      // Everything that is not a task step is an instant on the loop's lane.
      Json e;
      e["name"] = ev.name;
      e["cat"] = trace_kind_name(ev.kind);
      e["ph"] = "i";
      e["s"] = "t";
      e["ts"] = ts;
      e["pid"] = kPid;
      e["tid"] = kLoopLane;
      Json args;
      args["handle"] = ev.id;
      if (!ev.detail.empty()) args[ev.kind == TraceKind::timer_scheduled ? "when" : "detail"] = ev.detail;
      e["args"] = std::move(args);
      events.push_back(std::move(e));
      continue;
    }

    Lanes::Lane& lane = lanes.on_event(ev);
    auto close_step = [&](Json args) {
      Json e;
      e["name"] = lane.name;
      e["cat"] = "task";
      e["ph"] = "X";
      e["ts"] = lane.step_start;
      e["dur"] = ts - lane.step_start;
      e["pid"] = kPid;
      e["tid"] = lane.tid;
      e["args"] = std::move(args);
      events.push_back(std::move(e));
      lane.open = false;
    };

    switch (ev.kind) {
      case TraceKind::task_created: {
        Json e;
        e["name"] = "created";
        e["cat"] = "task";
        e["ph"] = "i";
        e["s"] = "t";
        e["ts"] = ts;
        e["pid"] = kPid;
        e["tid"] = lane.tid;
        e["args"] = Json{{"task", ev.name}, {"id", ev.id}};
        events.push_back(std::move(e));
        break;
      }
      case TraceKind::task_resumed:
        lane.open = true;
        lane.step_start = ts;
        break;
      case TraceKind::task_suspended:
        if (lane.open) close_step(Json{{"waits_on", ev.detail}});
        break;
      default: {  // done, failed, cancelled
        Json args{{"outcome", outcome_name(ev.kind)}};
        if (!ev.detail.empty()) args["error"] = ev.detail;
        if (!lane.open) {
          lane.open = true;  // finished without a step of its own: a 0-length one
          lane.step_start = ts;
        }
        close_step(std::move(args));
        lanes.finished(ev);
        break;
      }
    }
  }

  // Metadata first (lane names and order), then the events in the order they
  // were closed; viewers sort by ts themselves.
  std::vector<Json> all;
  all.push_back(metadata("process_name", kLoopLane, Json{{"name", "aio event loop"}}));
  all.push_back(metadata("thread_name", kLoopLane, Json{{"name", "event loop (callbacks, timers)"}}));
  all.push_back(metadata("thread_sort_index", kLoopLane, Json{{"sort_index", 0}}));
  for (Lanes::Lane& lane : lanes.all()) {
    all.push_back(metadata("thread_name", lane.tid, Json{{"name", lane.name}}));
    all.push_back(metadata("thread_sort_index", lane.tid, Json{{"sort_index", lane.tid}}));
    if (lane.open) {  // recording stopped in the middle of a step
      Json e;
      e["name"] = lane.name;
      e["cat"] = "task";
      e["ph"] = "X";
      e["ts"] = lane.step_start;
      e["dur"] = last_ts - lane.step_start;
      e["pid"] = kPid;
      e["tid"] = lane.tid;
      e["args"] = Json{{"waits_on", "(still running)"}};
      events.push_back(std::move(e));
    }
  }
  for (Json& e : events) all.push_back(std::move(e));

  // One event per line: the file stays readable and diffs well.
  std::string out = "{\"traceEvents\":[\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    out += all[i].dump(-1, ' ', false, Json::error_handler_t::replace);
    out += i + 1 < all.size() ? ",\n" : "\n";
  }
  out += "],\"displayTimeUnit\":\"ms\"}\n";
  return out;
}

std::string TraceRecorder::to_string(TraceFormat format) const {
  return format == TraceFormat::jsonl ? to_jsonl() : to_chrome_json();
}

void TraceRecorder::write(std::ostream& out, TraceFormat format) const { out << to_string(format); }

}  // namespace aio
