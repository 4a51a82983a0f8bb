// The "io" demos: browser I/O on the browser host, against the playground's
// own endpoints (web/server/endpoints.js), so they work offline. Built only
// for WebAssembly: they use aio::web::fetch and aio::web::WebSocket, the JS
// event loop's I/O. Relative URLs resolve against the page.
#include "aio/config.hpp"

#ifdef __EMSCRIPTEN__

#include <string>
#include <vector>

#include "aio/demos/demo.hpp"
#include "aio/gather.hpp"
#include "aio/sleep.hpp"
#include "aio/sync/semaphore.hpp"
#include "aio/task_group.hpp"
#include "aio/wait.hpp"
#include "aio/wait_for.hpp"
#include "aio/web/fetch.hpp"
#include "aio/web/websocket.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using py::fixed;
using support::make_demo;
using support::with_main;

// Seconds since the demo started, as the printed times: on the real clock
// the loop's time has an arbitrary origin (asyncio's loop.time() too).
class Elapsed {
 public:
  Elapsed() : start_(get_running_loop().time()) {}
  std::string operator()() const { return fixed(get_running_loop().time() - start_, 3); }

 private:
  double start_;
};

// ---- image-download ---------------------------------------------------------
// The seeds' aiohttp example (003): download images concurrently, here at
// most `limit` at a time. Each download is a task named download-K: cancel
// one (the playground has a button per task) and its request is aborted.

Task<void> download_image(DemoContext& ctx, const Elapsed& elapsed, Semaphore& limit, std::string url,
                          std::string file_name) {
  auto slot = co_await limit.scoped();
  ctx.print("发送请求：", url);
  try {
    web::Response response = co_await web::fetch(url);
    web::Bytes content = co_await response.bytes();
    ctx.print("下载完成：" + file_name, "(" + std::to_string(content.size()) + " bytes, HTTP " +
                                           std::to_string(response.status()) + ", at " + elapsed() + ")");
  } catch (const CancelledError&) {
    ctx.print("已取消：" + file_name, "(the request was aborted at " + elapsed() + ")");
    throw;
  }
}

Task<void> image_download(DemoContext& ctx) {
  Elapsed elapsed;
  int count = ctx.param("count", 5);
  Semaphore limit(ctx.param("limit", 2));
  double delay = ctx.param("delay", 1.0);
  std::vector<Task<void>> tasks;
  for (int k = 1; k <= count; ++k) {
    std::string url = "/api/image/" + std::to_string(k) + "?delay=" + std::to_string(int(delay * 1000)) +
                      "&size=" + std::to_string(2048 * k);
    tasks.push_back(create_task(download_image(ctx, elapsed, limit, url, "image_" + std::to_string(k) + ".jpg"),
                                "download-" + std::to_string(k)));
  }
  co_await wait(tasks);
  int done = 0, cancelled = 0;
  for (auto& t : tasks) (t.cancelled() ? cancelled : done) += 1;
  ctx.print("downloaded", done, "cancelled", cancelled, "in", elapsed(), "s");
}

// ---- fetch-timeout ------------------------------------------------------------

Task<std::string> slow_fetch(double delay) {
  web::Response r = co_await web::fetch("/api/slow?id=fetch-timeout&delay=" + std::to_string(int(delay * 1000)));
  co_return co_await r.text();
}

Task<void> fetch_timeout(DemoContext& ctx) {
  Elapsed elapsed;
  double delay = ctx.param("delay", 3.0);
  double timeout = ctx.param("timeout", 1.0);
  ctx.print("fetching a response that takes", fixed(delay, 1), "s, waiting at most", fixed(timeout, 1), "s");
  try {
    std::string body = co_await wait_for(slow_fetch(delay), timeout);
    ctx.print("got", body.size(), "bytes at", elapsed());
  } catch (const TimeoutError&) {
    ctx.print("TimeoutError at", elapsed(), "- the request was aborted");
  }
}

// ---- websocket-echo -----------------------------------------------------------

