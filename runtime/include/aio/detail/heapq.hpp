#pragma once
// A generic port of Python's heapq push/pop. Copying its exact sift
// operations, rather than using std::push_heap, makes items that compare
// equal come out in the same order as in CPython.
//
// Items are swapped along the path, as CPython's C module (_heapqmodule.c)
// does, rather than lifted out into a hole the way Lib/heapq.py does: the
// final order is the same, but when `less` throws (a comparator that raises,
// a JS `<` on values that cannot be compared) every item is still in the
// heap. With a hole, the item being sifted was destroyed and a moved-from
// value left in its slot.
#include <cstddef>
#include <utility>
#include <vector>

namespace aio {
namespace detail {

// heapq._siftdown: move the item at `pos` up toward `startpos`.
template <class T, class Less>
void heapq_siftdown(std::vector<T>& heap, std::size_t startpos, std::size_t pos, Less& less) {
  using std::swap;
  while (pos > startpos) {
    std::size_t parentpos = (pos - 1) >> 1;
    if (!less(heap[pos], heap[parentpos])) break;
    swap(heap[pos], heap[parentpos]);
    pos = parentpos;
  }
}

// heapq._siftup: bubble the smaller child up until reaching a leaf, then
// sift the item there down into place.
template <class T, class Less>
void heapq_siftup(std::vector<T>& heap, std::size_t pos, Less& less) {
  using std::swap;
  std::size_t endpos = heap.size();
  std::size_t startpos = pos;
  std::size_t childpos = 2 * pos + 1;
  while (childpos < endpos) {
    std::size_t rightpos = childpos + 1;
    if (rightpos < endpos && !less(heap[childpos], heap[rightpos])) childpos = rightpos;
    swap(heap[pos], heap[childpos]);
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  heapq_siftdown(heap, startpos, pos, less);
}

// heapq.heappush
template <class T, class U, class Less>
void heappush(std::vector<T>& heap, U&& item, Less& less) {
  heap.push_back(std::forward<U>(item));
  heapq_siftdown(heap, 0, heap.size() - 1, less);
}

// heapq.heappop; the heap must not be empty. If `less` throws, the item
// being returned is lost and the rest stay in the heap (CPython alike).
template <class T, class Less>
T heappop(std::vector<T>& heap, Less& less) {
  T lastelt = std::move(heap.back());
  heap.pop_back();
  if (heap.empty()) return lastelt;
  T returnitem = std::move(heap[0]);
  heap[0] = std::move(lastelt);
  heapq_siftup(heap, 0, less);
  return returnitem;
}

}  // namespace detail
}  // namespace aio
