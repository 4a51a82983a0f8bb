// Signal handlers through a self-pipe (asyncio's unix_events.py uses
// signal.set_wakeup_fd the same way): the C handler writes the signal number
// to a non-blocking pipe; the loop watches the read end and calls the Python-
// level handler as an ordinary callback.
//
// A self-pipe rather than signalfd: signalfd needs the signal blocked in every
// thread, and threads the executor started earlier would still take it.
#include "aio/net/signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>

#include "internal.hpp"

namespace aio {
namespace net::detail {
namespace {

int g_wakeup_write = -1;  // written by the C handler
int g_wakeup_read = -1;
EventLoop* g_signal_loop = nullptr;  // the loop handling signals now

extern "C" void aio_signal_handler(int sig) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto r = ::write(g_wakeup_write, &b, 1);
  errno = saved;
}

void make_wakeup_pipe() {
  if (g_wakeup_read >= 0) return;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) throw_os_error(errno, "pipe2 (signal wakeup)");
  g_wakeup_read = fds[0];
  g_wakeup_write = fds[1];
}

class SignalState final : public Selector::Extension, public IoWatcher {
 public:
  explicit SignalState(NetState& net) : net_(net) {
    make_wakeup_pipe();
    io_.set(net_.loop, [this] { dispatch(); }, "signal", /*own_context=*/false);
    net_.selector.add(g_wakeup_read, Selector::readable, Selector::Mode::edge, this);
    g_signal_loop = &net_.loop;
  }
  ~SignalState() override {
    for (auto& [sig, fn] : handlers_) ::signal(sig, SIG_DFL);
    net_.selector.remove(g_wakeup_read);
    if (g_signal_loop == &net_.loop) g_signal_loop = nullptr;
  }
  void io_ready(unsigned) noexcept override { io_.schedule(); }

  void add(int sig, std::function<void()> callback) {
    struct sigaction sa {};
    sa.sa_handler = aio_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // asyncio: siginterrupt(sig, False)
    auto handler = std::make_shared<Handler>();
    handler->fn = std::move(callback);
    handler->context = CallbackContext::copy_of_current();  // asyncio: Handle(callback, args, self, None)
    handlers_[sig] = std::move(handler);
    if (::sigaction(sig, &sa, nullptr) < 0) {
      int err = errno;
      handlers_.erase(sig);
      throw_os_error(err, "sigaction(" + std::to_string(sig) + ")");
    }
  }
  bool remove(int sig) {
    auto it = handlers_.find(sig);
    if (it == handlers_.end()) return false;
    handlers_.erase(it);
    ::signal(sig, SIG_DFL);
    return true;
  }
  bool empty() const noexcept { return handlers_.empty(); }

 private:
  void dispatch() {
    unsigned char buf[64];
    for (;;) {
      ssize_t n = ::read(g_wakeup_read, buf, sizeof buf);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        break;
      }
      for (ssize_t i = 0; i < n; ++i) {
        auto it = handlers_.find(buf[i]);
        if (it == handlers_.end()) continue;
        auto handler = it->second;
        net_.loop.call_soon([handler] { handler->run(); }, "signal handler");
      }
    }
  }
  // A handler runs in a copy of the context add_signal_handler was called
  // in, kept across its runs.
  struct Handler {
    std::function<void()> fn;
    CallbackContext context;
    void run() {
      CallbackContext::Scope in_context(context);
      fn();
    }
  };
  NetState& net_;
  std::map<int, std::shared_ptr<Handler>> handlers_;
  IoHandle io_;
};

// asyncio's _check_signal: `sig in signal.valid_signals()`, the members of
// a full sigset. glibc leaves out the two real-time signals it keeps for
// itself (32 and 33: thread cancellation and setxid), so those are invalid
// numbers here too, not a failed sigaction.
void check_signal(int sig) {
  sigset_t valid;
  sigfillset(&valid);
  if (sig < 1 || sig >= NSIG || sigismember(&valid, sig) != 1)
    throw ValueError("invalid signal number " + std::to_string(sig) + " (valid: 1-" + std::to_string(NSIG - 1) +
                     ", except those the C library reserves, such as 32 and 33 with glibc)");
}

// Only adding a handler for these fails: removing one is a plain False.
void check_catchable(int sig) {
  if (sig == SIGKILL || sig == SIGSTOP) throw RuntimeError("sig " + std::to_string(sig) + " cannot be caught");
}

}  // namespace
}  // namespace net::detail

void add_signal_handler(EventLoop& loop, int sig, std::function<void()> callback) {
  using namespace net::detail;
  loop.check_closed();
  check_signal(sig);
  check_catchable(sig);
  if (!callback) throw TypeError("add_signal_handler: the callback is empty");
  auto& net = net_state(loop);
  if (g_signal_loop && g_signal_loop != &loop)
    throw RuntimeError("another event loop handles signals already: remove its handlers (or close it) first");
  if (!net.signals) net.signals = std::make_unique<SignalState>(net);
  static_cast<SignalState&>(*net.signals).add(sig, std::move(callback));
}

bool remove_signal_handler(EventLoop& loop, int sig) {
  using namespace net::detail;
  check_signal(sig);
  Selector* sel = loop.host().selector();
  if (!sel || !sel->extension) return false;
  auto& net = static_cast<NetState&>(*sel->extension);
  if (!net.signals) return false;
  auto& state = static_cast<SignalState&>(*net.signals);
  bool removed = state.remove(sig);
  if (state.empty()) net.signals.reset();  // lets another loop take signals
  return removed;
}

}  // namespace aio
