#pragma once
/// Coroutine support, spelled the same on every toolchain.
///
/// g++ 12 ships C++20 `<coroutine>`; Emscripten 3.1.6's libc++ 13 only has
/// `<experimental/coroutine>`. Everything in aio names coroutine types through
/// `aio::coro` so the rest of the code never needs to know which one it got.
#if __has_include(<coroutine>) && !defined(AIO_FORCE_EXPERIMENTAL_COROUTINE)
#include <coroutine>
namespace aio::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace aio::coro
#else
#include <experimental/coroutine>
namespace aio::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace aio::coro
#endif
