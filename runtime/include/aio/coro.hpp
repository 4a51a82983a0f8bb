#pragma once
/// Coroutine support, spelled the same on every toolchain.
///
/// g++ 12 ships C++20 `<coroutine>`; Emscripten 3.1.6's libc++ 13 only has
/// `<experimental/coroutine>`. Everything in aio names coroutine types through
/// `aio::coro` so the rest of the code never needs to know which one it got.
#include "aio/config.hpp"

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

namespace aio::coro {

// The handle operations of the task switch, as the compiler's primitives
// that the standard library's coroutine_handle members wrap. Emscripten's
// -Os build inlines nothing but always_inline functions (see AIO_HOT in
// aio/config.hpp), so each libc++ wrapper (from_address, promise, resume,
// even the constructor) would be a call of its own on every suspension.
// Elsewhere they are the standard members.
#ifdef __EMSCRIPTEN__
AIO_HOT void* address_of(coroutine_handle<> h) noexcept { return __builtin_bit_cast(void*, h); }
AIO_HOT coroutine_handle<> handle_at(void* frame) noexcept { return __builtin_bit_cast(coroutine_handle<>, frame); }
AIO_HOT void resume(coroutine_handle<> h) { __builtin_coro_resume(address_of(h)); }
/// The promise of type P in the frame at `frame`.
template <class P>
AIO_HOT P& promise_in(void* frame) noexcept {
  return *static_cast<P*>(__builtin_coro_promise(frame, alignof(P), false));
}
/// The frame whose promise of type P is `p`.
template <class P>
AIO_HOT void* frame_of_promise(P& p) noexcept {
  return __builtin_coro_promise(static_cast<void*>(&p), alignof(P), true);
}
#else
inline void* address_of(coroutine_handle<> h) noexcept { return h.address(); }
inline coroutine_handle<> handle_at(void* frame) noexcept { return coroutine_handle<>::from_address(frame); }
inline void resume(coroutine_handle<> h) { h.resume(); }
template <class P>
inline P& promise_in(void* frame) noexcept {
  return coroutine_handle<P>::from_address(frame).promise();
}
template <class P>
inline void* frame_of_promise(P& p) noexcept {
  return coroutine_handle<P>::from_promise(p).address();
}
#endif

}  // namespace aio::coro
