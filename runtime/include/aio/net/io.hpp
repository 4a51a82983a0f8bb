#pragma once
/// Readiness I/O on file descriptors: asyncio's add_reader/add_writer and the
/// loop.sock_* coroutines, plus getaddrinfo on the executor.
///
/// asyncio spells these as loop methods; here they are free functions taking
/// the loop (or using the running loop): `aio::add_reader(loop, fd, cb)`,
/// `co_await aio::sock_recv(fd, 4096)`.
///
/// How waiting works (see aio/selector.hpp): the first sock_* call on an fd
/// registers it with the loop's selector, edge-triggered, once. Every call
/// tries its system call first and only when it would block parks the task
/// on the fd (no future, no allocation, no system call per wait). Close such
/// fds with aio::close_socket() (or call forget_fd() before closing them),
/// so the registration goes with them.
///
/// The sockets given to sock_* must be non-blocking (asyncio raises
/// ValueError otherwise; here the calls set O_NONBLOCK themselves).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aio/event_loop.hpp"
#include "aio/net/address.hpp"
#include "aio/net/errors.hpp"
#include "aio/task.hpp"

namespace aio {

// ---- callbacks on file descriptors (level-triggered, as asyncio) ----------

/// Call `callback` whenever `fd` is readable, until remove_reader(). Replaces
/// a reader already set for `fd`. Raises RuntimeError on a host without a
/// selector (the browser), and when a transport owns the fd (asyncio's "File
/// descriptor N is used by transport"); OSError when epoll refuses the fd
/// (EBADF: it is closed).
void add_reader(EventLoop& loop, int fd, std::function<void()> callback);
/// Stop watching `fd` for reading; returns whether a reader was set.
/// RuntimeError when a transport owns the fd.
bool remove_reader(EventLoop& loop, int fd);
/// Call `callback` whenever `fd` is writable, until remove_writer().
void add_writer(EventLoop& loop, int fd, std::function<void()> callback);
bool remove_writer(EventLoop& loop, int fd);

// ---- sockets as coroutines ------------------------------------------------
// Each raises RuntimeError for a socket a transport owns, as asyncio does.

/// Receive up to `nbytes`; "" at end of stream (asyncio: loop.sock_recv).
Task<std::string> sock_recv(int fd, std::size_t nbytes);
/// Receive into `buffer`; the number of bytes read, 0 at end of stream.
Task<std::size_t> sock_recv_into(int fd, std::span<char> buffer);
/// Send all of `data`, waiting for buffer space as needed.
Task<void> sock_sendall(int fd, std::string_view data);
/// Connect to `address`; a host name is resolved first (getaddrinfo, for the
/// socket's family and type; the first address is used), as asyncio does.
Task<void> sock_connect(int fd, SocketAddress address);
/// Accept a connection on listening socket `fd`: the new (non-blocking,
/// close-on-exec) socket and the peer's address.
Task<std::pair<int, SocketAddress>> sock_accept(int fd);
/// Receive one datagram and who sent it (loop.sock_recvfrom).
Task<std::pair<std::string, SocketAddress>> sock_recvfrom(int fd, std::size_t bufsize);
/// Receive one datagram into `buffer` (loop.sock_recvfrom_into): the bytes
/// received and who sent them. At most `nbytes` bytes (0: the whole buffer)
/// are written; the rest of a longer datagram is discarded, as recvfrom(2)
/// does. ValueError when `nbytes` is larger than the buffer.
Task<std::pair<std::size_t, SocketAddress>> sock_recvfrom_into(int fd, std::span<char> buffer,
                                                                std::size_t nbytes = 0);
/// Send one datagram (loop.sock_sendto).
Task<std::size_t> sock_sendto(int fd, std::string_view data, SocketAddress address);

/// Send file `file_fd` over the connected stream socket `fd`
/// (loop.sock_sendfile): `count` bytes from `offset` (count 0, asyncio's
/// None: to the end of the file), with the kernel's sendfile(2), or, when it
/// cannot send that file and `fallback` is true, by reading it and
/// sock_sendall()-ing it (SendfileNotAvailableError when `fallback` is
/// false). Returns the bytes sent. As in asyncio, the file's position is left
/// at offset + the bytes sent, even when the call raises: after an error,
/// `lseek(file_fd, 0, SEEK_CUR) - offset` is what went out. ValueError for a
/// socket that is not SOCK_STREAM, a negative count or offset; the OSError
/// of the connection (BrokenPipeError, ConnectionResetError) when the peer
/// goes away meanwhile.
Task<std::size_t> sock_sendfile(int fd, int file_fd, std::int64_t offset = 0, std::int64_t count = 0,
                                bool fallback = true);

/// Stop aio::net's tracking of `fd` (its selector registration and parked
/// waiters, which wake and see the fd closed) without closing it.
void forget_fd(EventLoop& loop, int fd) noexcept;
/// forget_fd(), then close(fd).
void close_socket(EventLoop& loop, int fd) noexcept;
void close_socket(int fd) noexcept;  // on the running loop

// ---- sockets, plainly -------------------------------------------------------

/// socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC); family/type are the
/// AF_*/SOCK_* values. Raises OSError.
int make_socket(int family, int type, int protocol = 0);
/// bind(fd, address). Raises OSError ("address already in use: ...").
void bind_socket(int fd, const SocketAddress& address);
/// The socket's own address (getsockname) and its peer's (getpeername).
SocketAddress getsockname(int fd);
SocketAddress getpeername(int fd);

// ---- name resolution --------------------------------------------------------

struct AddrInfo {
  int family = 0;
  int type = 0;
  int protocol = 0;
  std::string canonname;
  SocketAddress address;
};

/// socket.getaddrinfo without blocking the loop: numeric hosts are converted
/// at once, names are resolved by the loop's default executor (asyncio does
/// the same). `port` may be a number or a service name; "" for none. Raises
/// gaierror.
Task<std::vector<AddrInfo>> getaddrinfo(std::string host, std::string port, int family = 0, int type = 0,
                                        int protocol = 0, int flags = 0);

/// socket.getnameinfo without blocking the loop (asyncio's
/// loop.getnameinfo): the host name and service of a numeric address, looked
/// up by the default executor. `flags` are NI_* values; with NI_NUMERICHOST
/// and NI_NUMERICSERV together nothing is looked up and the answer is
/// immediate. Raises gaierror, also for a host that is not numeric (as
/// Python, which does no forward resolution here).
Task<std::pair<std::string, std::string>> getnameinfo(SocketAddress address, int flags = 0);

}  // namespace aio
