// aio::web::WebSocket against a `ws` WebSocketServer in the same Node
// process: echo of text and binary, messages queued before anyone receives,
// close from either side, abnormal closes, refused connections, cancellation.
#include "aio/web/websocket.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "test_servers.hpp"

using aio::web::Bytes;
using aio::web::ConnectionClosed;
using aio::web::ConnectionClosedError;
using aio::web::ConnectionClosedOK;
using aio::web::Message;
using aio::web::WebSocket;
using aio::web::WebSocketError;
using test_support::eventually;
using test_support::run_async;
using test_support::ws_url;

SERVERS_LISTEN_TEST

ASYNC_TEST(EchoesTextAndBinary) {
  run_async(done, []() -> aio::Task<void> {
    WebSocket ws = co_await WebSocket::connect(ws_url("/echo"), {"chat", "other"});
    CHECK(ws.protocol() == "chat");  // the server picked it
    CHECK(ws.url() == ws_url("/echo"));
    ws.send("hello, \xc3\xa9t\xc3\xa9");  // UTF-8 text
    Message m = co_await ws.receive();
    CHECK(m.is_text());
    CHECK_MSG(m.text == "hello, \xc3\xa9t\xc3\xa9", m.text);

    Bytes all(256);
    for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
    ws.send(all);
    Message b = co_await ws.receive();
    CHECK(b.is_binary());
    CHECK(b.data == all);
    co_await ws.close();
    CHECK(ws.closed());
    CHECK(ws.close_code() == 1000);
  });
}

ASYNC_TEST(MessagesArrivingBeforeReceiveAreQueued) {
  run_async(done, []() -> aio::Task<void> {
    // The server sends five messages as soon as the connection opens.
    WebSocket ws = co_await WebSocket::connect(ws_url("/burst"));
    for (int i = 0; i < 600 && ws.queued() < 5; ++i) co_await aio::sleep(0.005);
    CHECK_MSG(ws.queued() == 5, std::to_string(ws.queued()) + " queued");
    for (int i = 0; i < 5; ++i) {
      Message m = co_await ws.receive();
      CHECK_MSG(m.text == "m" + std::to_string(i), m.text);
      CHECK(ws.queued() == static_cast<std::size_t>(4 - i));
    }
    co_await ws.close();
  });
}

ASYNC_TEST(CloseSendsCodeAndReason) {
  run_async(done, []() -> aio::Task<void> {
    WebSocket ws = co_await WebSocket::connect(ws_url("/echo"));
    int closed_before = static_cast<int>(js_number("Module.srv.wsClosed.length"));
    co_await ws.close(4001, "client done");
    CHECK(ws.closed());
    CHECK(ws.close_code() == 4001);  // the server echoes the code
    CHECK(ws.close_reason() == "client done");
    CHECK(co_await eventually(("Module.srv.wsClosed.length === " + std::to_string(closed_before + 1)).c_str()));
    CHECK(js_number("Module.srv.wsClosed.at(-1)[0]") == 4001);
    CHECK(test_support::js_string("Module.srv.wsClosed.at(-1)[1]") == "client done");
    // Closing again returns at once; sending raises.
    co_await ws.close();
    bool raised = false;
    try {
      ws.send("too late");
    } catch (const ConnectionClosed& e) {
      raised = e.code() == 4001;
    }
    CHECK(raised);
    // Invalid codes are refused before anything is sent.
    WebSocket other = co_await WebSocket::connect(ws_url("/echo"));
    bool invalid = false;
    try {
      co_await other.close(1006);
    } catch (const aio::ValueError&) {
      invalid = true;
    }
    CHECK(invalid);
    co_await other.close();
  });
}

ASYNC_TEST(ServerCloseEndsIteration) {
  run_async(done, []() -> aio::Task<void> {
    // The server sends 'one', [1, 2, 3], 'three', then closes with 1000.
    WebSocket ws = co_await WebSocket::connect(ws_url("/close"));
    std::vector<Message> got;
    auto messages = ws.messages();  // async for m in ws
    while (auto m = co_await messages.next()) got.push_back(std::move(*m));
    CHECK(got.size() == 3);
    if (got.size() == 3) {
      CHECK(got[0].text == "one");
      CHECK(got[1].is_binary() && got[1].data == (Bytes{1, 2, 3}));
      CHECK(got[2].text == "three");
    }
    CHECK(ws.close_code() == 1000);
    CHECK(ws.close_reason() == "done");
    // receive() after the end raises the close, as the OK kind.
    bool ok = false;
    try {
      (void)co_await ws.receive();
    } catch (const ConnectionClosedOK& e) {
      ok = e.code() == 1000 && e.reason() == "done";
    }
    CHECK(ok);
  });
}

ASYNC_TEST(AbnormalCloseRaisesFromIteration) {
  run_async(done, []() -> aio::Task<void> {
    // An application error code: the messages first, then the error.
    WebSocket ws = co_await WebSocket::connect(ws_url("/close-error"));
    auto messages = ws.messages();
    std::vector<std::string> got;
    std::string error;
    int code = 0;
    try {
      while (auto m = co_await messages.next()) got.push_back(m->text);
    } catch (const ConnectionClosedError& e) {
      error = e.what();
      code = e.code();
    }
    CHECK(got == std::vector<std::string>{"one"});
    CHECK(code == 4002);
    CHECK_MSG(error == "WebSocket closed with code 4002 (reason: app error)", error);

    // The server drops the TCP connection: 1006, not clean.
    WebSocket dropped = co_await WebSocket::connect(ws_url("/terminate"));
    CHECK((co_await dropped.receive()).text == "one");
    bool raised = false;
    try {
      (void)co_await dropped.receive();
    } catch (const ConnectionClosedError& e) {
      raised = e.code() == 1006 && !e.was_clean();
    }
    CHECK(raised);
  });
}