Task<void> websocket_echo(DemoContext& ctx) {
  std::string url = ctx.param<std::string>("url", "/ws/echo");
  web::WebSocket ws = co_await web::WebSocket::connect(url);
  ctx.print("connected to", url);
  for (std::string text : {"hello", "asyncio", "你好"}) {
    ws.send(text);
    ctx.print("sent:", text);
  }
  ws.send(web::to_bytes("\x01\x02\x03"));
  ctx.print("sent: 3 bytes");
  for (int i = 0; i < 4; ++i) {
    web::Message m = co_await ws.receive();
    if (m.is_text()) ctx.print("received:", m.text);
    else ctx.print("received:", m.data.size(), "bytes");
  }
  co_await ws.close(1000, "bye");
  ctx.print("closed with code", ws.close_code().value_or(0), ws.close_reason());
}

// ---- taskgroup-fetch ----------------------------------------------------------

Task<void> fetch_one(DemoContext& ctx, int k, double delay) {
  try {
    web::Response r = co_await web::fetch("/api/slow?id=group-" + std::to_string(k) +
                                          "&delay=" + std::to_string(int(delay * 1000)));
    co_await r.text();
    ctx.print("fetch", k, "done");
  } catch (const CancelledError&) {
    ctx.print("fetch", k, "cancelled: its request was aborted");
    throw;
  }
}

Task<void> failing_check(DemoContext& ctx, double after) {
  co_await sleep(after);
  web::Response r = co_await web::fetch("/api/status/503");
  ctx.print("check got HTTP", r.status());
  if (!r.ok()) throw RuntimeError("service unavailable (HTTP " + std::to_string(r.status()) + ")");
}

Task<void> taskgroup_fetch(DemoContext& ctx) {
  Elapsed elapsed;
  double delay = ctx.param("delay", 3.0);
  try {
    co_await task_group([&](TaskGroup& tg) -> Task<void> {
      for (int k = 1; k <= 3; ++k) (void)tg.create_task(fetch_one(ctx, k, delay), "fetch-" + std::to_string(k));
      (void)tg.create_task(failing_check(ctx, ctx.param("fail_after", 0.5)), "check");
      co_return;
    });
  } catch (const ExceptionGroup& eg) {
    ctx.print("ExceptionGroup:", eg.what());
  }
  ctx.print("finished at", elapsed());
}

}  // namespace

void add_web_io_demos(std::vector<Demo>& out) {
  auto make = [](std::string name, std::string title, std::string summary) {
    return make_demo(std::move(name), "io", "", std::move(title), std::move(summary));
  };
  {
    Demo d = with_main(make("image-download", "Concurrent downloads with a Semaphore",
                            "The tutorials' image download with aiohttp, as fetch() tasks: at most `limit` "
                            "requests run at once. Cancel a download task and the browser aborts its request."),
                       image_download);
    d.params = {{"count", ParamKind::integer, "5", "how many images"},
                {"limit", ParamKind::integer, "2", "how many downloads at once"},
                {"delay", ParamKind::number, "1.0", "how long the server takes per image (s)"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("fetch-timeout", "A fetch under wait_for()",
                            "wait_for() gives the request `timeout` seconds; when they pass it cancels the "
                            "fetch, which aborts the request, and raises TimeoutError."),
                       fetch_timeout);
    d.params = {{"delay", ParamKind::number, "3.0", "how long the server takes (s)"},
                {"timeout", ParamKind::number, "1.0", "how long wait_for() waits (s)"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("websocket-echo", "A WebSocket session: send, receive, close",
                            "Connects to the page's echo server, sends text and binary messages, receives the "
                            "echoes (messages that arrive first wait in a queue) and closes with a code."),
                       websocket_echo);
    d.params = {{"url", ParamKind::text, "/ws/echo", "the WebSocket URL"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("taskgroup-fetch", "A failing TaskGroup child cancels the fetches",
                            "Three slow fetches and a health check run in a TaskGroup. The check fails, so the "
                            "group cancels the fetches (their requests are aborted) and raises an ExceptionGroup."),
                       taskgroup_fetch);
    d.params = {{"delay", ParamKind::number, "3.0", "how long each fetch takes (s)"},
                {"fail_after", ParamKind::number, "0.5", "when the check fails (s)"}};
    out.push_back(std::move(d));
  }
}

}  // namespace aio::demos

#endif  // __EMSCRIPTEN__
