// aio::net internals: the per-loop state (NetState), fd entries, the
// re-queueable handle transports run their I/O from, and sockaddr helpers.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <any>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "aio/detail/context.hpp"
#include "aio/detail/loop_ref.hpp"
#include "aio/event_loop.hpp"
#include "aio/handle.hpp"
#include "aio/net/address.hpp"
#include "aio/net/errors.hpp"
#include "aio/net/io_wait.hpp"
#include "aio/selector.hpp"

namespace aio {
class BaseProtocol;
class BaseTransport;
}  // namespace aio

namespace aio::net::detail {

/// What asyncio's transports do with an error nobody awaits (a protocol
/// callback that raised, a failed accept): hand it to the loop's exception
/// handler with a message.
inline void report_error(EventLoop& loop, std::string message, std::exception_ptr exc) noexcept {
  ExceptionContext ctx;
  ctx.message = std::move(message);
  ctx.exception = std::move(exc);
  loop.call_exception_handler(ctx);
}
/// The same with the context keys asyncio adds for a connection
/// ('transport', 'protocol'; either may be null): its _fatal_error, a
/// pause_writing() that raised, an unhandled client_connected_cb error.
/// Only errors come here: describing the objects costs nothing until then.
void report_error(EventLoop& loop, std::string message, std::exception_ptr exc, const BaseTransport* transport,
                  const BaseProtocol* protocol) noexcept;
/// The same with asyncio's 'socket' key: a failed accept() on listening
/// socket `fd`.
void report_socket_error(EventLoop& loop, std::string message, std::exception_ptr exc, int fd) noexcept;

/// The descriptions those keys carry (asyncio passes the objects, and its
/// default handler prints their repr()). All are "" when out of memory.
/// Python's default repr: "<Type object at 0x...>", the type demangled.
std::string describe_object(const void* most_derived, const std::type_info& type) noexcept;
template <class T>
std::string describe_object(const T& object) noexcept {
  return describe_object(dynamic_cast<const void*>(&object), typeid(object));
}
/// transport.describe() (BaseTransport), or "" if that throws.
std::string describe_transport(const BaseTransport& transport) noexcept;
/// _SelectorTransport.__repr__ from its parts: "<cls[ closed| closing] fd=N"
/// then, while the loop is open, " read=polling|idle write=<polling|idle,
/// bufsize=N>" and ">". (aio forgets the fd once closed: fd=-1 then.)
std::string selector_transport_repr(const char* cls, int fd, bool closing, bool loop_open, bool read_polling,
                                    bool write_polling, std::size_t bufsize);
/// asyncio.TransportSocket's repr: "<asyncio.TransportSocket fd=6, family=2,
/// type=1, proto=6, laddr=('127.0.0.1', 8888)>" (and raddr when connected).
std::string describe_socket(int fd) noexcept;

/// A write to a transport whose connection is lost is dropped; at the fifth
/// (asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES) we warn
/// "socket.send() raised exception.", so a protocol that keeps writing into
/// the void is noticed. asyncio warns again at every write after that; once
/// is enough. `count` is the transport's tally.
inline void drop_lost_write(unsigned& count) noexcept {
  constexpr unsigned kLogThreshold = 5;
  if (++count == kLogThreshold)
    std::fputs("aio: socket.send() raised exception. (writing to a closed connection)\n", stderr);
}

/// The context a callback of the network layer keeps and runs in (see
/// detail::OwnContext); nothing to keep or enter in a build without
/// contextvars (AIO_HAS_CONTEXTVARS=0).
#if AIO_HAS_CONTEXTVARS
using CallbackContext = aio::detail::OwnContext;
#else
struct CallbackContext {
  static CallbackContext copy_of_current() noexcept { return {}; }
  struct Scope {
    explicit Scope(CallbackContext&) noexcept {}
  };
};
#endif

/// A Handle queued again and again, without allocating, each time its owner
/// becomes ready: one HandleState per owner, pushed on the ready queue with
/// an extra reference. Cancelled (so it never runs) when the owner goes.
class IoHandle {
 public:
  IoHandle() = default;
  IoHandle(const IoHandle&) = delete;
  IoHandle& operator=(const IoHandle&) = delete;
  ~IoHandle() { reset(); }

