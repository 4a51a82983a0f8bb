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
// libc++'s coroutine_handle members (from_address, the constructor, resume,
// promise) are one-liners, but Emscripten's -Os build inlines only
// always_inline functions (see AIO_HOT in aio/config.hpp), and the compiler
// itself calls from_address at every suspension. So the coroutine header's
// own functions are made always_inline; what it includes is included first,
// outside the pragma, and stays as it is.
#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#if defined(__EMSCRIPTEN__) && defined(__clang__)
#pragma clang attribute push(__attribute__((always_inline)), apply_to = function)
#include <experimental/coroutine>
#pragma clang attribute pop
#else
#include <experimental/coroutine>
#endif
namespace aio::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace aio::coro
#endif
