#pragma once
// Private to runtime/hosts/web: how the browser I/O sources (fetch.cpp,
// websocket.cpp) hold JS objects and await JS promises.
//
// JS objects (a Response, a stream reader, an AbortController, a WebSocket)
// never cross into C++. They live in a JS table (Module.__aioWeb.table)
// under an integer handle, and C++ holds the handle (RAII: JsRecord releases
// it). Values travel as bytes: JS "stages" a string (UTF-8) or bytes, C++
// learns the length and copies them into its own buffer (unstage), so no
// malloc is exported to JS.
//
// A promise awaited by C++ is a JsOp: it registers under an op id, JS calls
// the exported aio_web_op_settle(op, ok, value, staged) exactly once when the
// promise settles, and the op completes its aio::Future. An op abandoned
// before it settles (its coroutine was cancelled or destroyed) unregisters
// and aborts its record (JS: record.abort()); the late settle then finds no
// op and is ignored, never an InvalidStateError.
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "aio/event_loop.hpp"
#include "aio/future.hpp"
#include "aio/web/bytes.hpp"

namespace aio::web::detail {

/// Installs Module.__aioWeb (the table, staging, helpers) once.
void bridge_init();

/// Copies the `length` bytes JS staged into a string (empty for 0).
std::string unstage(int length);

/// Copies the `length` bytes JS staged into a byte vector (empty for 0).
Bytes unstage_bytes(int length);

/// The text of the error JS stored with W.fail() (a synchronous failure).
std::string take_error();

/// Number of live handles in the JS table (tests check it returns to its
/// baseline: nothing leaked).
int live_handles();

/// Number of ops waiting for their promise (tests check none is left).
int pending_ops();

/// Raises RuntimeError unless `loop` is driven by the browser host from the
/// JS event loop (aio::web::run_until_complete / run_forever): a blocking
/// run never returns to JS, so the awaited event could never arrive.
void check_driven(EventLoop& loop, const char* what);

/// Make the host run a slice soon: JS delivered something to `loop`.
void wake(EventLoop& loop) noexcept;

/// The running loop, checked by check_driven(): the loop a wait for JS
/// belongs to. Responses and WebSockets do not keep the loop they were made
/// on (a JS program's rt.run() frees its loop when it returns, and the
/// objects may be used by the next run): each wait is the awaiting task's.
EventLoop& driven_loop();

/// Owns one handle of the JS table: releasing it calls record.release()
/// (which aborts or closes what is still in flight) and drops the entry.
class JsRecord {
 public:
  JsRecord() noexcept = default;
  explicit JsRecord(int handle) noexcept : handle_(handle) {}
  JsRecord(JsRecord&& o) noexcept : handle_(std::exchange(o.handle_, 0)) {}
  JsRecord& operator=(JsRecord&& o) noexcept {
    std::swap(handle_, o.handle_);
    return *this;
  }
  ~JsRecord() { reset(); }
  void reset() noexcept;
  int get() const noexcept { return handle_; }

 private:
  int handle_ = 0;
};

/// While alive, `loop` knows that JS work it waits for is in flight, so a
/// virtual clock does not jump past it.
class ExternalWork {
 public:
  explicit ExternalWork(EventLoop& loop) noexcept : loop_(loop) { loop_.begin_external_work(); }
  ~ExternalWork() { loop_.end_external_work(); }
  ExternalWork(const ExternalWork&) = delete;
  ExternalWork& operator=(const ExternalWork&) = delete;

 private:
  EventLoop& loop_;
};

/// One JS promise awaited from C++ (see the top of this file). Lives in the
/// awaiting coroutine's frame: it must not move once JS knows its id.
class PendingOp {
 public:
  /// Registers the op; `record` is aborted if the op is abandoned.
  PendingOp(EventLoop& loop, int record);
  virtual ~PendingOp();
  PendingOp(const PendingOp&) = delete;
  PendingOp& operator=(const PendingOp&) = delete;

  int id() const noexcept { return id_; }
  /// The JS record to abort if the op is abandoned (when only known after
  /// the JS call that needed id()).
  void set_record(int record) noexcept { record_ = record; }

  /// Called by aio_web_op_settle; false when nobody takes the value.
  bool settle(bool ok, int value, int staged) noexcept;

 protected:
  /// Completes the future; false if it is already done (cancelled).
  virtual bool deliver(bool ok, int value, int staged) = 0;

 private:
  // The loop, through its anchor (aio/detail/loop_anchor.hpp): null once the
  // loop is destroyed, which a frame destroyed later must not touch.
  aio::detail::LoopAnchor* anchor_;
  int id_;
  int record_;
};

/// Splits W.errorText()'s "Name\nmessage" into its two parts.
std::pair<std::string, std::string> split_error(const std::string& staged);

/// A PendingOp whose value is made by `convert(value, staged)` (which may
/// unstage bytes) or, on rejection, whose error is made by
/// `make_error(name, message)`. Await future(), then take() the value: the
/// value stays in the op (in the awaiting frame) so it is moved, not copied.
template <class T>
class JsOp final : public PendingOp {
 public:
  using Convert = T (*)(int value, int staged);
  using MakeError = std::exception_ptr (*)(const std::string& name, const std::string& message);

  JsOp(EventLoop& loop, int record, Convert convert, MakeError make_error)
      : PendingOp(loop, record), fut_(loop.create_future<void>()), convert_(convert), make_error_(make_error) {}

  Future<void>& future() noexcept { return fut_; }
  /// The value, once future() completed without an exception.
  T take() { return std::move(*value_); }

 private:
  bool deliver(bool ok, int value, int staged) override {
    if (fut_.done()) return false;
    try {
      if (ok) {
        value_.emplace(convert_(value, staged));
        fut_.set_result();
      } else {
        auto [name, message] = split_error(unstage(staged));
        fut_.set_exception(make_error_(name, message));
      }
    } catch (...) {
      fut_.set_exception(std::current_exception());
    }
    return true;
  }

  Future<void> fut_;
  std::optional<T> value_;
  Convert convert_;
  MakeError make_error_;
};

}  // namespace aio::web::detail
