#pragma once
// A move-only `void()` callable with inline storage.
//
// Hand-rolled rather than std::function (which must be copyable and, in
// libstdc++, allocates for anything over 16 bytes) or std::move_only_function
// (C++23, absent from both toolchains): call_soon is the loop's hottest path,
// and a lambda capturing a few pointers must not allocate.
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace aio::detail {

class Callback {
 public:
  // Four pointers' worth inline: a lambda capturing up to four pointers, or
  // a shared_ptr and two pointers. Natively that is 32 bytes, 8-aligned,
  // which keeps the handle that carries one at 96 bytes (call_soon makes one
  // per call). In wasm32 it is 16 bytes, pointer-aligned (a callable holding
  // a double or a 64-bit integer goes to the heap there), so that a handle
  // is 60 bytes: dlmalloc serves that from a 64-byte chunk, where 8-byte
  // alignment would make it 64 bytes and a 72-byte chunk. In wasm32 (V8 gives
  // its memory no huge pages) the first touch of every fresh 4 KiB page
  // costs 12-16 us, so the bytes of a handle are most of what call_soon and
  // a timer cost. Bigger or more aligned callables are moved to the heap:
  // hot ones check fits_inline.
  static constexpr std::size_t inline_size = 4 * sizeof(void*);
  static constexpr std::size_t inline_align = sizeof(void*) == 4 ? 4 : 8;

  template <class F, class D = std::decay_t<F>>
  static constexpr bool fits_inline =
      sizeof(D) <= inline_size && alignof(D) <= inline_align && std::is_nothrow_move_constructible_v<D>;

  Callback() noexcept = default;

  template <class F, class D = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<D, Callback> && std::is_invocable_v<D&>>>
  Callback(F&& f) {  // NOLINT(google-explicit-constructor): callables convert like std::function
    if constexpr (fits_inline<D>) {
      ::new (static_cast<void*>(storage_)) D(std::forward<F>(f));
      ops_ = &inline_ops<D>;
    } else {
      *reinterpret_cast<D**>(storage_) = new D(std::forward<F>(f));
      ops_ = &heap_ops<D>;
    }
  }

  Callback(Callback&& other) noexcept : ops_(other.ops_) {
    if (ops_) ops_->move(storage_, other.storage_);
    other.ops_ = nullptr;
  }
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      if (ops_) ops_->move(storage_, other.storage_);
      other.ops_ = nullptr;
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  void operator()() { ops_->call(storage_); }
  void reset() noexcept {
    if (ops_) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    void (*call)(void*);
    void (*move)(void* to, void* from) noexcept;
    void (*destroy)(void*) noexcept;
  };
  template <class D>
  static constexpr Ops inline_ops{
      [](void* p) { (*static_cast<D*>(p))(); },
      [](void* to, void* from) noexcept {
        ::new (to) D(std::move(*static_cast<D*>(from)));
        static_cast<D*>(from)->~D();
      },
      [](void* p) noexcept { static_cast<D*>(p)->~D(); }};
  template <class D>
  static constexpr Ops heap_ops{
      [](void* p) { (**static_cast<D**>(p))(); },
      [](void* to, void* from) noexcept { *static_cast<D**>(to) = *static_cast<D**>(from); },
      [](void* p) noexcept { delete *static_cast<D**>(p); }};

  const Ops* ops_ = nullptr;
  alignas(inline_align) unsigned char storage_[inline_size];
};

}  // namespace aio::detail
