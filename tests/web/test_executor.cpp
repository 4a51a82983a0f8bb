// run_in_executor and to_thread in a WebAssembly build without threads: a
// RuntimeError that says what the page and the build need, never the job
// run inline on the loop.
#include <string>

#include "aio/aio.hpp"
#include "test_servers.hpp"

ASYNC_TEST(RunInExecutorExplainsWhatIsNeeded) {
  test_support::run_async(done, []() -> aio::Task<void> {
    bool ran = false;
    std::string message;
    try {
      (void)aio::run_in_executor([&ran] { ran = true; return 1; });
    } catch (const aio::RuntimeError& e) {
      message = e.what();
    }
    CHECK(!ran);
    CHECK_MSG(message.find("cross-origin isolated") != std::string::npos, message);
    CHECK_MSG(message.find("-pthread") != std::string::npos, message);

    message.clear();
    try {
      co_await aio::to_thread([&ran] { ran = true; });
    } catch (const aio::RuntimeError& e) {
      message = e.what();
    }
    CHECK(!ran);
    CHECK_MSG(message.find("cross-origin isolated") != std::string::npos, message);
  });
}

int main() { return aio_test::main_entry(); }
