#pragma once
/// aio::gather: run awaitables concurrently and collect their results
/// (asyncio.gather).
///
///     auto [a, b] = co_await aio::gather(fetch(1), fetch(2));      // tuple
///     std::vector<int> all = co_await aio::gather(tasks);          // vector
///     auto outcomes = co_await aio::gather(aio::return_exceptions, t1, t2);
///     auto [x, y] = co_await aio::gather(aio::sleep(1, 'x'), ev.wait());
///
/// Like asyncio, gather() is not a coroutine: it wraps every argument with
/// ensure_future at once (an unstarted coroutine, or an awaiter such as
/// aio::sleep()'s, becomes a task scheduled on the running loop) and returns a GatheringFuture, a future that can be
/// awaited, polled and cancelled:
///
///     auto g = aio::gather(a, b);
///     g.cancel();          // cancels the children that are still running
///     co_await g;          // raises CancelledError once they are done
///
/// Results come in argument order. A child returning void gives a
/// `std::monostate` in the tuple (a vector of Task<void> gives a vector of
/// monostate), so every position holds a value as in asyncio's list of Nones.
/// Without return_exceptions the first exception (or the CancelledError of a
/// cancelled child) is set on the gathering future at once and the other
/// children keep running; with aio::return_exceptions each position is an
/// aio::Outcome<T> holding the value or the exception.
///
/// Cancellation (3.11 semantics, _GatheringFuture): cancelling the gathering
/// future, or the task awaiting it, cancels every child still running; the
/// future then finishes with a CancelledError once all children are done,
/// *as an exception*: `g.cancelled()` stays false, as in CPython 3.11.
/// Cancelling a child does not cancel the gather: the gather raises that
/// child's CancelledError and the other children go on.
///
/// Lifetime: every child keeps the gathering future alive until the child is
/// done; the gathering future lets go of its children once it is done.
/// See runtime/examples/gather.cpp.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "aio/detail/future_like.hpp"
#include "aio/outcome.hpp"

namespace aio {

/// Tag asking gather() to return exceptions as results (asyncio's
/// `return_exceptions=True`): `aio::gather(aio::return_exceptions, a, b)`.
struct return_exceptions_t {
  explicit constexpr return_exceptions_t() = default;
};
inline constexpr return_exceptions_t return_exceptions{};

/// What gather() puts in place of a child's result: the result itself, or
/// `std::monostate` for a child that returns void.
template <class T>
using gather_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

namespace detail {

// What a gathering future sees of its children, which gather()'s state holds
// (GatherState, typed): one list of them per gather, not a second list of
// pointers beside it (4 bytes per child in wasm32, 8 natively, and fresh
// memory for every child of a big gather).
class GatherChildren {
 public:
  /// Cancels every child; true if at least one was.
  virtual bool cancel_children(const std::string& msg) = 0;

 protected:
  ~GatherChildren() = default;
};

// asyncio's _GatheringFuture: a future whose cancel() cancels the children
// instead of the future itself.
template <class R>
class GatheringCore final : public FutureCore, public ValueStorage<R> {
 public:
  GatheringCore() noexcept : FutureCore(nullptr) {}

  bool cancel(std::string msg = {}) override {
    if (done()) return false;
    bool ret = children_ && children_->cancel_children(msg);
    // Any child actually cancelled means the gather must end cancelled, even
    // with return_exceptions (CPython issue 32684).
    if (ret) cancel_requested_ = true;
    return ret;
  }

  std::string describe() const override {
    std::string s = FutureCore::describe();  // "<Future pending>"
    return "<_GatheringFuture" + s.substr(7);
  }
  // So that a gather whose error nobody awaited is reported as asyncio
  // reports it: "_GatheringFuture exception was never retrieved".
  const char* class_name() const noexcept override { return "_GatheringFuture"; }

  bool cancel_requested_ = false;
  // The gather's state while it holds the children (until the gather is done).
  GatherChildren* children_ = nullptr;