ASYNC_TEST(ConnectionRefusedRaises) {
  run_async(done, []() -> aio::Task<void> {
    std::string message;
    try {
      (void)co_await WebSocket::connect(test_support::dead_url("ws"));
    } catch (const WebSocketError& e) {
      message = e.what();
    }
    CHECK_MSG(message.find("WebSocket connection to 'ws://127.0.0.1:") == 0, message);
    CHECK_MSG(message.find("ECONNREFUSED") != std::string::npos, message);

    message.clear();
    try {
      (void)co_await WebSocket::connect("http://not-a-websocket-url");
    } catch (const WebSocketError& e) {
      message = e.what();
    }
    CHECK_MSG(!message.empty(), message);
  });
}

ASYNC_TEST(MissingWebSocketClassIsExplained) {
  run_async(done, []() -> aio::Task<void> {
    js_run("Module.savedWebSocket = Module.WebSocket; delete Module.WebSocket;");
    std::string message;
    try {
      (void)co_await WebSocket::connect(ws_url("/echo"));
    } catch (const WebSocketError& e) {
      message = e.what();
    }
    js_run("Module.WebSocket = Module.savedWebSocket;");
    CHECK_MSG(message.find("Module.WebSocket") != std::string::npos, message);
  });
}

ASYNC_TEST(CancelledReceiveLosesNothing) {
  run_async(done, []() -> aio::Task<void> {
    WebSocket ws = co_await WebSocket::connect(ws_url("/echo"));
    bool timed_out = false;
    try {
      (void)co_await aio::wait_for(ws.receive(), 0.02);
    } catch (const aio::TimeoutError&) {
      timed_out = true;
    }
    CHECK(timed_out);
    ws.send("after");
    CHECK((co_await ws.receive()).text == "after");

    // One receiver at a time.
    auto waiting = aio::create_task(ws.receive());
    co_await aio::sleep(0);
    bool refused = false;
    try {
      (void)co_await ws.receive();
    } catch (const aio::RuntimeError&) {
      refused = true;
    }
    CHECK(refused);
    ws.send("for the first");
    CHECK((co_await waiting).text == "for the first");
    co_await ws.close();
  });
}

aio::Task<void> connect_and_hold(std::string url) {
  WebSocket ws = co_await WebSocket::connect(url);
  co_await aio::sleep(10);
}

ASYNC_TEST(DroppingOrCancellingClosesTheConnection) {
  run_async(done, []() -> aio::Task<void> {
    int before = static_cast<int>(js_number("Module.srv.wsClosed.length"));
    int sockets = static_cast<int>(js_number("Module.srv.wsSockets.length"));
    {
      WebSocket ws = co_await WebSocket::connect(ws_url("/echo"));
    }  // the last copy is gone: closed with 1000
    CHECK(co_await eventually(("Module.srv.wsClosed.length === " + std::to_string(before + 1)).c_str()));
    CHECK(js_number("Module.srv.wsClosed.at(-1)[0]") == 1000);

    // A task holding a connection is cancelled.
    auto task = aio::create_task(connect_and_hold(ws_url("/echo")));
    CHECK(co_await eventually(("Module.srv.wsSockets.length === " + std::to_string(sockets + 2)).c_str()));
    co_await aio::sleep(0.01);
    task.cancel();
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
    }
    CHECK(co_await eventually(("Module.srv.wsClosed.length === " + std::to_string(before + 2)).c_str()));

    // Cancelled while connecting: the attempt is abandoned, nothing leaks.
    auto connecting = aio::create_task(connect_and_hold(ws_url("/echo")));
    co_await aio::sleep(0);
    connecting.cancel();
    try {
      co_await connecting;
    } catch (const aio::CancelledError&) {
    }
    co_await aio::sleep(0.05);
  });
}

// A WebSocket outlives the loop it was opened on (a JS program's rt.run()
// frees its loop when it returns, and may use the socket in the next run): a
// message arriving while no loop runs is queued, and a task of another loop
// receives it. The connection's state kept a pointer to the first loop,
// which receive() then used after the loop was destroyed.
struct Outlives {
  std::optional<WebSocket> ws;
  std::function<void()> done;
};

// A coroutine function, not a capturing lambda: the lambda run_async() gets
// dies before the coroutine's first step.
aio::Task<void> receive_in_second_loop(Outlives* o) {
  for (int i = 0; i < 200 && o->ws->queued() == 0; ++i) co_await aio::sleep(0.005);
  CHECK(o->ws->queued() == 1);
  CHECK((co_await o->ws->receive()).text == "between loops");
  o->ws->send("again");
  CHECK((co_await o->ws->receive()).text == "again");
  co_await o->ws->close();
}

void outlives_second_loop(void* p) {
  auto* o = static_cast<Outlives*>(p);
  run_async(
      [o] {
        auto done = std::move(o->done);
        delete o;  // the last copy of the WebSocket: released
        done();
      },
      [o] { return receive_in_second_loop(o); });
}

aio::Task<void> open_and_send(Outlives* o) {
  o->ws = co_await WebSocket::connect(ws_url("/echo"));
  o->ws->send("between loops");
}

ASYNC_TEST(WebSocketOutlivesItsLoop) {
  auto* o = new Outlives{std::nullopt, done};
  auto loop = std::make_shared<aio::EventLoop>();
  aio::web::run_until_complete(*loop, open_and_send(o), [loop, o](auto& fut, std::exception_ptr error) {
    CHECK(!error);
    CHECK(!fut.exception());
    loop->close();
    // The first loop is destroyed with this callback, before the next turn.
    emscripten_async_call(outlives_second_loop, o, 0);
  });
}

int main() { return aio_test::main_entry(); }
