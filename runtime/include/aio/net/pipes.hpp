#pragma once
/// Pipes as transports: asyncio's loop.connect_read_pipe and
/// loop.connect_write_pipe. The descriptor may be a pipe, a FIFO, a socket or
/// a character device such as a terminal; the loop reads or writes it without
/// blocking. The everyday use is standard input and output, with the stream
/// classes on top (what asyncio programs do with StreamReaderProtocol):
///
///   auto reader = std::make_shared<aio::StreamReader>();
///   auto protocol = std::make_shared<aio::StreamReaderProtocol>(reader);
///   co_await aio::connect_read_pipe([&] { return protocol; }, ::dup(STDIN_FILENO));
///   for (std::string line; !(line = co_await reader->readline()).empty();) ...
///
/// The transport owns the descriptor and closes it when it closes, as asyncio
/// closes the pipe object: pass a ::dup() of one you want to keep. It is made
/// non-blocking, which every other holder of the same open file sees too
/// (asyncio does the same). If connecting fails, the descriptor is left as it
/// was given, still the caller's.
#include <memory>
#include <utility>

#include "aio/net/protocols.hpp"
#include "aio/net/server.hpp"  // ProtocolFactory
#include "aio/task.hpp"

namespace aio {

/// Read `fd` through `factory()`'s protocol: connection_made, then
/// data_received for what arrives, eof_received at the end, connection_lost.
/// get_extra_info("pipe") gives the descriptor. Raises ValueError for a
/// regular file or a directory (epoll cannot wait on them: read those with
/// run_in_executor), OSError (EBADF) for a descriptor that is not open,
/// PermissionError for a device epoll refuses (/dev/null).
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_read_pipe(ProtocolFactory factory,
                                                                                         int fd);

/// Write to `fd` through a transport handed to `factory()`'s protocol, with
/// asyncio's flow control (write-buffer limits, pause_writing and
/// resume_writing) and write_eof (closes the pipe once the buffer is sent).
/// When the reading end goes away, the protocol's connection_lost gets
/// BrokenPipeError if data was still buffered, nothing otherwise. Same
/// descriptor rules and errors as connect_read_pipe.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_write_pipe(ProtocolFactory factory,
                                                                                          int fd);

}  // namespace aio
