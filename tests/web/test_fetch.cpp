// aio::web::fetch against a local HTTP server in the same Node process:
// responses (2xx and 4xx), request bodies and headers, streaming with
// backpressure, cancellation that aborts on the wire, network errors.
#include "aio/web/fetch.hpp"

#include <emscripten/val.h>

#include <string>
#include <vector>

#include "test_servers.hpp"

using aio::web::Bytes;
using aio::web::fetch;
using aio::web::FetchError;
using aio::web::Response;
using test_support::eventually;
using test_support::http_url;
using test_support::run_async;

SERVERS_LISTEN_TEST

ASYNC_TEST(GetReturnsStatusHeadersAndText) {
  run_async(done, []() -> aio::Task<void> {
    Response r = co_await fetch(http_url("/hello"));
    CHECK(r.status() == 200);
    CHECK(r.ok());
    CHECK(r.status_text() == "OK");
    CHECK(r.url() == http_url("/hello"));
    CHECK(!r.redirected());
    // Lookup ignores case (JS lower-cases the names).
    CHECK(r.headers().get("content-type") == "text/plain");
    CHECK(r.headers().get("X-TEST") == "yes");
    CHECK(!r.headers().has("x-missing"));
    std::string body = co_await r.text();
    CHECK_MSG(body == "hello, world", body);
  });
}

ASYNC_TEST(HttpErrorStatusIsAResponse) {
  run_async(done, []() -> aio::Task<void> {
    Response r = co_await fetch(http_url("/missing"));
    CHECK(r.status() == 404);
    CHECK(!r.ok());
    CHECK(r.status_text() == "Not Found");
    CHECK(co_await r.text() == "no such page");
  });
}

ASYNC_TEST(PostSendsHeadersAndBody) {
  run_async(done, []() -> aio::Task<void> {
    std::string json = R"({"n": 1, "s": "\u00e9t\u00e9"})";
    Response r = co_await fetch(http_url("/echo"), {.method = "POST",
                                                    .headers = {{"Content-Type", "application/json"}, {"X-Token", "abc"}},
                                                    .body = json});
    CHECK(r.status() == 200);
    CHECK(r.headers().get("x-echo-method") == "POST");
    CHECK(r.headers().get("X-Echo-Token") == "abc");
    CHECK(r.headers().get("content-type") == "application/json");
    std::string echoed = co_await r.text();
    CHECK_MSG(echoed == json, echoed);

    // Binary in, binary out: all 256 byte values survive both ways.
    Bytes all(256);
    for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
    Response b = co_await fetch(http_url("/echo"), {.method = "PUT", .body = all});
    CHECK(b.headers().get("x-echo-method") == "PUT");
    CHECK(b.headers().get("content-type") == "application/octet-stream");
    CHECK(co_await b.bytes() == all);
  });
}

ASYNC_TEST(BodyCanBeTakenOnlyOnce) {
  run_async(done, []() -> aio::Task<void> {
    Response r = co_await fetch(http_url("/hello"));
    CHECK(co_await r.text() == "hello, world");
    bool raised = false;
    try {
      (void)co_await r.bytes();
    } catch (const aio::RuntimeError& e) {
      raised = std::string(e.what()).find("already taken") != std::string::npos;
    }
    CHECK(raised);
  });
}

ASYNC_TEST(StreamReadsChunksAsTheyArrive) {
  run_async(done, []() -> aio::Task<void> {
    Response r = co_await fetch(http_url("/chunks"));
    std::string all;
    int chunks = 0;
    auto gen = r.body().chunks();  // async for chunk in r.body
    while (auto chunk = co_await gen.next()) {
      CHECK(!chunk->empty());
      all.append(chunk->begin(), chunk->end());
      ++chunks;
    }
    CHECK_MSG(all == "abcde", all);
    // Written 10 ms apart: several reads, not one buffered body (the kernel
    // may still merge a few writes on a loaded machine).
    CHECK_MSG(chunks >= 2, std::to_string(chunks) + " chunks");
  });
}

