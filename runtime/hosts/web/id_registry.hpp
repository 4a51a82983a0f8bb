#pragma once
// Private to runtime/hosts/web: the numbers JS holds for C++ objects.
//
// JS cannot hold a C++ pointer safely: a hop, a timer, a promise or a
// WebSocket event may call back after the object it was for is gone. So JS
// gets a number, and the callback looks the number up here: a number whose
// object was removed finds nothing (nullptr), never a newer object, because
// numbers are not handed out again (until 2^32 of them were used, and even
// then never one that is still registered).
//
// Hand-rolled rather than a std::unordered_map<int, T*>: this is in the
// default npm module, which has a size budget, and a sorted vector with one
// non-template implementation (id_registry.cpp) is several KB smaller than
// the hash tables (with __next_prime) it replaced. Ids increase, so adding
// appends; lookup is a binary search; a removal only clears its entry, and
// the cleared entries are swept out once they are the majority (amortized
// O(1)).
#include <cstddef>
#include <vector>

namespace aio::web::detail {

/// Untyped implementation of IdRegistry: one copy of the code for all T.
class IdTable {
 public:
  /// `last`: the id before the first one (tests start near the wrap).
  explicit IdTable(unsigned last = 0) noexcept : last_(last) {}
  /// Registers `obj` (not null) under a new id (never 0).
  int add(void* obj);
  /// The object registered under `id`; nullptr once removed (or never added).
  void* find(int id) const noexcept;
  /// Unregisters `id`; does nothing for an unknown id.
  void remove(int id) noexcept;
  /// Number of registered objects.
  std::size_t size() const noexcept { return entries_.size() - removed_; }
  /// The first registered object (in id order) for which `pred(obj)` is
  /// true; nullptr if none. A linear scan: for rare lookups by something
  /// other than the id.
  template <class Pred>
  void* find_if(Pred pred) const {
    for (const Entry& e : entries_)
      if (e.obj && pred(e.obj)) return e.obj;
    return nullptr;
  }

 private:
  struct Entry {
    unsigned id;
    void* obj;  // nullptr: removed, swept out later
  };
  Entry* lookup(unsigned id) const noexcept;

  std::vector<Entry> entries_;  // sorted by id
  std::size_t removed_ = 0;     // entries with obj == nullptr
  unsigned last_;               // unsigned: wraps instead of overflowing
};

/// Objects of type T that JS refers to by number (see the top of this file).
/// Not thread-safe: callers that share one across threads lock around it.
template <class T>
class IdRegistry {
 public:
  explicit IdRegistry(unsigned last = 0) noexcept : table_(last) {}
  int add(T* obj) { return table_.add(obj); }
  T* find(int id) const noexcept { return static_cast<T*>(table_.find(id)); }
  void remove(int id) noexcept { table_.remove(id); }
  std::size_t size() const noexcept { return table_.size(); }
  /// The first registered object for which `pred(T*)` is true, or nullptr.
  template <class Pred>
  T* find_if(Pred pred) const {
    return static_cast<T*>(table_.find_if([&](void* obj) { return pred(static_cast<T*>(obj)); }));
  }

 private:
  IdTable table_;
};

}  // namespace aio::web::detail
