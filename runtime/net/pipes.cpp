// Pipes as transports: asyncio's connect_read_pipe / connect_write_pipe
// (unix_events' _UnixReadPipeTransport and _UnixWritePipeTransport, which
// here are the pipe kinds of StreamTransportImpl, shared with subprocesses).
#include "aio/net/pipes.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "aio/errors.hpp"
#include "aio/net/io.hpp"
#include "internal.hpp"
#include "stream_transport.hpp"

namespace aio {
namespace {

using net::detail::NetState;
using net::detail::StreamTransportImpl;

// Stands in for the transport while connect_pipe() asks epoll whether it can
// watch the descriptor at all; it is removed before the loop polls again.
struct ProbeWatcher final : IoWatcher {
  void io_ready(unsigned) noexcept override {}
};

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_pipe(ProtocolFactory factory, int fd,
                                                                                    StreamTransportImpl::Kind kind) {
  const char* what = kind == StreamTransportImpl::read_pipe ? "connect_read_pipe" : "connect_write_pipe";
  NetState& net = net::detail::net_state(get_running_loop());
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) < 0)
    net::detail::throw_os_error(fd < 0 ? EBADF : errno, std::string(what) + "(fd " + std::to_string(fd) + ")");
  // asyncio's own checks and messages: epoll cannot wait on regular files
  // or directories (EPERM), and asyncio refuses them before trying.
  if (!(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
    throw ValueError(kind == StreamTransportImpl::read_pipe
                         ? "Pipe transport is for pipes/sockets only. (For a regular file, read it with "
                           "run_in_executor or to_thread.)"
                         : "Pipe transport is only for pipes, sockets and character devices. (For a regular "
                           "file, write it with run_in_executor or to_thread.)");
  net.check_no_transport(fd);
  forget_fd(net.loop, fd);  // in case add_reader or sock_* used it before
  // Some character devices (/dev/null, /dev/zero) cannot be watched either;
  // epoll says so only when asked. Ask before the transport exists, since a
  // transport closes its descriptor when it goes, and on failure the caller
  // keeps theirs.
  ProbeWatcher probe;
  try {
    net.selector.add(fd, Selector::readable, Selector::Mode::edge, &probe);
  } catch (const std::system_error& err) {
    net::detail::throw_os_error(err.code().value(), std::string(what) + "(fd " + std::to_string(fd) + ")");
  }
  net.selector.remove(fd);
  net::detail::set_nonblocking(fd);

  std::shared_ptr<Protocol> protocol = factory();
  if (!protocol) throw TypeError("the protocol factory returned null: it must return a std::shared_ptr<Protocol>");
  auto t = std::make_shared<StreamTransportImpl>(net, fd, kind);
  t->start(protocol, t, nullptr, /*call_soon=*/false);
  co_return std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>(std::static_pointer_cast<Transport>(t),
                                                                             protocol);
}

}  // namespace

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_read_pipe(ProtocolFactory factory,
                                                                                         int fd) {
  return connect_pipe(std::move(factory), fd, StreamTransportImpl::read_pipe);
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_write_pipe(ProtocolFactory factory,
                                                                                          int fd) {
  return connect_pipe(std::move(factory), fd, StreamTransportImpl::write_pipe);
}

}  // namespace aio
