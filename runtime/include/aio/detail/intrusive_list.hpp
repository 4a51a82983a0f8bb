#pragma once
// An intrusive doubly-linked list: each element carries its own two links, so
// linking allocates nothing and unlinking is O(1) given the element. The loop's
// pending tasks, a server's connections and the HTTP demo's connections are
// kept in one.
//
//     struct Connection {
//       aio::detail::IntrusiveListHook<Connection> list_hook;  // this name
//       ...
//     };
//     aio::detail::IntrusiveList<Connection> open;
//     open.push_back(&c);  ...  open.remove(&c);
//
// Hand-rolled rather than borrowed: no Debian-packaged library fits
// header-only into both the native build and the size-critical wasm build,
// and boost::intrusive is not to be pulled in for this. It is the
// null-terminated head/tail list the three users used to write out by hand.
//
// Why a member with a fixed name, not a base or a `&T::hook` template
// argument: a member pointer needs T complete wherever the list is declared,
// and EventLoop declares its task list while TaskCore is incomplete; a base
// would move the element's other fields and, in a polymorphic class such as
// TaskCore, add an RTTI record to the size-critical wasm module. And why
// AIO_HOT on every function: the wasm build compiles with emcc's -Os, which
// inlines nothing that is not always_inline (see the top-level
// CMakeLists.txt), and out-of-line one-liners cost bytes and calls there.
#include <cassert>

#include "aio/config.hpp"

namespace aio::detail {

template <class T>
class IntrusiveList;

/// The links an element of IntrusiveList<T> carries, as a member named
/// `list_hook`. An element is in one IntrusiveList<T> at most.
template <class T>
class IntrusiveListHook {
 public:
  AIO_HOT IntrusiveListHook() noexcept = default;
  // A copy would claim the original's place in its list.
  IntrusiveListHook(const IntrusiveListHook&) = delete;
  IntrusiveListHook& operator=(const IntrusiveListHook&) = delete;

 private:
  friend class IntrusiveList<T>;
  T* prev_ = nullptr;  // both null: not in a list (or its only element)
  T* next_ = nullptr;
};

/// Does not own its elements: the list only threads them together, and an
/// element must be removed before it is destroyed.
template <class T>
class IntrusiveList {
 public:
  AIO_HOT IntrusiveList() noexcept = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  AIO_HOT bool empty() const noexcept { return head_ == nullptr; }
  AIO_HOT T* front() const noexcept { return head_; }
  AIO_HOT T* back() const noexcept { return tail_; }

  /// Whether `element`, which is in this list or in none, is in this one. O(1).
  AIO_HOT bool contains(const T* element) const noexcept {
    return element->list_hook.prev_ || head_ == element;
  }

  AIO_HOT void push_back(T* element) noexcept {
    auto& links = element->list_hook;
    links.prev_ = tail_;
    links.next_ = nullptr;
    if (tail_)
      tail_->list_hook.next_ = element;
    else
      head_ = element;
    tail_ = element;
  }

  AIO_HOT void push_front(T* element) noexcept {
    auto& links = element->list_hook;
    links.prev_ = nullptr;
    links.next_ = head_;
    if (head_)
      head_->list_hook.prev_ = element;
    else
      tail_ = element;
    head_ = element;
  }

  /// `element` must be in this list (see contains()).
  AIO_HOT void remove(T* element) noexcept {
    assert(contains(element));
    auto& links = element->list_hook;
    if (links.prev_)
      links.prev_->list_hook.next_ = links.next_;
    else
      head_ = links.next_;
    if (links.next_)
      links.next_->list_hook.prev_ = links.prev_;
    else
      tail_ = links.prev_;
    links.prev_ = links.next_ = nullptr;
  }

  /// Removes and returns the first element (null if empty): `while (T* e =
  /// list.pop_front())` empties the list, whatever each step does to the rest.
  AIO_HOT T* pop_front() noexcept {
    T* first = head_;
    if (first) remove(first);
    return first;
  }

  /// Front to back. The iterator reads an element's successor before handing
  /// the element out, so the loop body may remove (or destroy) the element it
  /// is on, but no other.
  class iterator {
   public:
    AIO_HOT explicit iterator(T* element) noexcept : current_(element), next_(successor(element)) {}
    AIO_HOT T* operator*() const noexcept { return current_; }
    AIO_HOT iterator& operator++() noexcept {
      current_ = next_;
      next_ = successor(current_);
      return *this;
    }
    AIO_HOT bool operator==(const iterator& other) const noexcept { return current_ == other.current_; }

   private:
    AIO_HOT static T* successor(T* element) noexcept { return element ? IntrusiveList::next_of(element) : nullptr; }
    T* current_;
    T* next_;
  };
  AIO_HOT iterator begin() const noexcept { return iterator(head_); }
  AIO_HOT iterator end() const noexcept { return iterator(nullptr); }

 private:
  AIO_HOT static T* next_of(T* element) noexcept { return element->list_hook.next_; }

  T* head_ = nullptr;
  T* tail_ = nullptr;
};

}  // namespace aio::detail
