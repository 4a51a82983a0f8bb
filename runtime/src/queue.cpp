#include "aio/queue.hpp"

namespace aio::detail {

std::string describe_queue(const char* class_name, const void* queue, long maxsize, std::size_t qsize,
                           std::size_t getters, std::size_t putters, std::size_t unfinished_tasks, bool shutdown) {
  std::string s = std::string("<") + class_name + " at " + address_of(queue) + " maxsize=" + std::to_string(maxsize);
  if (qsize) s += " qsize=" + std::to_string(qsize);
  if (getters) s += " _getters[" + std::to_string(getters) + "]";
  if (putters) s += " _putters[" + std::to_string(putters) + "]";
  if (unfinished_tasks) s += " tasks=" + std::to_string(unfinished_tasks);
  if (shutdown) s += " shutdown";
  return s + ">";
}

}  // namespace aio::detail