ASYNC_TEST(StreamingHasBackpressure) {
  run_async(done, []() -> aio::Task<void> {
    std::size_t received = 0;
    {
      Response r = co_await fetch(http_url("/stream"));
      auto reader = r.body();
      while (received < 2 * 1024 * 1024) {
        auto chunk = co_await reader.read();
        CHECK(chunk.has_value());
        if (!chunk) break;
        received += chunk->size();
        co_await aio::sleep(0.001);  // a slow consumer
      }
      // Give the server every chance to run ahead.
      co_await aio::sleep(0.2);
      double written = js_number("Module.srv.streamWritten");
      std::printf("#   stream: client read %.1f MiB, server wrote %.1f MiB of 64\n", received / 1048576.0,
                  written / 1048576.0);
      // The socket and stream buffers hold a few MiB at most (~6 MiB seen):
      // the 64 MiB body stays mostly unsent while nobody reads.
      CHECK_MSG(written - received < 24.0 * 1024 * 1024,
                "server wrote " + std::to_string(written) + ", client read " + std::to_string(received));
      CHECK(js_number("Module.srv.streamDone") == 0);
      // The response dies here with its body unread: the request is aborted.
    }
    CHECK(co_await eventually("Module.srv.aborted['/stream'] === 1"));
  });
}

aio::Task<void> fetch_slow() { (void)co_await fetch(http_url("/slow")); }

ASYNC_TEST(CancellingTheTaskAbortsTheRequest) {
  run_async(done, []() -> aio::Task<void> {
    auto task = aio::create_task(fetch_slow());
    CHECK(co_await eventually("Module.srv.started['/slow'] === 1"));
    CHECK(aio::web::detail::pending_ops() == 1);
    task.cancel();
    bool cancelled = false;
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
      cancelled = true;
    }
    CHECK(cancelled);
    // The server sees the connection closed before its response finished.
    CHECK(co_await eventually("Module.srv.aborted['/slow'] === 1"));
    CHECK(js_number("Module.srv.finished['/slow'] || 0") == 0);
    // The fetch promise rejected (AbortError) after the cancellation: ignored.
    co_await aio::sleep(0.05);
  });
}

ASYNC_TEST(WaitForTimesOutAndAborts) {
  run_async(done, []() -> aio::Task<void> {
    bool timed_out = false;
    try {
      (void)co_await aio::wait_for(fetch(http_url("/slow")), 0.05);
    } catch (const aio::TimeoutError&) {
      timed_out = true;
    }
    CHECK(timed_out);
    CHECK(co_await eventually("Module.srv.aborted['/slow'] === 2"));
  });
}

aio::Task<std::string> read_slowly(Response r) {
  auto reader = r.body();
  (void)co_await reader.read();
  co_await aio::sleep(10);
  co_return "unreachable";
}

ASYNC_TEST(CancellingABodyReadAbortsTheResponse) {
  run_async(done, []() -> aio::Task<void> {
    // The server sends the headers and a first chunk, then nothing.
    Response r = co_await fetch(http_url("/stall"));
    auto reader = r.body();
    auto first = co_await reader.read();
    CHECK(first && std::string(first->begin(), first->end()) == "first");
    bool timed_out = false;
    try {
      (void)co_await aio::wait_for(reader.read(), 0.05);
    } catch (const aio::TimeoutError&) {
      timed_out = true;
    }
    CHECK(timed_out);
    CHECK(co_await eventually("Module.srv.aborted['/stall'] === 1"));
    // The response is unusable afterwards: the stream was aborted.
    bool failed = false;
    try {
      while (co_await reader.read()) {
      }
    } catch (const FetchError& e) {
      failed = true;
    }
    CHECK(failed);
  });
}

ASYNC_TEST(ServerDownRaisesFetchError) {
  run_async(done, []() -> aio::Task<void> {
    std::string message, name;
    try {
      (void)co_await fetch(test_support::dead_url("http"));
    } catch (const FetchError& e) {
      message = e.what();
      name = e.name();
    }
    // Node's message, with its cause (a browser says "Failed to fetch").
    CHECK_MSG(message.find("fetch failed") != std::string::npos, message);
    CHECK_MSG(message.find("ECONNREFUSED") != std::string::npos, message);
    CHECK_MSG(name == "TypeError", name);

    bool bad_url = false;
    try {
      (void)co_await fetch("not a url");
    } catch (const FetchError& e) {
      bad_url = true;
    }
    CHECK(bad_url);
  });
}

