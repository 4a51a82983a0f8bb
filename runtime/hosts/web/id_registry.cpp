#include "id_registry.hpp"

#include <algorithm>
#include <utility>

namespace aio::web::detail {

IdTable::Entry* IdTable::lookup(unsigned id) const noexcept {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                             [](const Entry& e, unsigned key) { return e.id < key; });
  return it != entries_.end() && it->id == id ? const_cast<Entry*>(&*it) : nullptr;
}

int IdTable::add(void* obj) {
  for (;;) {
    unsigned id = ++last_;
    // 0 means "no object" to JS; after the counter wrapped, an id still in
    // the table (registered, or removed but not swept yet) is skipped.
    if (id == 0 || lookup(id)) continue;
    entries_.push_back(Entry{id, obj});
    // Already in place, until the counter wraps (an insertion sort step,
    // smaller than vector::insert).
    for (std::size_t i = entries_.size() - 1; i > 0 && entries_[i - 1].id > id; --i)
      std::swap(entries_[i - 1], entries_[i]);
    return static_cast<int>(id);
  }
}

void* IdTable::find(int id) const noexcept {
  Entry* e = lookup(static_cast<unsigned>(id));
  return e ? e->obj : nullptr;
}

void IdTable::remove(int id) noexcept {
  Entry* e = lookup(static_cast<unsigned>(id));
  if (!e || !e->obj) return;
  e->obj = nullptr;
  if (++removed_ * 2 > entries_.size()) {
    std::erase_if(entries_, [](const Entry& x) { return !x.obj; });
    removed_ = 0;
  }
}

}  // namespace aio::web::detail
