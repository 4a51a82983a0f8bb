#pragma once
/// asyncio's protocols and transports: the callback layer of network I/O.
///
/// A Transport is the connection (a socket or a pipe): it buffers writes,
/// reads whenever data arrives and hands it to its Protocol. A Protocol is
/// user code reacting to events: connection_made, data_received,
/// eof_received, connection_lost, and the flow-control pair pause_writing /
/// resume_writing. Callbacks always run in the loop's callback phase.
///
/// Lifetimes: the loop keeps a transport and its protocol alive from
/// connection_made until connection_lost has returned; the functions that
/// create them also hand out shared_ptrs. After connection_lost the
/// transport's methods do nothing (write() on a closed transport is ignored
/// after a warning, as in asyncio).
#include <any>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aio/net/address.hpp"

namespace aio {

class EventLoop;
class Transport;
class DatagramTransport;

/// asyncio.BaseProtocol.
class BaseProtocol {
 public:
  virtual ~BaseProtocol() = default;
  /// The connection is gone: `exc` is null after a close()/abort() or a clean
  /// end of stream, else why (ConnectionResetError, BrokenPipeError, ...).
  virtual void connection_lost(std::exception_ptr exc) {}
  /// The transport's write buffer went over its high-water mark: stop
  /// writing until resume_writing().
  virtual void pause_writing() {}
  /// The write buffer drained to the low-water mark.
  virtual void resume_writing() {}
};

/// asyncio.Protocol: for stream transports (TCP, unix sockets, pipes).
class Protocol : public BaseProtocol {
 public:
  virtual void connection_made(Transport& transport) {}
  /// Some bytes arrived. `data` points into a buffer the loop reuses as soon
  /// as this returns: copy what you keep.
  virtual void data_received(std::string_view data) {}
  /// The peer will send nothing more (it called write_eof or shut down).
  /// Return true to keep the connection open for writing (half-close), false
  /// to close it.
  virtual bool eof_received() { return false; }
};

/// asyncio.BufferedProtocol: the protocol gives the buffer reads go into,
/// so data is not copied twice. (Here a kind of Protocol, so that any
/// stream transport accepts it; data_received is not called.)
class BufferedProtocol : public Protocol {
 public:
  /// A buffer to read into, at least 1 byte; `size_hint` is the size wanted
  /// (-1: any).
  virtual std::span<char> get_buffer(long size_hint) = 0;
  /// `nbytes` bytes were written into the buffer get_buffer() returned.
  virtual void buffer_updated(std::size_t nbytes) = 0;
};

/// asyncio.DatagramProtocol: for UDP endpoints.
class DatagramProtocol : public BaseProtocol {
 public:
  virtual void connection_made(DatagramTransport& transport) {}
  virtual void datagram_received(std::string_view data, const SocketAddress& addr) {}
  /// A send or receive failed (e.g. ConnectionRefusedError after an ICMP
  /// port unreachable); the endpoint stays open.
  virtual void error_received(std::exception_ptr exc) {}
};

/// asyncio.BaseTransport. Transports are always owned by shared_ptrs
/// (shared_from_this() gives one).
class BaseTransport : public std::enable_shared_from_this<BaseTransport> {
 public:
  virtual ~BaseTransport() = default;
  /// Close: buffered data is still sent, then connection_lost(null) is called.
  virtual void close() = 0;
  virtual bool is_closing() const noexcept = 0;
  /// "peername", "sockname" (SocketAddress), "socket" (int fd), "pipe" (int
  /// fd); an empty std::any for anything else. As in asyncio, the addresses
  /// are read when the transport is made and stay available inside
  /// connection_lost and after it; the fd is there until connection_lost has
  /// returned (the socket is closed then).
  virtual std::any get_extra_info(std::string_view name) const = 0;
  /// asyncio's get_extra_info(name, default): `default_value` when the
  /// transport has no `name` (get_extra_info(name) is empty), e.g.
  /// `std::any_cast<int>(t.get_extra_info("socket", -1))`. A transport class
  /// that overrides get_extra_info(name) hides this one from calls made on
  /// it (not on a base): `using BaseTransport::get_extra_info;` brings it back.
  std::any get_extra_info(std::string_view name, std::any default_value) const {
    std::any value = get_extra_info(name);
    return value.has_value() ? value : default_value;
  }
  /// get_extra_info of a SocketAddress, or an empty address.
  SocketAddress get_address_info(std::string_view name) const;
  /// The transport's loop (closed or not); RuntimeError if the transport
  /// outlived it (the loop was destroyed).
  virtual EventLoop& get_loop() const = 0;
  /// asyncio's repr(transport), which the exception handler's 'transport'
  /// key shows. aio's socket, pipe and datagram transports read as asyncio's
  /// ("<_SelectorSocketTransport fd=7 read=polling write=<idle, bufsize=0>>");
  /// the default is Python's default repr ("<Type object at 0x...>").
  virtual std::string describe() const;
};

/// asyncio.Transport (ReadTransport + WriteTransport).
class Transport : public BaseTransport {
 public:
  virtual bool is_reading() const noexcept = 0;
  /// Stop calling data_received until resume_reading().
  virtual void pause_reading() = 0;
  virtual void resume_reading() = 0;

