#pragma once
// The loop's ready queue: an intrusive FIFO of things to run on the next
// iteration. Anything that can be made ready (a callback handle, a task's next
// step) embeds a ReadyItem, so scheduling never allocates.
#include <cstddef>

#include "aio/config.hpp"

namespace aio::detail {

struct ReadyItem {
  ReadyItem* next_ready = nullptr;
  // Runs the item. The queue's reference (if the item is reference counted)
  // passes to this call, which must release it.
  void (*run_ready)(ReadyItem*) = nullptr;
};

class ReadyQueue {
 public:
  AIO_HOT bool empty() const noexcept { return head_ == nullptr; }
  AIO_HOT std::size_t size() const noexcept { return size_; }

  AIO_HOT void push(ReadyItem* item) noexcept {
    item->next_ready = nullptr;
    if (tail_)
      tail_->next_ready = item;
    else
      head_ = item;
    tail_ = item;
    ++size_;
  }

  /// Put `item` first: the next one pop() returns.
  void push_front(ReadyItem* item) noexcept {
    item->next_ready = head_;
    if (!head_) tail_ = item;
    head_ = item;
    ++size_;
  }

  /// Take `item` out of the queue wherever it is: O(n), for the rare owner
  /// that goes away while its item waits (see FrameTimer::release).
  bool remove(ReadyItem* item) noexcept {
    ReadyItem* prev = nullptr;
    for (ReadyItem* n = head_; n; prev = n, n = n->next_ready) {
      if (n != item) continue;
      (prev ? prev->next_ready : head_) = n->next_ready;
      if (tail_ == n) tail_ = prev;
      n->next_ready = nullptr;
      --size_;
      return true;
    }
    return false;
  }

  AIO_HOT ReadyItem* pop() noexcept {
    ReadyItem* item = head_;
    head_ = item->next_ready;
    if (!head_) tail_ = nullptr;
    --size_;
    return item;
  }

 private:
  ReadyItem* head_ = nullptr;
  ReadyItem* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace aio::detail
