// fetch: HTTP requests from C++ on the browser host.
//
//   node example_web_fetch.js [BASE_URL]
//
// Without a BASE_URL it first starts a small HTTP server inside the same Node
// process (demo_server below, Node only), so the example runs offline. In a
// browser, the same C++ runs unchanged against your own server.
#include <emscripten.h>

#include <cstdio>
#include <string>

#include "aio/aio.hpp"
#include "aio/web/fetch.hpp"
#include "aio/web/web_host.hpp"

// The demo server: /hello, /echo (returns the request body), /numbers (a
// body sent in pieces) and /slow (never answers); and a port where
// connections are refused.
EM_JS(void, start_demo_server, (), {
  var server = require('http').createServer(function(req, res) {
    if (req.url === '/hello') {
      res.setHeader('Content-Type', 'text/plain');
      res.end('Hello from the server');
    } else if (req.url === '/echo') {
      req.pipe(res);
    } else if (req.url === '/numbers') {
      var i = 0;
      var t = setInterval(function() {
        res.write('[' + i + ']');
        if (++i === 5) { clearInterval(t); res.end(); }
      }, 20);
    } else if (req.url === '/slow') {
      res.on('close', function() { console.log('server: client went away from /slow'); });
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  server.listen(0, '127.0.0.1', function() { Module.demoPort = server.address().port; });
  // A port that was free a moment ago, for the connection-refused case.
  var probe = require('http').createServer().listen(0, '127.0.0.1', function() {
    var port = probe.address().port;
    probe.close(function() { Module.deadPort = port; });
  });
});
EM_JS(int, demo_server_port, (), { return Module.demoPort && Module.deadPort ? Module.demoPort : 0; });
EM_JS(int, dead_port, (), { return Module.deadPort || 1; });

aio::Task<void> main_task(std::string base) {
  if (base.empty()) {
    start_demo_server();
    while (!demo_server_port()) co_await aio::sleep(0.01);
    base = "http://127.0.0.1:" + std::to_string(demo_server_port());
  }

  // A GET. Status and headers come first; the body is read on demand.
  aio::web::Response r = co_await aio::web::fetch(base + "/hello");
  std::printf("GET /hello: %d %s, Content-Type %s\n", r.status(), r.status_text().c_str(),
              r.headers().get("content-type").value_or("?").c_str());
  std::printf("  body: %s\n", (co_await r.text()).c_str());

  // An HTTP error status is a response, not an exception.
  aio::web::Response missing = co_await aio::web::fetch(base + "/nowhere");
  std::printf("GET /nowhere: %d, ok() = %s\n", missing.status(), missing.ok() ? "true" : "false");

  // A POST with headers and a body.
  aio::web::Response echo = co_await aio::web::fetch(
      base + "/echo", {.method = "POST", .headers = {{"Content-Type", "application/json"}}, .body = std::string(R"({"n": 42})")});
  std::printf("POST /echo: %s\n", (co_await echo.text()).c_str());

  // A body read as it arrives (async for chunk in response.body).
  aio::web::Response numbers = co_await aio::web::fetch(base + "/numbers");
  auto chunks = numbers.body().chunks();
  while (auto chunk = co_await chunks.next())
    std::printf("  chunk: %.*s\n", static_cast<int>(chunk->size()), reinterpret_cast<const char*>(chunk->data()));

  // A time limit: wait_for cancels the fetch, which aborts the request.
  try {
    (void)co_await aio::wait_for(aio::web::fetch(base + "/slow"), 0.1);
  } catch (const aio::TimeoutError&) {
    std::printf("GET /slow: timed out after 0.1 s, request aborted\n");
  }
  co_await aio::sleep(0.05);  // let the server report the abort

  // No response at all: FetchError with the JS error's message.
  try {
    (void)co_await aio::web::fetch("http://127.0.0.1:" + std::to_string(dead_port()) + "/");
  } catch (const aio::web::FetchError& e) {
    std::printf("GET on a closed port: %s: %s\n", e.name().c_str(), e.what());
  }
}

int main(int argc, char** argv) {
  static aio::EventLoop loop;  // runs from the JS event loop, after main() returns
  aio::web::run_until_complete(loop, main_task(argc > 1 ? argv[1] : ""), [](auto& fut, std::exception_ptr error) {
    if (!error) error = fut.exception();
    if (error) std::printf("error: %s\n", aio::describe_exception(error).c_str());
    std::fflush(stdout);
    emscripten_force_exit(error ? 1 : 0);  // the demo server would keep Node running
  });
  emscripten_exit_with_live_runtime();
}
