// contextvars: a request id that every log line of a request carries, set
// once by the request's handler and seen by everything it calls and every
// task it starts, without passing it down (Python's contextvars, the classic
// use in asyncio servers).
#include <cstdio>
#include <string>

#include "aio/aio.hpp"

namespace {

aio::ContextVar<std::string> request_id("request_id", "-");

void log(const char* message) { std::printf("[%s] %s\n", request_id.get().c_str(), message); }

aio::Task<void> query_db(const char* table) {
  log((std::string("querying ") + table).c_str());
  co_await aio::sleep(0.01);
  log((std::string("got rows from ") + table).c_str());
}

aio::Task<void> handle(std::string id) {
  // Each handler is a task of its own, so this set is this request's only.
  request_id.set(id);
  log("handling");
  // Children copy the context when they are created: both see the id.
  co_await aio::gather(query_db("users"), query_db("orders"));
  // So do callbacks scheduled from here.
  aio::get_running_loop().call_soon([] { log("callback"); });
  co_await aio::sleep(0);
  log("done");
}

aio::Task<void> server() {
  log("server starting");
  auto a = aio::create_task(handle("req-1"));
  auto b = aio::create_task(handle("req-2"));
  co_await a;
  co_await b;
  log("server done");  // the handlers' sets never reached the server's context
}

}  // namespace

int main() { aio::run(server()); }
