// Twin of py/scenarios/137_callback_exception_handler.py: an exception in a plain callback goes
// to the loop's exception handler (with a handle) and the loop keeps running.
#include <sstream>

#include "harness.hpp"

namespace {
using namespace conformance;

void handler(aio::EventLoop&, const aio::ExceptionContext& context) {
  // ' '.join(msg.split(' ')[0:3])
  std::istringstream words(context.message);
  std::string word, first3;
  for (int i = 0; i < 3 && std::getline(words, word, ' '); ++i) first3 += (i ? " " : "") + word;
  log("handler:", first3, "|", fmt_exc(context.exception), "| handle key", !context.handle.empty());
}

void bad(int n) {
  log("bad callback", n);
  throw ZeroDivisionError("callback " + std::to_string(n) + " failed");
}

void good() { log("good callback still runs"); }

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.set_exception_handler(handler);
  loop.call_soon([] { bad(1); });
  loop.call_soon(good);
  loop.call_later(1, [] { bad(2); });
  co_await aio::sleep(2);
  loop.set_exception_handler(nullptr);
  log("handler reset", !loop.get_exception_handler());
}
}  // namespace

AIO_SCENARIO("137_callback_exception_handler") { run(main_); }
