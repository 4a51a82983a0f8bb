#include "aio/future.hpp"

#include "aio/task.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace aio::detail {

const char* status_name(FutureStatus s) noexcept {
  switch (s) {
    case FutureStatus::pending: return "PENDING";
    case FutureStatus::cancelled: return "CANCELLED";
    case FutureStatus::finished: return "FINISHED";
  }
  return "?";
}

namespace {

// Natively, 16 tables, each with its own mutex, chosen by the top bits of
// the key's hash (a table's home slots come from the bits below them): loops
// on several threads reading their tasks' names or contexts (ContextVar.get)
// then rarely meet on one lock. One in WebAssembly, where more would only
// cost code.
#ifdef __EMSCRIPTEN__
constexpr int kColdShardBits = 0;
#else
constexpr int kColdShardBits = 4;
#endif
constexpr std::size_t kColdShards = std::size_t{1} << kColdShardBits;

// Fibonacci hashing: the address times 2^64/phi, whose top bits are well
// mixed, so addresses a power of two apart (pool blocks) still spread out.
inline std::uint64_t cold_hash(const FutureCore* key) noexcept {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(key)) * 0x9E3779B97F4A7C15ull;
}

// The Cold side table: a future's address -> its Cold. Futures of loops on
// different threads share it, hence the mutexes; it is touched only by futures
// that have a name, a cancel message or (a task) a context. Each Cold is allocated on its own,
// so a Cold& stays valid until its future is destroyed, however the table
// grows.
//
// Hand-rolled (open addressing, linear probing, deletion by backward shift)
// rather than a std::unordered_map: that was the last hash table in the npm
// package's default module, which has a size budget, and it brought
// libc++'s __next_prime (1.6 KB) and its node machinery; this is a fraction
// of that, as fast (one multiply, and probes in one array). A cache line
// each when there are several (alignas): their mutexes must not share one.
class alignas(kColdShardBits ? 64 : 0) ColdTable {  // alignas(0) is ignored
 public:
  std::mutex mutex;

  FutureCore::Cold* find(const FutureCore* key) noexcept {
    Slot* s = slot(key);
    return s ? s->cold : nullptr;
  }

  FutureCore::Cold& get(const FutureCore* key) {
    if (Slot* s = slot(key)) return *s->cold;
    if ((count_ + 1) * 2 > slots_.size()) grow();  // at most half full: short probes
    auto cold = std::make_unique<FutureCore::Cold>();
    FutureCore::Cold& c = *cold;
    place(key, cold.release());
    ++count_;
    return c;
  }

  // Removes the key's entry and hands its Cold to the caller (null if none).
  FutureCore::Cold* take(const FutureCore* key) noexcept {
    Slot* s = slot(key);
    if (!s) return nullptr;
    FutureCore::Cold* cold = s->cold;
    --count_;
    // Backward shift: the entries after the hole that probed past it move
    // up, so every lookup still meets its key before an empty slot.
    std::size_t mask = slots_.size() - 1, hole = static_cast<std::size_t>(s - slots_.data());
    for (std::size_t j = (hole + 1) & mask; slots_[j].key; j = (j + 1) & mask) {
      std::size_t home = home_of(slots_[j].key);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    return cold;
  }

 private:
  struct Slot {
    const FutureCore* key = nullptr;  // nullptr: empty
    FutureCore::Cold* cold = nullptr;
  };

  // The hash's top bits below the table-choosing ones.
  std::size_t home_of(const FutureCore* key) const noexcept {
    return static_cast<std::size_t>((cold_hash(key) << kColdShardBits) >> shift_);
  }

  Slot* slot(const FutureCore* key) noexcept {
    if (slots_.empty()) return nullptr;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home_of(key);; i = (i + 1) & mask) {
      if (slots_[i].key == key) return &slots_[i];
      if (!slots_[i].key) return nullptr;
    }
  }