 protected:
  ~GatheringCore() override = default;
};

// Calls fn(FutureCore&) for the first n children (those gather() has
// registered so far), in argument order.
template <class F, class Fn>
void for_each_child(const std::vector<F>& children, std::size_t n, Fn&& fn) {
  for (std::size_t i = 0; i < n; ++i) fn(children[i].core());
}
template <class Tuple, class Fn, std::size_t... I>
void for_each_child(const Tuple& children, std::size_t n, Fn& fn, std::index_sequence<I...>) {
  ((I < n ? fn(std::get<I>(children).core()) : void()), ...);
}
template <class... Fs, class Fn>
void for_each_child(const std::tuple<Fs...>& children, std::size_t n, Fn&& fn) {
  for_each_child(children, n, fn, std::index_sequence_for<Fs...>{});
}

template <bool ReturnExceptions, class F>
using gather_element_t =
    std::conditional_t<ReturnExceptions, Outcome<future_value_t<F>>, gather_value_t<future_value_t<F>>>;

// One child's slot in the result list (the loop body of asyncio's results
// building in _done_callback).
template <bool ReturnExceptions, class F>
gather_element_t<ReturnExceptions, F> gather_extract(const F& child) {
  using T = future_value_t<F>;
  FutureCore& core = child.core();
  if constexpr (ReturnExceptions) {
    // asyncio builds a fresh CancelledError from the cancel message (empty for
    // a task, whose message lives in the exception it raised) rather than
    // consuming the child's own exception.
    if (core.cancelled()) return Outcome<T>(std::make_exception_ptr(CancelledError(core.cancel_message())));
    if (std::exception_ptr e = core.exception()) return Outcome<T>(std::move(e));
    if constexpr (std::is_void_v<T>)
      return Outcome<void>();
    else
      return Outcome<T>(result_of(child));
  } else {
    if constexpr (std::is_void_v<T>) {
      child.result();
      return std::monostate{};
    } else {
      return result_of(child);
    }
  }
}

// The state asyncio keeps in gather()'s closure: the outer future, the
// children, and the counters of _done_callback. Shared by the children's done
// callbacks.
template <class R, bool ReturnExceptions, class Children>
struct GatherState final : GatherChildren {
  GatheringCore<R>* outer;  // strong reference
  // Strong references, duplicates kept. Dropped once the gather is done:
  // cancel() no longer needs them, and holding them would keep a cycle with
  // their done callbacks alive.
  std::optional<Children> children;
  std::size_t nchildren = 0;  // registered so far (a tuple's later ones are still empty)
  std::size_t nfuts = 0;
  std::size_t nfinished = 0;
  bool built = false;  // asyncio: `outer is None` until gather() returns

  std::uint32_t refs = 0;  // StateRefs: the children's done callbacks and gather() itself
  // The done callback of every child: here once rather than in each child's node.
  void (*on_done)(GatherState&, FutureCore&) = nullptr;

  explicit GatherState(GatheringCore<R>* o) noexcept : outer(o) {
    outer->add_ref();
    outer->children_ = this;
  }
  GatherState(const GatherState&) = delete;
  GatherState& operator=(const GatherState&) = delete;
  ~GatherState() {
    outer->children_ = nullptr;
    outer->release();
  }

  bool cancel_children(const std::string& msg) override {
    if (!children) return false;
    // Copy the list: a child's cancel() never re-enters the gather (its done
    // callbacks are scheduled, not run), but be safe against it anyway.
    std::vector<FutureCore*> cores;
    cores.reserve(nchildren);
    for_each_child(*children, nchildren, [&](FutureCore& c) { cores.push_back(&c); });
    bool ret = false;
    for (FutureCore* child : cores) {
      if (child->cancel(msg)) ret = true;
    }
    return ret;
  }

  // asyncio's _done_callback, called (through call_soon) once per distinct child.
  template <class Build>
  void on_child_done(FutureCore& fut, Build&& build) {
    ++nfinished;
    if (!built || outer->done()) {
      if (!fut.cancelled()) fut.exception();  // mark the exception retrieved
      return;
    }
    if constexpr (!ReturnExceptions) {
      if (fut.cancelled()) {
        // A cancelled child ends the gather with its CancelledError, as an
        // exception: the gather itself is not cancelled.
        outer->set_exception(fut.make_cancelled_error());
        finish();
        return;
      }
      if (std::exception_ptr exc = fut.exception()) {
        outer->set_exception(std::move(exc));
        finish();
        return;
      }
    }
    if (nfinished == nfuts) {
      R results = build(*children);
      if (outer->cancel_requested_) {
        outer->set_exception(fut.make_cancelled_error());
      } else {
        outer->store(std::move(results));
        outer->finish_with_result();
      }
      finish();
    }
  }

