// WebSocket: a WebSocket client from C++ on the browser host.
//
//   node example_web_websocket.js [URL]
//
// Without a URL it first starts an echo server inside the same Node process
// (npm `ws`, Node only), so the example runs offline. Node 20 has no global
// WebSocket, so the example also hands `ws`'s client class to the module as
// Module.WebSocket; browsers have their own.
#include <emscripten.h>

#include <cstdio>
#include <string>

#include "aio/aio.hpp"
#include "aio/web/web_host.hpp"
#include "aio/web/websocket.hpp"

// The demo server echoes every message; on "bye" it closes with 1000.
EM_JS(void, start_demo_server, (), {
  var ws = require('ws');
  Module.WebSocket = ws.WebSocket;
  var server = new ws.WebSocketServer({host : '127.0.0.1', port : 0});
  server.on('connection', function(sock) {
    sock.send('welcome');
    sock.on('message', function(data, isBinary) {
      if (!isBinary && data.toString() === 'bye') sock.close(1000, 'see you');
      else sock.send(data, {binary : isBinary});
    });
  });
  server.on('listening', function() { Module.demoPort = server.address().port; });
});
EM_JS(int, demo_server_port, (), { return Module.demoPort || 0; });
EM_JS(void, use_ws_package, (), {
  if (!globalThis.WebSocket && !Module.WebSocket) Module.WebSocket = require('ws').WebSocket;
});

aio::Task<void> main_task(std::string url) {
  if (url.empty()) {
    start_demo_server();
    while (!demo_server_port()) co_await aio::sleep(0.01);
    url = "ws://127.0.0.1:" + std::to_string(demo_server_port());
  } else {
    use_ws_package();
  }

  aio::web::WebSocket ws = co_await aio::web::WebSocket::connect(url);
  std::printf("connected to %s\n", ws.url().c_str());

  ws.send("hello");                       // text
  ws.send(aio::web::Bytes{0xde, 0xad});   // binary
  ws.send("bye");
  // Nobody was receiving while these were echoed: they wait in the queue.
  co_await aio::sleep(0.1);
  std::printf("%zu messages queued\n", ws.queued());

  // async for message in ws: ends when the server closes the connection.
  auto messages = ws.messages();
  while (auto m = co_await messages.next()) {
    if (m->is_text()) std::printf("  text: %s\n", m->text.c_str());
    else std::printf("  binary: %zu bytes\n", m->data.size());
  }
  std::printf("closed by the server: code %d, reason \"%s\"\n", ws.close_code().value_or(0), ws.close_reason().c_str());
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