  /// Send `data` without blocking: what the kernel does not take at once is
  /// buffered; over the high-water mark the protocol's pause_writing() is
  /// called.
  virtual void write(std::string_view data) = 0;
  void writelines(const std::vector<std::string>& lines) {
    for (const auto& l : lines) write(l);
  }
  virtual bool can_write_eof() const noexcept = 0;
  /// Close the write side once the buffer is sent (shutdown(SHUT_WR)).
  virtual void write_eof() = 0;
  /// Close at once, dropping buffered data; connection_lost(null) follows.
  virtual void abort() = 0;
  virtual std::size_t get_write_buffer_size() const noexcept = 0;
  /// Flow-control marks (-1 is asyncio's None). high < 0: 64 KiB, or 4 * low
  /// when low is given; low < 0: high / 4. ValueError if high < low. Checked
  /// against the buffer at once: over the new high mark, pause_writing().
  virtual void set_write_buffer_limits(long high = -1, long low = -1) = 0;
  virtual std::pair<std::size_t, std::size_t> get_write_buffer_limits() const noexcept = 0;
  virtual std::shared_ptr<Protocol> get_protocol() const = 0;
  virtual void set_protocol(std::shared_ptr<Protocol> protocol) = 0;
};

/// asyncio.DatagramTransport (with the flow control of asyncio's
/// _SelectorDatagramTransport).
class DatagramTransport : public BaseTransport {
 public:
  /// Send one datagram, to `addr` or to the endpoint's remote address,
  /// without blocking: when the socket cannot take it at once it is queued,
  /// and over the high-water mark the protocol's pause_writing() is called.
  virtual void sendto(std::string_view data, const std::optional<SocketAddress>& addr = std::nullopt) = 0;
  /// Close at once, dropping queued datagrams; connection_lost(null) follows.
  virtual void abort() = 0;
  /// The bytes queued, plus 8 per queued datagram (asyncio's _header_size,
  /// CPython 3.13+), so that a queue of empty datagrams counts too.
  virtual std::size_t get_write_buffer_size() const noexcept = 0;
  /// Flow-control marks, as Transport::set_write_buffer_limits.
  virtual void set_write_buffer_limits(long high = -1, long low = -1) = 0;
  virtual std::pair<std::size_t, std::size_t> get_write_buffer_limits() const noexcept = 0;
  /// The protocol datagrams and errors go to (null once connection_lost has
  /// been called).
  virtual std::shared_ptr<DatagramProtocol> get_protocol() const = 0;
  /// From the next event on, `protocol` gets them instead (asyncio's
  /// set_protocol: no connection_made is called on it). Its pause_writing /
  /// resume_writing follow the transport's flow control from then on.
  virtual void set_protocol(std::shared_ptr<DatagramProtocol> protocol) = 0;
};

}  // namespace aio