  void place(const FutureCore* key, FutureCore::Cold* cold) noexcept {
    std::size_t mask = slots_.size() - 1, i = home_of(key);
    while (slots_[i].key) i = (i + 1) & mask;
    slots_[i] = Slot{key, cold};
  }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? 16 : slots_.size() * 2);
    old.swap(slots_);
    shift_ = old.empty() ? 60 : shift_ - 1;  // 16 slots: the top 4 bits of the product
    for (const Slot& s : old)
      if (s.key) place(s.key, s.cold);
  }

  std::vector<Slot> slots_;  // a power of two of them, or none yet
  std::size_t count_ = 0;
  int shift_ = 0;            // 64 - log2(slots_.size()), once there are slots
};
ColdTable& cold_table(const FutureCore* key) {
  static ColdTable* tables = new ColdTable[kColdShards];  // never destroyed: futures may outlive static destruction
  if constexpr (kColdShardBits == 0) return tables[0];
  return tables[cold_hash(key) >> (64 - kColdShardBits)];
}

}  // namespace

FutureCore::~FutureCore() {
  release_anchor();
  if (has_cold_) {
    FutureCore::Cold* cold;
    {
      ColdTable& t = cold_table(this);
      std::lock_guard lock(t.mutex);
      cold = t.take(this);
    }
    // Freed once the lock is let go: a task context's last reference
    // destroys its values, whose destructors may use the table.
#if AIO_HAS_CONTEXTVARS
    if (cold && cold->context) context_release(cold->context);
#endif
    delete cold;
  }
  // Callbacks that never fired (the future died pending) are freed here.
  for (DoneCallbackNode* n = take_callbacks(); n;) {
    DoneCallbackNode* next = n->next_node();
    if (auto* h = as_heap_node(n)) h->ops->drop(h);
    n = next;
  }
}

void FutureCore::last_release() noexcept {
  // Most futures have nothing to report (no unretrieved exception, not a
  // pending task) and go straight to destruction.
  if (log_traceback_ || (is_task_ && status_ == FutureStatus::pending)) [[unlikely]] {
    refs_ = 1;  // a handler that looks at the future must not destroy it twice
    report_on_destroy();
  }
  destroy();
}

void FutureCore::report_on_destroy() noexcept {
  if (!log_traceback_) return;
  log_traceback_ = false;
  ExceptionContext ctx;
  // asyncio: f'{self.__class__.__name__} exception was never retrieved'.
  ctx.message = std::string(class_name()) + " exception was never retrieved";
  ctx.exception = exc_;
  if (is_task_)
    ctx.task = static_cast<const TaskCore*>(this)->get_name();
  ctx.future = describe();
  report(ctx);
}

void FutureCore::report(ExceptionContext& ctx) const noexcept {
  if (EventLoop* l = loop()) {
    l->call_exception_handler(ctx);
    return;
  }
  // The loop was destroyed before this future (or it never had one).
  try {
    ctx.message += " (its event loop was destroyed first)";
  } catch (...) {
  }
  EventLoop::default_exception_handler(ctx);
}

void FutureCore::bind_loop(EventLoop* loop) noexcept {
  // Callers bind an unbound future (share_loop rebinds).
  anchor_ = loop->anchor();
  ++anchor_->refs;
}

void FutureCore::share_loop(const FutureCore& other) noexcept {
  if (anchor_ == other.anchor_) return;
  release_anchor();
  anchor_ = other.anchor_;
  if (anchor_) ++anchor_->refs;
}

void FutureCore::release_anchor() noexcept {
  // The last reference is the loop's while the loop exists: reaching zero
  // here means the loop is gone and this future was the last to know it.
  if (anchor_) anchor_->release();
  anchor_ = nullptr;
}

void throw_future_of_another_loop(std::string_view advice) {
  throw ValueError("The future belongs to a different loop than the one specified as the loop argument",
                   std::string(advice));
}

void FutureCore::throw_no_loop() const {
  if (anchor_)
    throw RuntimeError("Event loop is closed: " + describe() +
                       " outlived its event loop (it was destroyed); only its state can still be read");
  throw RuntimeError(describe() + " has no event loop yet: schedule it with create_task() first");
}

