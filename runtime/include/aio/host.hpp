#pragma once
/// The seam between the platform-neutral event loop and the platform it runs
/// on. A host is what the loop calls when it has nothing ready to run: native
/// hosts block in epoll, the browser host never blocks. Keep this interface
/// tiny: everything a host can do for a loop goes through these verbs.
#include <functional>
#include <memory>

namespace aio {

class EventLoop;
class Selector;

class Host {
 public:
  virtual ~Host() = default;

  /// Wait for I/O readiness for at most `timeout` seconds (a negative timeout
  /// waits until woken, zero does not block), scheduling the callbacks of
  /// whatever became ready on `loop` with call_soon.
  virtual void poll(EventLoop& loop, double timeout) = 0;

  /// Make a poll() in progress on another thread return soon. Called from any
  /// thread; must be async-signal-safe enough for call_soon_threadsafe.
  virtual void wake() noexcept = 0;

  /// The monotonic real-time clock, in seconds (asyncio's `time.monotonic()`).
  virtual double monotonic() const noexcept;

  /// The readiness multiplexer for sockets, pipes and signals (selector.hpp),
  /// or null on a host without one (the browser): aio::net needs it.
  virtual Selector* selector() noexcept { return nullptr; }

  /// Have the user's interrupt (Ctrl-C, SIGINT) schedule `on_interrupt` on
  /// `loop` and return true, if this host can, the caller is the main
  /// thread, and the interrupt still has its default action (asyncio.Runner
  /// asks the same of `signal.getsignal`). A second interrupt then takes the
  /// default action at once, as Python's second KeyboardInterrupt does: a
  /// program stuck in a callback can still be stopped. An empty function
  /// gives the interrupt its default action back, if it is still ours.
  /// aio::Runner is the caller; hosts without signals keep this default.
  virtual bool set_interrupt_handler(EventLoop& loop, std::function<void()> on_interrupt);
};

/// The host this build uses by default: epoll natively, the browser host
/// (hosts/web, driven by the JS event loop) on WebAssembly.
std::unique_ptr<Host> make_default_host();

}  // namespace aio
