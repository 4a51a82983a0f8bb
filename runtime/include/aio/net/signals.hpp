#pragma once
/// Unix signal handlers on the event loop (asyncio's loop.add_signal_handler).
///
/// The C handler only writes the signal number to a pipe the loop watches
/// (the "self-pipe"); `callback` then runs on the loop like any callback, so
/// it may do anything. One loop at a time handles signals.
#include <functional>

#include "aio/event_loop.hpp"

namespace aio {

/// Call `callback` on `loop` whenever signal `sig` arrives (replacing the
/// handler set before). ValueError for an invalid number (as asyncio: not in
/// signal.valid_signals(), so also glibc's reserved 32 and 33), RuntimeError for
/// SIGKILL/SIGSTOP ("cannot be caught") or while another loop handles signals.
void add_signal_handler(EventLoop& loop, int sig, std::function<void()> callback);
/// Restore the default action; returns whether a handler was set (False for
/// SIGKILL, which never has one). ValueError for an invalid number.
bool remove_signal_handler(EventLoop& loop, int sig);

}  // namespace aio
