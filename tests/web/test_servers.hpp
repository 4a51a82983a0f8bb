#pragma once
// Test servers for the browser I/O tests, in the test's own Node process: an
// HTTP server (node:http) and a WebSocket server (npm `ws`), both on
// 127.0.0.1 with ephemeral ports. They record what they see in Module.srv so
// the C++ tests can check the server's side of things (aborted connections,
// concurrency, close codes). Include from exactly one file per test program
// (EM_JS defines functions).
//
// Also: helpers to run a test coroutine on its own loop under the browser
// host and to read values from JS.
#include <emscripten.h>

#include <functional>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/web/web_host.hpp"
#include "async_test.hpp"
#include "js_bridge.hpp"

EM_JS(void, start_test_servers, (), {
  var http = require('http');
  var S = Module.srv = {
    port : 0,
    wsPort : 0,
    aborted : {},      // path -> responses closed before they finished
    finished : {},     // path -> responses finished
    started : {},      // path -> requests received
    active : 0,        // /limited requests in progress
    maxActive : 0,
    streamWritten : 0, // bytes /stream wrote
    streamDone : false,
    wsClosed : [],     // [code, reason] of each WebSocket the server saw closed
    wsSockets : [],
  };
  var server = http.createServer(function(req, res) {
    var path = new URL(req.url, 'http://x').pathname;
    S.started[path] = (S.started[path] || 0) + 1;
    res.on('close', function() {
      var key = res.writableFinished ? 'finished' : 'aborted';
      S[key][path] = (S[key][path] || 0) + 1;
    });
    if (path === '/hello') {
      res.writeHead(200, {'Content-Type' : 'text/plain', 'X-Test' : 'yes'});
      res.end('hello, world');
    } else if (path === '/missing') {
      res.writeHead(404, {'Content-Type' : 'text/plain'});
      res.end('no such page');
    } else if (path === '/echo') {
      // Echoes the request: method and selected headers as headers, the
      // body as the body.
      var parts = [];
      req.on('data', function(c) { parts.push(c); });
      req.on('end', function() {
        res.writeHead(200, {
          'Content-Type' : req.headers['content-type'] || 'application/octet-stream',
          'X-Echo-Method' : req.method,
          'X-Echo-Token' : req.headers['x-token'] || "",
        });
        res.end(Buffer.concat(parts));
      });
    } else if (path === '/slow') {
      // Answers after 10 s unless the client goes away first.
      var timer = setTimeout(function() { res.end('late'); }, 10000);
      res.on('close', function() { clearTimeout(timer); });
    } else if (path === '/stream') {
      // 1024 chunks of 64 KiB, each written only once the previous one was
      // taken by the socket (write() returned true or 'drain' came): how far
      // ahead of the reader the server gets is bounded by buffers, not by
      // the 64 MiB body.
      res.writeHead(200, {'Content-Type' : 'application/octet-stream'});
      var i = 0;
      var chunk = Buffer.alloc(65536, 7);
      var more = function() {
        while (i < 1024) {
          i++;
          S.streamWritten += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        S.streamDone = true;
        res.end();
      };
      res.on('close', function() { i = 1024; });
      more();
    } else if (path === '/redirect') {
      res.writeHead(302, {'Location' : '/hello'});
      res.end();
    } else if (path === '/slowish') {
      setTimeout(function() { res.end('done'); }, 50);
    } else if (path === '/stall') {
      res.writeHead(200, {'Content-Type' : 'text/plain'});
      res.write('first');
      var stall = setTimeout(function() { res.end('last'); }, 10000);
      res.on('close', function() { clearTimeout(stall); });
    } else if (path === '/chunks') {
      // Five small chunks, 10 ms apart.
      res.writeHead(200, {'Content-Type' : 'text/plain'});
      var n = 0;
      var tick = setInterval(function() {
        res.write('abcde'[n++]);
        if (n === 5) {
          clearInterval(tick);
          res.end();
        }
      }, 10);
    } else if (path === '/limited') {
      S.active++;
      S.maxActive = Math.max(S.maxActive, S.active);
      // Long enough for the three admitted requests to overlap even on a
      // loaded machine.
      setTimeout(function() {
        S.active--;
        res.end('ok');
      }, 100);
    } else {
      res.writeHead(500);
      res.end('unknown test path ' + path);
    }
  });
  server.listen(0, '127.0.0.1', function() { S.port = server.address().port; });
  // A port nobody listens on (connections are refused): one that was just
  // free.
  var probe = http.createServer();
  probe.listen(0, '127.0.0.1', function() {
    var port = probe.address().port;
    probe.close(function() { S.deadPort = port; });
  });

  var ws = require('ws');
  Module.WebSocket = ws.WebSocket;  // Node 20 has no global WebSocket
  var wss = new ws.WebSocketServer({
    host : '127.0.0.1',
    port : 0,
    handleProtocols : function(protocols) { return protocols.has('chat') ? 'chat' : false; },
  });
  wss.on('listening', function() { S.wsPort = wss.address().port; });
  wss.on('connection', function(sock, req) {
    S.wsSockets.push(sock);
    sock.on('close', function(code, reason) { S.wsClosed.push([ code, reason.toString() ]); });
    if (req.url === '/echo') {
      sock.on('message', function(data, isBinary) { sock.send(data, {binary : isBinary}); });
    } else if (req.url === '/burst') {
      for (var i = 0; i < 5; i++) sock.send('m' + i);
    } else if (req.url === '/close') {
      sock.send('one');
      sock.send(Buffer.from([ 1, 2, 3 ]));
      sock.send('three');
      sock.close(1000, 'done');
    } else if (req.url === '/close-error') {
      sock.send('one');
      sock.close(4002, 'app error');
    } else if (req.url === '/terminate') {
      sock.send('one');
      setTimeout(function() { sock.terminate(); }, 20);
    }
  });
});

// A number or string computed by a JS expression (over Module.srv, mostly).
EM_JS(double, js_number, (const char* expr), { return Number(eval(UTF8ToString(expr))); });
EM_JS(int, js_stage_string, (const char* expr), { return Module.__aioWeb.stage(String(eval(UTF8ToString(expr)))); });
EM_JS(void, js_run, (const char* code), { eval(UTF8ToString(code)); });

namespace test_support {

inline std::string js_string(const char* expr) {
  aio::web::detail::bridge_init();
  return aio::web::detail::unstage(js_stage_string(expr));
}

inline std::string http_url(const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(static_cast<int>(js_number("Module.srv.port"))) + path;
}

inline std::string ws_url(const std::string& path) {
  return "ws://127.0.0.1:" + std::to_string(static_cast<int>(js_number("Module.srv.wsPort"))) + path;
}

// A URL on a port where connections are refused.
inline std::string dead_url(const std::string& scheme) {
  return scheme + "://127.0.0.1:" + std::to_string(static_cast<int>(js_number("Module.srv.deadPort"))) + "/";
}

// Waits (polling every 5 ms, at most `limit` seconds) until `expr` is true
// in JS; returns whether it became true.
inline aio::Task<bool> eventually(const char* expr, double limit = 3.0) {
  for (double waited = 0; waited < limit; waited += 0.005) {
    if (js_number(expr) != 0) co_return true;
    co_await aio::sleep(0.005);
  }
  co_return js_number(expr) != 0;
}

// Runs the coroutine made by `make` on a new loop driven by the browser host,
// records loop exception-handler calls as failures, and checks no JS handle
// or pending op is left behind.
template <class Make>
void run_async(std::function<void()> done, Make make) {
  auto loop = std::make_shared<aio::EventLoop>();
  auto errors = std::make_shared<int>(0);
  loop->set_exception_handler([errors](aio::EventLoop&, const aio::ExceptionContext& c) {
    ++*errors;
    std::printf("#   exception handler called: %s\n", c.message.c_str());
  });
  int handles_before = aio::web::detail::live_handles();
  aio::EventLoop* l = loop.get();
  aio::web::run_until_complete(*l, make(), [loop, errors, done, handles_before](auto& fut, std::exception_ptr error) {
    CHECK_MSG(!error, aio::describe_exception(error));
    if (!error && fut.done()) {
      auto e = fut.cancelled() ? nullptr : fut.exception();
      CHECK_MSG(!fut.cancelled() && !e, "the test raised " + aio::describe_exception(e));
    }
    CHECK(*errors == 0);
    CHECK_MSG(aio::web::detail::pending_ops() == 0, std::to_string(aio::web::detail::pending_ops()) + " ops pending");
    int handles = aio::web::detail::live_handles();
    CHECK_MSG(handles == handles_before, std::to_string(handles) + " JS handles, " + std::to_string(handles_before) + " before");
    loop->close();
    done();
  });
}

}  // namespace test_support

// Waits for both servers to listen (the first "test" of each program).
#define SERVERS_LISTEN_TEST                                                              \
  ASYNC_TEST(ServersListen) {                                                            \
    start_test_servers();                                                                \
    test_support::run_async(done, []() -> aio::Task<void> {                              \
      CHECK(co_await test_support::eventually("Module.srv.port && Module.srv.wsPort && Module.srv.deadPort")); \
    });                                                                                  \
  }