  void finish() noexcept {
    outer->children_ = nullptr;
    children.reset();
  }
};

// A counted reference to a GatherState, held by each child's done callback
// (one thread, no atomics: a shared_ptr's would cost two atomic operations per
// child).
template <class State>
class StateRef {
 public:
  explicit StateRef(State* s) noexcept : p_(s) { ++p_->refs; }
  StateRef(const StateRef& o) noexcept : p_(o.p_) { ++p_->refs; }
  StateRef(StateRef&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  StateRef& operator=(const StateRef&) = delete;
  ~StateRef() {
    if (p_ && --p_->refs == 0) delete p_;
  }
  State* operator->() const noexcept { return p_; }
  State& operator*() const noexcept { return *p_; }

 private:
  State* p_;
};

// The futures gather() already watches (the keys of asyncio's arg_to_fut),
// so that an argument given twice is watched once. A flag in each future
// marks it while gather() registers its arguments (every child is touched
// anyway, and a million children need no table); the flags are cleared when
// registration ends. A gather started while another is registering (from a
// task factory, say) cannot share the flags and uses an open-addressing set
// of pointers instead, which keeps it linear too.
class SeenFutures {
 public:
  // `children`: where gather() keeps the futures it inserts, in order;
  // `registered`: the state's count of them, whose first ones carry marks.
  template <class Children>
  SeenFutures(std::size_t n, const Children& children, const std::size_t& registered)
      : children_(&children), registered_(registered), clear_marks_([](const void* c, std::size_t registered) noexcept {
          for_each_child(*static_cast<const Children*>(c), registered, [](FutureCore& f) { f.set_gather_mark(false); });
        }) {
    if (t_building_++ == 0) return;  // the outermost registration: flags
    while ((std::size_t(1) << bits_) < 2 * n) ++bits_;
    slots_.assign(std::size_t(1) << bits_, nullptr);
  }
  SeenFutures(const SeenFutures&) = delete;
  SeenFutures& operator=(const SeenFutures&) = delete;
  ~SeenFutures() {
    --t_building_;
    if (slots_.empty()) clear_marks_(children_, registered_);
  }
  // False if `core` was inserted before.
  bool insert(FutureCore* core) {
    if (slots_.empty()) {
      if (core->gather_mark()) return false;
      core->set_gather_mark(true);
      return true;
    }
    std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: the top bits of the product mix every pointer bit.
    std::size_t i = std::size_t((std::uint64_t(reinterpret_cast<std::uintptr_t>(core)) * 0x9E3779B97F4A7C15ull) >>
                                (64 - bits_));
    for (;; i = (i + 1) & mask) {
      if (slots_[i] == core) return false;
      if (!slots_[i]) {
        slots_[i] = core;
        return true;
      }
    }
  }

 private:
  static inline thread_local int t_building_ = 0;
  const void* children_;
  const std::size_t& registered_;
  void (*clear_marks_)(const void* children, std::size_t registered) noexcept;
  unsigned bits_ = 3;
  std::vector<const FutureCore*> slots_;
};

// Adds `core` to the gather: counts it and watches it unless an earlier
// argument was the same future (asyncio's arg_to_fut).
template <class State>
void gather_register(const StateRef<State>& st, SeenFutures& seen, FutureCore& core,
                     void (*on_done)(State&, FutureCore&)) {
  // asyncio's _ensure_future(arg, loop=<the first future's loop>) refuses a
  // future of another loop: its done callbacks would run on that loop.
  if (!st->outer->loop())
    st->outer->ensure_loop(core.loop());
  else if (!st->outer->same_loop(core))
    throw_future_of_another_loop("gather() needs every future on one loop");
  ++st->nchildren;
  if (!seen.insert(&core)) return;
  ++st->nfuts;
  st->on_done = on_done;
  add_core_callback(core, [st](FutureCore& f) { st->on_done(*st, f); });
}

}  // namespace detail

/// A future aggregating the results of gather()'s children (asyncio's
/// _GatheringFuture). Awaiting it suspends until every child is done (or the
/// first one fails); cancel() cancels the children still running. Copies
/// refer to the same future.
template <class R>
class [[nodiscard]] GatheringFuture {
 public:
  using value_type = R;