ASYNC_TEST(RedirectOption) {
  run_async(done, []() -> aio::Task<void> {
    // "manual": the 3xx response itself (Node gives its status and headers;
    // a browser an opaque response, status 0).
    Response manual = co_await fetch(http_url("/redirect"), {.redirect = "manual"});
    CHECK_MSG(manual.status() == 302, std::to_string(manual.status()));
    CHECK(manual.headers().get("location") == "/hello");
    CHECK(!manual.redirected());
    CHECK_MSG(manual.type() == "basic", manual.type());  // a browser's: "opaqueredirect"
    // "error": a redirect is a failed request.
    std::string message;
    try {
      (void)co_await fetch(http_url("/redirect"), {.redirect = "error"});
    } catch (const FetchError& e) {
      message = e.what();
    }
    CHECK_MSG(message.find("redirect") != std::string::npos, message);
    // Empty (JS's default, "follow"), and "follow".
    for (const char* redirect : {"", "follow"}) {
      Response followed = co_await fetch(http_url("/redirect"), {.redirect = redirect});
      CHECK(followed.status() == 200);
      CHECK(followed.redirected());
      CHECK(followed.url() == http_url("/hello"));
      CHECK(co_await followed.text() == "hello, world");
    }
  });
}

// js_init's AbortSignal is followed, as JS fetch() follows its own, until
// the body is finished or the Response destroyed; the count of its
// listeners comes from Node's getEventListeners.
#define SIGNAL_LISTENERS "process.getBuiltinModule('events').getEventListeners(Module.ctrl.signal, 'abort').length"

emscripten::val signal_init() {
  emscripten::val init = emscripten::val::object();
  init.set("signal", emscripten::val::module_property("ctrl")["signal"]);
  return init;
}

// An abort while the body waits unread used to wait for the next read: the
// connection stayed open and the download went on.
ASYNC_TEST(SignalAbortsAnUnreadBodyAtOnce) {
  js_run("Module.ctrl = new AbortController();");
  run_async(done, []() -> aio::Task<void> {
    emscripten::val init = signal_init();
    std::string closed =
        "Module.srv.aborted['/stall'] === " + std::to_string(static_cast<int>(js_number("Module.srv.aborted['/stall'] || 0")) + 1);
    Response r = co_await fetch(http_url("/stall"), {.js_init = init.as_handle()});
    CHECK(js_number(SIGNAL_LISTENERS) == 1);
    js_run("Module.ctrl.abort()");
    // No read: the abort alone closes the connection.
    CHECK(co_await eventually(closed.c_str()));
    std::string name = "no error";
    try {
      (void)co_await r.text();
    } catch (const FetchError& e) {
      name = e.name();
    }
    CHECK_MSG(name == "AbortError", name);
    CHECK(js_number(SIGNAL_LISTENERS) == 0);
  });
}

ASYNC_TEST(SignalIsListenedToUntilTheBodyIsDone) {
  js_run("Module.ctrl = new AbortController();");
  run_async(done, []() -> aio::Task<void> {
    emscripten::val init = signal_init();
    {
      Response whole = co_await fetch(http_url("/hello"), {.js_init = init.as_handle()});
      Response streamed = co_await fetch(http_url("/chunks"), {.js_init = init.as_handle()});
      Response unread = co_await fetch(http_url("/hello"), {.js_init = init.as_handle()});
      CHECK(js_number(SIGNAL_LISTENERS) == 3);
      CHECK(co_await whole.text() == "hello, world");
      CHECK(js_number(SIGNAL_LISTENERS) == 2);
      auto reader = streamed.body();
      std::string text;
      while (auto chunk = co_await reader.read()) text.append(chunk->begin(), chunk->end());
      CHECK(text == "abcde");
      CHECK(js_number(SIGNAL_LISTENERS) == 1);
      // `unread` is destroyed here.
    }
    CHECK(js_number(SIGNAL_LISTENERS) == 0);
    CHECK(js_number("Module.ctrl.signal.aborted") == 0);
  });
}

