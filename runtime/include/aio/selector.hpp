#pragma once
/// The readiness multiplexer a host may offer: asyncio's "selector", the
/// "notify-when-ready" half of the loop (Lib/asyncio/selector_events.py).
///
/// Platform-neutral: the core and aio::net see only this interface; the
/// native host implements it with epoll (hosts/epoll). Hosts without one
/// (the browser, the manual host) return null from Host::selector(), and the
/// network API then raises RuntimeError.
///
/// Watchers are told about readiness from inside Host::poll(). io_ready()
/// must not run user code: it records the readiness and queues what should
/// run (a parked task, a Handle) on the loop's ready queue, so that every
/// callback still runs in the loop's callback phase, as in asyncio.
#include <memory>

namespace aio {

/// Something told when a registered file descriptor becomes ready.
class IoWatcher {
 public:
  virtual ~IoWatcher() = default;
  /// `events` is a mask of Selector::Events. Called from Host::poll().
  virtual void io_ready(unsigned events) noexcept = 0;
};

class Selector {
 public:
  enum Events : unsigned {
    readable = 1,
    writable = 2,
    /// The peer closed its end (for reading, or entirely): reads will see EOF.
    hangup = 4,
    error = 8,
  };
  /// How readiness is reported. `edge`: once per change (the fd is
  /// registered once and the owner tries each syscall before waiting: no
  /// per-wait system call). `level`: on every poll while ready (asyncio's
  /// add_reader semantics, for descriptors aio does not own).
  enum class Mode { edge, level };

  virtual ~Selector() = default;
  /// Watch `fd` for `interest` (readable | writable). Raises OSError.
  virtual void add(int fd, unsigned interest, Mode mode, IoWatcher* watcher) = 0;
  /// Change what an fd added earlier is watched for. Raises OSError.
  virtual void modify(int fd, unsigned interest, Mode mode, IoWatcher* watcher) = 0;
  /// Stop watching `fd` (before closing it). Unknown fds are ignored.
  virtual void remove(int fd) noexcept = 0;

  /// Per-loop state of the layers built on the selector (aio::net keeps its
  /// fd registry, signal handlers and read buffer here), destroyed by the
  /// host before the selector itself goes away.
  struct Extension {
    virtual ~Extension() = default;
  };
  std::unique_ptr<Extension> extension;
};

}  // namespace aio