std::string FutureCore::describe() const {
  std::string s = "<Future ";
  for (const char* c = status_name(status_); *c; ++c) s += static_cast<char>(*c - 'A' + 'a');
  if (status_ == FutureStatus::finished && exc_) s += " exception=" + exception_repr(exc_);
  return s + ">";
}


FutureCore::Cold& FutureCore::cold() {
  ColdTable& t = cold_table(this);
  std::lock_guard lock(t.mutex);
  Cold& c = t.get(this);
  has_cold_ = true;
  return c;
}

FutureCore::Cold* FutureCore::cold_lookup() const noexcept {
  ColdTable& t = cold_table(this);
  std::lock_guard lock(t.mutex);
  return t.find(this);
}

const std::string& FutureCore::cancel_message() const noexcept {
  static const std::string empty;
  Cold* c = find_cold();
  return c ? c->cancel_message : empty;
}

void FutureCore::set_cancel_message(std::string msg) {
  if (msg.empty() && !has_cold_) return;
  cold().cancel_message = std::move(msg);
}

std::exception_ptr FutureCore::make_cancelled_error() {
  // A task that finished by raising CancelledError keeps that exception (and
  // its message); a cancelled future makes one from its cancel message.
  if (status_ == FutureStatus::cancelled && exc_) return std::exchange(exc_, nullptr);
  return std::make_exception_ptr(CancelledError(cancel_message()));
}

void FutureCore::check_result_slow() {
  if (status_ == FutureStatus::cancelled) std::rethrow_exception(make_cancelled_error());
  if (status_ != FutureStatus::finished)
    throw InvalidStateError("Result is not set.", "the future is still pending: await it, or check done() first");
  log_traceback_ = false;
  if (exc_) std::rethrow_exception(exc_);
}

std::exception_ptr FutureCore::exception_slow() {
  if (status_ == FutureStatus::cancelled) std::rethrow_exception(make_cancelled_error());
  if (status_ != FutureStatus::finished)
    throw InvalidStateError("Exception is not set.", "the future is still pending: await it, or check done() first");
  log_traceback_ = false;
  return exc_;
}

void throw_invalid_set(const FutureCore& f) {
  // asyncio's C Future says just "invalid state"; which state is in the hint.
  throw InvalidStateError("invalid state", std::string("the future is already ") + status_name(f.status()) +
                                               ": a result or exception can be set only once (check done() first)");
}

void FutureCore::ensure_pending(const char*) const {
  if (done()) throw_invalid_set(*this);
}

void FutureCore::set_exception(std::exception_ptr e) {
  ensure_pending("set_exception");
  if (!e) throw std::invalid_argument("set_exception: the exception must not be null");
  if (is_cancelled_error(e)) {
    // Python 3.11 accepts it but the future then reports an error, not a
    // cancellation; keep that.
  }
  exc_ = std::move(e);
  status_ = FutureStatus::finished;
  log_traceback_ = true;
  schedule_callbacks();
}

void FutureCore::finish_with_result() {
  ensure_pending("set_result");
  status_ = FutureStatus::finished;
  schedule_callbacks();
}

bool FutureCore::cancel(std::string msg) { return cancel_future(std::move(msg)); }

bool FutureCore::cancel_future(std::string msg) {
  log_traceback_ = false;
  if (status_ != FutureStatus::pending) return false;
  status_ = FutureStatus::cancelled;
  set_cancel_message(std::move(msg));
  schedule_callbacks();
  return true;
}

void FutureCore::schedule_callbacks() noexcept {
  // asyncio's __schedule_callbacks: each callback is scheduled with call_soon,
  // in the order they were added.
  DoneCallbackNode* n = take_callbacks();
  while (n) {
    DoneCallbackNode* next = n->next_node();
    n->next_ready = nullptr;
    try {
      fire(n);
    } catch (...) {
      // call_soon failed (the loop is closed, or destroyed): nothing can run
      // the callback.
      ExceptionContext ctx;
      ctx.message = "Could not schedule a done callback (is the loop closed?)";
      ctx.exception = std::current_exception();
      ctx.future = describe();
      report(ctx);
      if (auto* h = as_heap_node(n)) h->ops->drop(h);
    }
    n = next;
  }
}