// A value JS refuses raises ValueError when fetch() starts, with JS's
// message, and nothing is sent.
ASYNC_TEST(RefusedOptionsRaiseValueError) {
  run_async(done, []() -> aio::Task<void> {
    auto refused = [](aio::web::FetchOptions options) -> aio::Task<std::string> {
      try {
        (void)co_await fetch(http_url("/echo"), std::move(options));
      } catch (const aio::ValueError& e) {
        co_return e.what();
      }
      co_return "no ValueError";
    };
    double sent = js_number("Module.srv.started['/echo'] || 0");
    std::string m = co_await refused({.redirect = "sometimes"});
    CHECK_MSG(m.find("aio::web::fetch()") != std::string::npos && m.find("sometimes") != std::string::npos, m);
    m = co_await refused({.mode = "navigate"});
    CHECK_MSG(m.find("navigate") != std::string::npos, m);
    m = co_await refused({.cache = "only-if-cached"});  // only with mode "same-origin"
    CHECK_MSG(m.find("only-if-cached") != std::string::npos, m);
    m = co_await refused({.referrer = "not a url"});
    CHECK_MSG(m.find("not a url") != std::string::npos, m);
    m = co_await refused({.headers = {{"bad name", "1"}}});
    CHECK_MSG(m.find("bad name") != std::string::npos, m);
    m = co_await refused({.method = "GET", .body = std::string("x")});
    CHECK_MSG(m.find("GET") != std::string::npos, m);
    CHECK(js_number("Module.srv.started['/echo'] || 0") == sent);
  });
}

// What reaches JS fetch() (Node ignores several of these, so the init is
// captured by wrapping fetch), and what is left to JS's defaults.
ASYNC_TEST(OptionsReachJsFetch) {
  js_run("Module.inits = []; Module.platformFetch = fetch;"
         "globalThis.fetch = function(url, init) { Module.inits.push(init); return Module.platformFetch(url, init); };");
  run_async(done, []() -> aio::Task<void> {
    Response r = co_await fetch(http_url("/hello"), {.credentials = "include",
                                                     .mode = "same-origin",
                                                     .cache = "no-store",
                                                     .referrer = "about:client",
                                                     .referrer_policy = "no-referrer",
                                                     // Node checks this one: the body's.
                                                     .integrity = "sha256-Ccp+TqpuiunH0mEWcSkYSINkTQffuny/vEyKLgg2DVs=",
                                                     .priority = "low",
                                                     .keepalive = true});
    (void)co_await r.text();
    Response plain = co_await fetch(http_url("/hello"));
    (void)co_await plain.text();
    js_run("globalThis.fetch = Module.platformFetch;");
    CHECK(test_support::js_string("JSON.stringify(Module.inits[0], ['credentials', 'mode', 'cache', 'referrer', "
                                  "'referrerPolicy', 'integrity', 'priority', 'keepalive', 'redirect'])") ==
          R"({"credentials":"include","mode":"same-origin","cache":"no-store","referrer":"about:client",)"
          R"("referrerPolicy":"no-referrer","integrity":"sha256-Ccp+TqpuiunH0mEWcSkYSINkTQffuny/vEyKLgg2DVs=",)"
          R"("priority":"low","keepalive":true})");
    CHECK(test_support::js_string("Object.keys(Module.inits[1]).sort().join()") == "headers,method,signal");
  });
}

// The response arrives (its promise settles and completes the op's future)
// while the loop is stopped; the task is cancelled before it runs again. The
// Response must be dropped and its JS objects released, with no error.
struct LateSettle {
  std::shared_ptr<aio::EventLoop> loop = std::make_shared<aio::EventLoop>();
  aio::Task<int> task;
  std::function<void()> done;
  int handles_before = aio::web::detail::live_handles();
  int errors = 0;
};