  // `own_context`: the callback runs in a copy of the context current now
  // (detail::OwnContext), as asyncio's add_reader handles do; else in an
  // empty one of its own each time, as a call_soon callback made where no
  // variable was set (the child watcher, whose callbacks asyncio 3.11 calls
  // from a thread with an empty context).
  template <class F>
  void set(EventLoop& loop, F fn, const char* label, bool own_context = true) {
    reset();
    loop_ = &loop;
    // In the callback, not in this object: a run may destroy its transport,
    // and with it this IoHandle, while the context is still current (the
    // handle's callback lives until its run returns).
    auto context = own_context ? CallbackContext::copy_of_current() : CallbackContext();
    h_ = new aio::detail::HandleState(
        &loop,
        aio::detail::Callback([this, fn = std::move(fn), context = std::move(context)]() mutable {
          queued_ = false;
          CallbackContext::Scope in_context(context);
          fn();
        }),
        label);
  }
  void schedule() noexcept {
    if (!h_ || queued_ || loop_->is_closed()) return;
    queued_ = true;
    h_->add_ref();
    loop_->push_ready(h_);
  }
  void reset() noexcept {
    if (!h_) return;
    h_->cancel();
    h_->release();
    h_ = nullptr;
    queued_ = false;
  }
  explicit operator bool() const noexcept { return h_ != nullptr; }

 private:
  EventLoop* loop_ = nullptr;
  aio::detail::HandleState* h_ = nullptr;
  bool queued_ = false;
};

struct NetState;

/// Something aio::net keeps alive by itself (a transport until its
/// connection_lost, a listening socket, a child process): told when the loop's
/// net state goes away so it closes its fd and drops its self-reference,
/// instead of leaking.
class LoopResource {
 public:
  virtual ~LoopResource() = default;
  virtual void loop_closing() noexcept = 0;
};

/// An fd used through sock_* or add_reader/add_writer.
class FdEntry final : public IoWatcher {
 public:
  FdEntry(NetState& net, int fd) : net(net), fd(fd) {}
  ~FdEntry() override;
  void io_ready(unsigned events) noexcept override;
  /// Register (edge-triggered, both directions) if not yet.
  void ensure_registered();
  /// Level-triggered while add_reader/add_writer callbacks are set.
  void update_registration();