void FutureCore::fire(DoneCallbackNode* node) {
  EventLoop* l = loop();
  if (!l) [[unlikely]]
    throw RuntimeError("Event loop is closed: the future outlived its event loop, nothing can run its callbacks");
  if (auto* h = as_heap_node(node)) {
    // call_soon(callback): the node itself is the queued item.
    l->check_closed();
    add_ref();  // released after the callback ran (or was discarded)
    h->core = this;
    h->id = l->next_handle_seq();
    h->run_ready = &HeapCallbackNode::scheduled;
    l->push_ready(h);
    return;
  }
  node->run_ready(node);  // a waiting task: schedules its wakeup
}

void HeapCallbackNode::scheduled(ReadyItem* item) {
  auto* n = static_cast<HeapCallbackNode*>(static_cast<DoneCallbackNode*>(item));
  FutureCore* core = n->core;
  struct Free {  // after the callback, whatever it does
    HeapCallbackNode* n;
    FutureCore* core;
    ~Free() {
      n->ops->drop(n);
      core->release();
    }
  } free_node{n, core};
  core->loop()->run_done_callback(n->ops->invoke, n, *core, n->id);
}

void HeapCallbackNode::discard(ReadyItem* item) noexcept {
  auto* n = static_cast<HeapCallbackNode*>(static_cast<DoneCallbackNode*>(item));
  FutureCore* core = n->core;
  n->ops->drop(n);
  core->release();
}

DoneCallbackNode* FutureCore::take_callbacks() noexcept {
  if (!callbacks_) return nullptr;
  ReadyItem* tail = std::exchange(callbacks_, nullptr);
  ReadyItem* head = tail->next_ready;
  tail->next_ready = nullptr;
  return static_cast<DoneCallbackNode*>(head);
}

void FutureCore::add_callback_node(DoneCallbackNode* node) {
  if (done()) {
    node->next_ready = nullptr;
    try {
      fire(node);
    } catch (...) {
      if (auto* h = as_heap_node(node)) h->ops->drop(h);
      throw;
    }
    return;
  }
  if (callbacks_) {
    node->next_ready = callbacks_->next_ready;  // the head
    callbacks_->next_ready = node;
  } else {
    node->next_ready = node;
  }
  callbacks_ = node;
}

// Walks the circular list and unlinks the first node for which `match` is
// true; returns it (or null). O(n), as asyncio's list.remove() is.
template <class Match>
static ReadyItem* unlink_first(ReadyItem*& tail, Match match) noexcept {
  if (!tail) return nullptr;
  ReadyItem* prev = tail;
  ReadyItem* n = tail->next_ready;
  for (;;) {
    if (match(n)) {
      if (n == prev)  // the only node
        tail = nullptr;
      else {
        prev->next_ready = n->next_ready;
        if (n == tail) tail = prev;
      }
      n->next_ready = nullptr;
      return n;
    }
    if (n == tail) return nullptr;
    prev = n;
    n = n->next_ready;
  }
}

bool FutureCore::remove_callback_node(DoneCallbackNode* node) noexcept {
  return unlink_first(callbacks_, [node](ReadyItem* n) { return n == node; }) != nullptr;
}

std::size_t FutureCore::remove_callback_id(std::uint64_t id) noexcept {
  std::size_t removed = 0;
  while (ReadyItem* n = unlink_first(callbacks_, [id](ReadyItem* i) {
           HeapCallbackNode* h = as_heap_node(static_cast<DoneCallbackNode*>(i));
           return h && h->id == id;
         })) {
    auto* h = static_cast<HeapCallbackNode*>(static_cast<DoneCallbackNode*>(n));
    h->ops->drop(h);
    ++removed;
  }
  return removed;
}

std::uint64_t FutureCore::next_callback_id() noexcept {
  static thread_local std::uint64_t counter = 0;
  return ++counter;
}

}  // namespace aio::detail