void late_settle_finish(void* p) {
  auto* s = static_cast<LateSettle*>(p);
  auto done = std::move(s->done);
  delete s;
  done();
}

void late_settle_poll(void* p) {
  auto* s = static_cast<LateSettle*>(p);
  if (aio::web::detail::pending_ops() != 0) {
    emscripten_async_call(late_settle_poll, p, 5);
    return;
  }
  // Settled: the op's future is done, the task is scheduled but has not run.
  s->task.cancel();
  aio::web::run_until_complete(*s->loop, s->task, [s](auto& fut, std::exception_ptr error) {
    CHECK(!error);
    CHECK(fut.cancelled());
    CHECK(s->errors == 0);
    CHECK(aio::web::detail::live_handles() == s->handles_before);
    s->loop->close();
    emscripten_async_call(late_settle_finish, s, 0);
  });
}

ASYNC_TEST(ResponseSettlingAfterCancelIsDropped) {
  auto* s = new LateSettle;
  s->done = done;
  s->loop->set_exception_handler([s](aio::EventLoop&, const aio::ExceptionContext&) { ++s->errors; });
  s->task = s->loop->create_task([]() -> aio::Task<int> {
    Response r = co_await fetch(http_url("/hello"));
    co_return r.status();
  }());
  // The task's first step starts the request; then the loop stops.
  s->loop->call_soon([l = s->loop.get()] { l->stop(); });
  aio::web::run_forever(*s->loop, [s](std::exception_ptr error) {
    CHECK(!error);
    CHECK(aio::web::detail::pending_ops() == 1);
    late_settle_poll(s);
  });
}

ASYNC_TEST(ConcurrencyBoundedBySemaphore) {
  run_async(done, []() -> aio::Task<void> {
    aio::Semaphore limit(3);
    auto one = [&limit]() -> aio::Task<std::string> {
      auto held = co_await limit.scoped();  // async with limit:
      Response r = co_await fetch(http_url("/limited"));
      co_return co_await r.text();
    };
    std::vector<aio::Task<std::string>> tasks;
    for (int i = 0; i < 12; ++i) tasks.push_back(aio::create_task(one()));
    for (auto& t : tasks) CHECK(co_await t == "ok");
    CHECK(js_number("Module.srv.started['/limited']") == 12);
    CHECK_MSG(js_number("Module.srv.maxActive") == 3, std::to_string(js_number("Module.srv.maxActive")));
  });
}

// While a request is in flight a virtual-clock loop must not jump to its next
// timer: the response would come "after" a sleep it really preceded.
ASYNC_TEST(VirtualClockWaitsForTheRequest) {
  auto loop = std::make_shared<aio::EventLoop>(aio::EventLoop::Options{.clock = aio::Clock::virtual_time});
  auto* l = loop.get();
  auto main = []() -> aio::Task<double> {
    auto sleeper = aio::create_task([]() -> aio::Task<void> { co_await aio::sleep(1000); }());
    Response r = co_await fetch(http_url("/slowish"));
    double at = aio::get_running_loop().time();
    CHECK(co_await r.text() == "done");
    co_await sleeper;
    co_return at;
  };
  aio::web::run_until_complete(*l, main(), [loop, done](auto& fut, std::exception_ptr error) {
    CHECK(!error);
    CHECK(!fut.exception());
    if (!error && !fut.exception()) CHECK_MSG(fut.result() == 0, std::to_string(fut.result()));
    CHECK(loop->time() >= 1000);
    loop->close();
    done();
  });
}

// A blocking run never returns to JS: fetch() says so instead of hanging.
ASYNC_TEST(BlockingRunIsRefused) {
  std::string message;
  aio::run([&message]() -> aio::Task<void> {
    try {
      (void)co_await fetch(http_url("/hello"));
    } catch (const aio::RuntimeError& e) {
      message = e.what();
    }
  }());
  CHECK_MSG(message.find("aio::web::run_until_complete()") != std::string::npos, message);
  done();
}

int main() { return aio_test::main_entry(); }