  GatheringFuture() noexcept = default;
  GatheringFuture(const GatheringFuture& o) noexcept : s_(o.s_) {
    if (s_) s_->add_ref();
  }
  GatheringFuture(GatheringFuture&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  GatheringFuture& operator=(GatheringFuture o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~GatheringFuture() {
    if (s_) s_->release();
  }
  static GatheringFuture from_core(detail::FutureCore* core) noexcept {
    core->add_ref();
    return GatheringFuture(static_cast<detail::GatheringCore<R>*>(core));
  }
  /// Takes over the reference the caller holds on `core`.
  static GatheringFuture adopt(detail::GatheringCore<R>* core) noexcept { return GatheringFuture(core); }

  bool done() const noexcept { return s_->done(); }
  /// False even after cancel(): a cancelled gather finishes with a
  /// CancelledError exception, as in CPython 3.11.
  bool cancelled() const noexcept { return s_->cancelled(); }
  /// The results; raises what the gather raised, or InvalidStateError if it
  /// is still pending.
  const R& result() const {
    s_->check_result();
    return s_->get();
  }
  std::exception_ptr exception() const { return s_->exception(); }
  /// Cancel every child that is still running. Returns true if at least one
  /// was; the gather then raises CancelledError once all children are done.
  /// Returns false if the gather is done or no child could be cancelled.
  bool cancel(std::string msg = {}) { return s_->cancel(std::move(msg)); }
  template <class F>
  std::uint64_t add_done_callback(F fn) {
    return detail::add_user_done_callback<GatheringFuture>(*s_, std::move(fn));
  }
  std::size_t remove_done_callback(std::uint64_t id) noexcept { return s_->remove_callback_id(id); }
  EventLoop& get_loop() const { return s_->bound_loop(); }
  detail::GatheringCore<R>& core() const noexcept { return *s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }
  bool operator==(const GatheringFuture& o) const noexcept { return s_ == o.s_; }

  /// Suspends until the gather is done; returns a copy of the results.
  auto operator co_await() const& noexcept { return detail::FutureAwaiter<R, false, detail::GatheringCore<R>>{s_}; }
  /// Suspends until the gather is done; moves the results out (the handle
  /// was a temporary, as in `co_await aio::gather(...)`).
  auto operator co_await() && noexcept { return detail::FutureAwaiter<R, true, detail::GatheringCore<R>>{s_}; }

 private:
  explicit GatheringFuture(detail::GatheringCore<R>* s) noexcept : s_(s) {}
  detail::GatheringCore<R>* s_ = nullptr;
};

namespace detail {

template <class R>
ValueStorage<R>& value_storage(const GatheringFuture<R>& g) {
  return g.core();
}

// gather() raising mid-way (a future of another loop): the children already
// watched hold the state through their callbacks and the state holds them, a
// cycle nothing would break; dropping the state's side ends it (an unbuilt
// gather's callbacks only mark exceptions retrieved). Declared before the
// SeenFutures, whose destructor still reads the children.
template <class State>
struct DropChildrenIfUnbuilt {
  State& state;
  ~DropChildrenIfUnbuilt() {
    if (!state.built) state.finish();
  }
};

template <class R>
GatheringFuture<R> gather_done_empty() {
  // asyncio: gather() with nothing to gather is a future already done.
  auto* core = new GatheringCore<R>();
  core->ensure_loop(&get_running_loop());
  auto g = GatheringFuture<R>::adopt(core);
  core->store(R{});
  core->finish_with_result();
  return g;
}

template <bool ReturnExceptions, class... As, std::size_t... I>
auto gather_variadic(std::index_sequence<I...>, As&&... args) {
  using Children = std::tuple<std::decay_t<As>...>;
  using R = std::tuple<gather_element_t<ReturnExceptions, std::decay_t<As>>...>;
  if constexpr (sizeof...(As) == 0) {
    return gather_done_empty<R>();
  } else {
    using State = GatherState<R, ReturnExceptions, Children>;
    auto* core = new GatheringCore<R>();
    auto g = GatheringFuture<R>::adopt(core);
    StateRef<State> st(new State(core));
    st->children.emplace();
    DropChildrenIfUnbuilt<State> drop{*st};
    SeenFutures seen(sizeof...(As), *st->children, st->nchildren);
    void (*on_done)(State&, FutureCore&) = [](State& s, FutureCore& f) {
      s.on_child_done(f, [](Children& c) { return R{gather_extract<ReturnExceptions>(std::get<I>(c))...}; });
    };
    // One argument at a time, as asyncio does: wrap it, then add its done
    // callback (an already-done future schedules that callback right away,
    // before the next argument's task is scheduled).
    ((std::get<I>(*st->children) = to_future(std::forward<As>(args)),
      gather_register(st, seen, std::get<I>(*st->children).core(), on_done)),
     ...);
    st->built = true;
    return g;
  }
}

template <bool ReturnExceptions, class F>
auto gather_vector(std::vector<F> fs) {
  using R = std::vector<gather_element_t<ReturnExceptions, F>>;
  if (fs.empty()) return gather_done_empty<R>();
  using Children = std::vector<F>;
  using State = GatherState<R, ReturnExceptions, Children>;
  auto* core = new GatheringCore<R>();
  auto g = GatheringFuture<R>::adopt(core);
  StateRef<State> st(new State(core));
  // The list becomes the gather's own: each element is turned into its
  // future in place (a second list of 100,000 children would be 800 KB of
  // fresh memory). Only the first nchildren are registered children.
  std::size_t n = fs.size();
  st->children.emplace(std::move(fs));
  DropChildrenIfUnbuilt<State> drop{*st};
  SeenFutures seen(n, *st->children, st->nchildren);
  void (*on_done)(State&, FutureCore&) = [](State& s, FutureCore& f) {
    s.on_child_done(f, [](Children& c) {
      R results;
      results.reserve(c.size());
      for (const F& child : c) results.push_back(gather_extract<ReturnExceptions>(child));
      return results;
    });
  };
  for (F& f : *st->children) {
    f = to_future(std::move(f));
    gather_register(st, seen, f.core(), on_done);
  }
  st->built = true;
  return g;
}

}  // namespace detail

/// Run the awaitables (tasks, futures or unstarted coroutines) concurrently;
/// the returned future gives a std::tuple of their results, in argument
/// order. Unstarted coroutines are scheduled as tasks right away.
template <class... As>
  requires(detail::AwaitableArg<As> && ...)
auto gather(As&&... awaitables) {
  return detail::gather_variadic<false>(std::index_sequence_for<As...>{},
                                        detail::coroutine_of(std::forward<As>(awaitables))...);
}

/// Like gather(awaitables...), but each child's exception (CancelledError
/// included) is returned in its slot as an aio::Outcome instead of being
/// raised (asyncio's `return_exceptions=True`).
template <class... As>
  requires(detail::AwaitableArg<As> && ...)
auto gather(return_exceptions_t, As&&... awaitables) {
  return detail::gather_variadic<true>(std::index_sequence_for<As...>{},
                                       detail::coroutine_of(std::forward<As>(awaitables))...);
}

/// gather() over a list of same-typed awaitables; the future gives a
/// std::vector of results in list order.
template <class F>
  requires detail::AwaitableArg<F>
auto gather(std::vector<F> awaitables) {
  return detail::gather_vector<false>(detail::coroutines_of(std::move(awaitables)));
}

/// gather(return_exceptions) over a list: a std::vector of aio::Outcome.
template <class F>
  requires detail::AwaitableArg<F>
auto gather(return_exceptions_t, std::vector<F> awaitables) {
  return detail::gather_vector<true>(detail::coroutines_of(std::move(awaitables)));
}

}  // namespace aio