  NetState& net;
  int fd;
  bool registered = false;
  bool level = false;
  unsigned interest = 0;
  WaitLot read_lot, write_lot;
  std::function<void()> reader_cb, writer_cb;
  IoHandle reader, writer;
};

/// Per-loop state of aio::net, kept in the loop's selector (see selector.hpp).
struct NetState final : Selector::Extension {
  NetState(EventLoop& loop, Selector& selector) : loop(loop), selector(selector) {}
  ~NetState() override;
  EventLoop& loop;
  Selector& selector;
  std::unordered_map<int, std::unique_ptr<FdEntry>> fds;
  /// The read buffer every transport of this loop borrows while it reads:
  /// an idle connection holds none.
  std::vector<char> read_buffer;
  char* borrow_read_buffer() {
    if (read_buffer.empty()) read_buffer.resize(256 * 1024);
    return read_buffer.data();
  }
  /// The entry of `fd` (created on first use). ValueError for a negative
  /// fd, RuntimeError for one a transport owns.
  FdEntry& entry(int fd);
  /// The descriptors transports own until they close them (asyncio's
  /// loop._transports): add_reader/add_writer and sock_* refuse these, as
  /// asyncio's _ensure_fd_no_transport does, since registering the fd again
  /// would take its readiness events away from the transport.
  /// A transport marks its fd when it takes it...
  void own_transport_fd(int fd);
  /// ...and closes it through this, which forgets the mark with it (a later
  /// descriptor with the same number is nobody's).
  void close_transport_fd(int fd) noexcept;
  /// RuntimeError if a transport owns `fd`.
  void check_no_transport(int fd) const;
  /// Indexed by fd: descriptors are small dense numbers, so one bit each and
  /// no allocation per connection.
  std::vector<bool> transport_fds;
  std::unique_ptr<Selector::Extension> signals;  // signals.cpp
  std::unordered_set<LoopResource*> resources;
  bool closing = false;
};

/// The net state of `loop`; RuntimeError on hosts without a selector.
NetState& net_state(EventLoop& loop);
/// SIGPIPE ignored, once per process (as CPython does): writes to a closed
/// pipe raise BrokenPipeError instead of killing the process.
void ignore_sigpipe() noexcept;

struct Sockaddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&ss); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&ss); }
  int family() const noexcept { return ss.ss_family; }
};
/// A numeric SocketAddress as a sockaddr; ValueError if the host is not
/// numeric (resolve it with getaddrinfo first).
Sockaddr to_sockaddr(const SocketAddress& a);
/// OverflowError("<func>(): port must be 0-65535.") unless 0 <= port <= 65535:
/// htons() would quietly turn port 70000 into 4464.
void check_port(int port, const char* func);
SocketAddress from_sockaddr(const sockaddr* sa, socklen_t len);

/// A socket address as the kernel gave it, kept so that a transport answers
/// get_extra_info("peername"/"sockname") after its socket is closed, as
/// asyncio's transports (which read both when they are made) do. 29 bytes
/// with no alignment, so two pack among a transport's flags: an IPv4 or IPv6
/// address, or a unix path of up to 26 bytes, is kept inline; a longer path
/// is copied to the heap. It becomes a SocketAddress (strings) only when
/// asked for.
class SavedAddress {
 public:
  SavedAddress() = default;
  SavedAddress(const SavedAddress&) = delete;
  SavedAddress& operator=(const SavedAddress&) = delete;
  ~SavedAddress() { clear(); }
  /// Keep a copy of `sa` (len 0: forget).
  void assign(const sockaddr* sa, socklen_t len);
  bool empty() const noexcept { return len_ == 0; }
  /// The address, or an empty std::any when none was saved (asyncio: None).
  std::any get() const;

 private:
  void clear() noexcept;
  static constexpr std::size_t kInline = sizeof(sockaddr_in6);
  std::uint8_t len_ = 0;  // a sockaddr_un is at most 110 bytes
  // The sockaddr, or, when len_ > kInline, a pointer to a heap copy of it
  // (memcpy'd in and out: this array has no alignment).
  unsigned char bytes_[kInline];
};
void set_nonblocking(int fd);
/// A descriptor handed over with sock=: ValueError("<what> was expected, got
/// ...") unless it is a socket of `type` (SOCK_STREAM, SOCK_DGRAM) and, when
/// `family` is not 0, of that family (the unix variants want AF_UNIX); OSError
/// if it is not open. Changes nothing, so a refused descriptor stays as it was.
void check_given_socket(int fd, int type, const char* what, int family = 0);
/// A numeric IPv4 or IPv6 address (not a name, not ""): what needs no
/// resolver, and what TLS must not send as SNI.
bool is_ip_address(const std::string& host);
/// Tests set this to make sendfile() and sock_sendfile() find the kernel's
/// sendfile refused, as for a file it cannot send, so that the fallback (or
/// SendfileNotAvailableError) is what runs.
extern bool testing_disable_native_sendfile;
/// Whether `e` is an OSError: asyncio reports those (resets, broken pipes,
/// bad TLS from a peer) only in debug mode.
bool is_os_error(const std::exception_ptr& e) noexcept;

}  // namespace aio::net::detail
