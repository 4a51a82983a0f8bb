// aio run http-get / aio serve echo|chat|http: see net_commands.hpp.
#include "net_commands.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "aio/aio.hpp"
#include "aio/detail/intrusive_list.hpp"
#include "aio/net.hpp"
#include "aio/net/http.hpp"
#include "epoll/epoll_host.hpp"  // --busy-poll (runtime/hosts: not a public header)

namespace aio::cli {
namespace {

constexpr int kUsage = 2;

void say(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}
void complain(const std::string& line) {
  std::string l = "aio: " + line + "\n";
  std::fwrite(l.data(), 1, l.size(), stderr);
}

// ---- aio run http-get URL ------------------------------------------------------

struct Url {
  bool https = false;
  std::string host;
  int port = 80;
  std::string path = "/";
};

bool parse_url(const std::string& url, Url& out, std::string& why) {
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    out.https = true;
    out.port = 443;
    rest = url.substr(8);
  } else {
    why = "only http:// and https:// URLs are supported: got '" + url + "'";
    return false;
  }
  auto slash = rest.find('/');
  std::string netloc = rest.substr(0, slash);
  if (slash != std::string::npos) out.path = rest.substr(slash);
  auto colon = netloc.rfind(':');
  if (colon != std::string::npos && netloc.find(']') == std::string::npos) {
    std::string port = netloc.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) {
      why = "bad port in '" + url + "'";
      return false;
    }
    out.port = std::stoi(port);
    netloc = netloc.substr(0, colon);
  }
  if (netloc.empty()) {
    why = "no host in '" + url + "'";
    return false;
  }
  out.host = netloc;
  return true;
}

// The seeds' get_url: GET with Connection: close, then every line of the reply.
// https: the default context (the system's CAs, the host name checked), as
// asyncio's ssl=True.
aio::Task<int> get_url(Url url) {
  aio::ConnectionOptions options;
  if (url.https) options.ssl = aio::SSLContext::create_default_context();
  auto connecting = aio::open_connection(url.host, url.port, options);
  auto [reader, writer] = co_await connecting;
  int default_port = url.https ? 443 : 80;
  std::string host_header = url.host + (url.port == default_port ? "" : ":" + std::to_string(url.port));
  writer->write("GET " + url.path + " HTTP/1.1\r\nHost: " + host_header + "\r\nConnection: close\r\n\r\n");
  co_await writer->drain();
  auto lines = reader->lines();
  while (auto line = co_await lines.next()) {
    std::fwrite(line->data(), 1, line->size(), stdout);
  }
  std::fflush(stdout);
  writer->close();
  co_await writer->wait_closed();
  co_return 0;
}

int run_http_get(const std::string& url_text) {
  Url url;
  std::string why;
  if (!parse_url(url_text, url, why)) {
    complain(why);
    return kUsage;
  }
  try {
    return aio::run(get_url(url));
  } catch (const std::exception& e) {
    complain(std::string("http-get failed: ") + e.what());
    return 1;
  }
}

// ---- servers ---------------------------------------------------------------

// The timeouts of `aio serve http` (seconds).
struct HttpTimeouts {
  double header = 60;     // nginx client_header_timeout: a head, or a pause in a body
  double keepalive = 75;  // nginx keepalive_timeout: no request in progress
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8888;
  int threads = 1;
  double drain = 5.0;
  double busy_poll_us = 0;  // see EpollHost::set_busy_poll
  HttpTimeouts http_timeouts;
};

// --busy-poll: on the running loop's host, which is the epoll host natively.
void apply_busy_poll(const ServeOptions& o) {
  if (auto* host = dynamic_cast<aio::hosts::EpollHost*>(&aio::get_running_loop().host()))
    host->set_busy_poll(o.busy_poll_us * 1e-6);
}

// Waits for SIGINT or SIGTERM on the running loop.
aio::Task<void> wait_for_stop_signal() {
  auto& loop = aio::get_running_loop();
  aio::Event stop;
  auto set = [&stop] { stop.set(); };
  aio::add_signal_handler(loop, SIGINT, set);
  aio::add_signal_handler(loop, SIGTERM, set);
  co_await stop.wait();
  aio::remove_signal_handler(loop, SIGINT);
  aio::remove_signal_handler(loop, SIGTERM);
}

// Stop accepting, give connections `drain` seconds to finish, abort the rest.
aio::Task<void> drain_and_close(std::shared_ptr<aio::Server> server, double drain) {
  server->close();
  server->close_clients();
  bool timed_out = false;
  try {
    auto closed = server->wait_closed();
    co_await aio::wait_for(std::move(closed), std::optional<double>(drain));
  } catch (const aio::TimeoutError&) {
    timed_out = true;
  }
  if (timed_out) {
    server->abort_clients();
    co_await server->wait_closed();
  }
}

// echo: the Protocol form (no task per connection).
// The servers' protocols answer what they read. Flow control: a peer that
// sends and never reads would otherwise make us buffer everything we answer.
// Stop reading while our writes are backed up.
struct AnsweringProtocol : aio::Protocol {
  aio::Transport* t = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void pause_writing() override { t->pause_reading(); }
  void resume_writing() override { t->resume_reading(); }
};

struct EchoProtocol : AnsweringProtocol {
  void data_received(std::string_view d) override { t->write(d); }
};

aio::Task<int> serve_echo(ServeOptions o) {
  apply_busy_poll(o);
  aio::ProtocolFactory factory = [] { return std::make_shared<EchoProtocol>(); };
  auto creating = aio::create_server(factory, o.host, o.port);
  auto server = co_await creating;
  say("serving echo on " + o.host + ":" + std::to_string(server->sockname().port));
  co_await wait_for_stop_signal();
  say("stopping: draining " + std::to_string(server->active_connections()) + " connection(s)");
  co_await drain_and_close(server, o.drain);
  say("stopped");
  co_return 0;
}

// chat: every line a client sends goes to every other client.
//
// A member that does not read cannot hold the room back (the sender drains
// only its own writer) nor make the server buffer without bound: once more
// than kMaxBacklog bytes wait for it, it is disconnected (aborted: closing
// would wait to send what it does not read).
constexpr std::size_t kMaxBacklog = 1 << 20;

// Read and discard up to `budget` bytes, or to the end of the stream.
aio::Task<void> discard_input(std::shared_ptr<aio::StreamReader> reader, std::size_t budget) {
  while (budget > 0) {
    std::string chunk = co_await reader->read(64 * 1024);
    if (chunk.empty()) co_return;
    budget -= std::min(budget, chunk.size());
  }
}

struct ChatRoom {
  std::set<std::shared_ptr<aio::StreamWriter>> members;
  int next_id = 1;
};

aio::Task<int> serve_chat(ServeOptions o) {
  apply_busy_poll(o);
  auto room = std::make_shared<ChatRoom>();
  aio::ClientConnectedCallback handler = [room](std::shared_ptr<aio::StreamReader> reader,
                                                std::shared_ptr<aio::StreamWriter> writer) -> aio::Task<void> {
    std::string name = "user" + std::to_string(room->next_id++);
    room->members.insert(writer);
    writer->write("welcome, " + name + "\n");
    bool too_long = false;
    try {
      auto lines = reader->lines();
      while (auto line = co_await lines.next()) {
        std::string msg = name + ": " + *line;
        if (msg.back() != '\n') msg += '\n';
        for (const auto& w : room->members) {
          if (w == writer || w->is_closing()) continue;
          if (w->transport().get_write_buffer_size() + msg.size() > kMaxBacklog)
            w->transport().abort();  // its handler sees the end of its stream and leaves the room
          else
            w->write(msg);
        }
        co_await writer->drain();
      }
    } catch (const aio::OSError&) {
      // Reset, broken pipe, but also ETIMEDOUT or EHOSTUNREACH (not
      // ConnectionErrors): any of them must still take the member out of
      // the room, or it stays there (and in memory) for good.
    } catch (const aio::ValueError&) {
      too_long = true;
    }
    room->members.erase(writer);  // first: nobody writes to it after write_eof
    if (too_long && !writer->is_closing()) {
      // The rest of the line is still coming: a lingering close, as http's
      // (see HttpProtocol::linger), so the reset that closing with unread
      // input sends does not throw away the notice and the broadcasts still
      // queued for this member. At most 2 s and 64 KiB.
      writer->write("line too long: bye\n");
      writer->write_eof();
      bool timed_out = false;
      try {
        auto draining = discard_input(reader, 64 * 1024);
        co_await aio::wait_for(std::move(draining), std::optional<double>(2.0));
      } catch (const aio::TimeoutError&) {
        timed_out = true;
      } catch (const aio::OSError&) {
      }
      if (timed_out) writer->transport().abort();  // close would wait for a client that does not read
    }
    writer->close();
  };
  auto creating = aio::start_server(handler, o.host, o.port);
  auto server = co_await creating;
  say("serving chat on " + o.host + ":" + std::to_string(server->sockname().port));
  co_await wait_for_stop_signal();
  say("stopping: draining " + std::to_string(server->active_connections()) + " connection(s)");
  for (const auto& w : room->members) w->write("server shutting down\n");
  co_await drain_and_close(server, o.drain);
  say("stopped");
  co_return 0;
}

// http: a keep-alive HTTP/1.1 hello server on the Protocol API.
//
// Written for the hot path of a benchmark (tests/bench/run_net.sh): a request
// that arrives whole is parsed straight from the transport's read buffer (no
// copy), into a Request reused for the whole connection (no allocation), and
// answered with a constant (no formatting); only a partial request is copied
// aside until the rest arrives, and pipelined requests are answered in one write.
//
// Timeouts, as nginx's client_header_timeout and keepalive_timeout: a head
// (or a body) that does not arrive in time gets 408 and the connection is
// closed; an idle keep-alive connection is closed quietly. They cost the hot
// path one store per read: no timer is armed or cancelled per request. Each
// connection stamps the current tick of a coarse clock when its phase starts
// (see HttpProtocol::data_received), and one periodic sweep per loop
// (HttpConnections::sweep) closes those whose phase is too old.
struct HttpProtocol;

// One loop's http connections, and the sweep that enforces their timeouts.
class HttpConnections {
 public:
  explicit HttpConnections(HttpTimeouts t) {
    // The sweep runs four times per shortest timeout, so a timeout fires
    // between 1 and 1.25 times its value after it started.
    period_ = std::min(t.header, t.keepalive) / 4;
    header_ticks_ = ticks(t.header);
    keepalive_ticks_ = ticks(t.keepalive);
  }
  ~HttpConnections();
  HttpConnections(const HttpConnections&) = delete;
  HttpConnections& operator=(const HttpConnections&) = delete;

  std::uint32_t tick() const noexcept { return tick_; }
  void link(HttpProtocol* p) noexcept;
  void unlink(HttpProtocol* p) noexcept;
  // Sweep every period until stop() (or destruction).
  void start(aio::EventLoop& loop) {
    timer_ = loop.call_later(period_, [this, &loop] {
      start(loop);  // first: whatever the sweep meets, the next one comes
      ++tick_;
      sweep();
    }, "http timeouts");
  }
  void stop() { timer_.cancel(); }

 private:
  // Ticks after which a phase stamped at tick k has lasted at least `seconds`
  // (the stamp was taken up to one period after tick k began). The epsilon:
  // 24.6 / (2.4 / 4) is 41.00000000000001, which must not round up to 42.
  std::uint32_t ticks(double seconds) const {
    return static_cast<std::uint32_t>(std::ceil(seconds / period_ - 1e-9)) + 1;
  }
  void sweep();
  // Newest first, the order sweep() goes through them.
  aio::detail::IntrusiveList<HttpProtocol> connections_;
  std::uint32_t tick_ = 0;
  std::uint32_t header_ticks_ = 0;
  std::uint32_t keepalive_ticks_ = 0;
  double period_ = 1;
  aio::TimerHandle timer_;
};

struct HttpProtocol : AnsweringProtocol {
  static constexpr std::string_view kHello =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
  static constexpr std::string_view kHelloClose =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
      "Hello, World!";
  // Lingering close, as nginx's lingering_time / lingering_timeout: after a
  // response that closes while the client may still be sending, read and
  // discard for up to this long or this much before closing (see linger()).
  static constexpr double kLingerSeconds = 2.0;
  static constexpr std::size_t kLingerBytes = 64 * 1024;

  // What the connection is doing, for the timeouts (see HttpConnections::sweep).
  enum class Phase : std::uint8_t {
    fresh,      // connected, no byte yet: the header timeout, then a quiet close
    idle,       // between requests: the keep-alive timeout, then a quiet close
    head,       // part of a head arrived: the header timeout, then 408
    body,       // skipping a body: the header timeout between reads, then 408
    lingering,  // answered and closing: see linger()
  };

  // Linked into `c` from here until connection_lost (or destruction, for a
  // connection that never started).
  explicit HttpProtocol(HttpConnections* c) : conns(c) {
    if (!conns) return;
    conns->link(this);
    since = conns->tick();
  }
  ~HttpProtocol() override { forget(); }
  void forget() noexcept {
    if (conns) conns->unlink(this);
    conns = nullptr;
  }

  std::string buffer;  // the start of a request whose rest has not arrived
  std::string out;     // the answers to pipelined requests, sent together
  aio::http::Request req;
  std::size_t skip_body = 0;     // body bytes still to skip; while lingering, bytes still to discard
  std::size_t head_scanned = 0;  // bytes of `buffer`'s partial head already scanned
  // The timeouts' bookkeeping: 32 bytes with the padding (208 -> 240).
  HttpConnections* conns;
  aio::detail::IntrusiveListHook<HttpProtocol> list_hook;  // conns's connections
  std::uint32_t since = 0;  // conns->tick() when `phase` began
  Phase phase = Phase::fresh;

  void connection_lost(std::exception_ptr) override { forget(); }
  // A client that reads its answers slowly is making progress.
  void resume_writing() override {
    if (conns) since = conns->tick();
    AnsweringProtocol::resume_writing();
  }

  void data_received(std::string_view d) override {
    if (phase == Phase::lingering) {
      discard(d.size());
      return;
    }
    if (t->is_closing()) return;
    if (skip_body) {
      std::size_t n = std::min(skip_body, d.size());
      skip_body -= n;
      d.remove_prefix(n);
    }
    // `d` is valid only during this call: parse it in place when nothing is
    // buffered, else append it to what is.
    const bool buffered = !buffer.empty();
    if (buffered) buffer.append(d);
    std::string_view in = buffered ? std::string_view(buffer) : d;
    std::size_t pos = 0;
    std::size_t answered = 0;
    std::size_t scanned = buffered ? head_scanned : 0;
    head_scanned = 0;
    out.clear();
    for (;;) {
      std::size_t consumed = 0;
      auto status = aio::http::parse_request(in.substr(pos), req, consumed, aio::http::max_head_bytes_default, scanned);
      if (status == aio::http::ParseStatus::incomplete) {
        head_scanned = scanned;  // the rest, kept in `buffer` below
        break;
      }
      if (status != aio::http::ParseStatus::complete) {
        int code = status == aio::http::ParseStatus::header_too_large ? 431
                   : status == aio::http::ParseStatus::not_implemented ? 501
                                                                        : 400;
        finish(answered, aio::http::error_response(code), /*more_input=*/true);
        return;
      }
      pos += consumed;
      scanned = 0;
      std::size_t body_here = std::min(req.content_length, in.size() - pos);
      pos += body_here;
      skip_body = req.content_length - body_here;
      if (!req.keep_alive) {
        // The client may have sent more (a body not read yet, pipelined
        // requests): then linger, lest closing reset the answer away.
        finish(answered, kHelloClose, skip_body > 0 || pos < in.size());
        return;
      }
      // One answer is written as it is; a second one starts the batch.
      if (answered == 1) out.assign(kHello);
      if (answered >= 1) out.append(kHello);
      ++answered;
      if (skip_body) break;
    }
    if (answered == 1) t->write(kHello);
    if (answered > 1) t->write(out);
    // Keep the unparsed rest (a partial request) for the next call.
    if (buffered)
      buffer.erase(0, pos);
    else
      buffer.assign(in.substr(pos));
    trim();
    // The timeouts: a new phase starts its clock; a head that goes on
    // arriving keeps the clock it started with (that is the header timeout:
    // a head trickled byte by byte still has to be complete in time), as
    // does a fresh connection's first head (timed from the connection).
    if (conns) {
      if (skip_body) {
        phase = Phase::body;
        since = conns->tick();
      } else if (!buffer.empty()) {
        if (phase != Phase::fresh && !(phase == Phase::head && pos == 0)) since = conns->tick();
        phase = Phase::head;
      } else {
        phase = Phase::idle;
        since = conns->tick();
      }
    }
  }
  // An idle keep-alive connection should cost ~0.5 KB, not what its biggest
  // burst needed: a client that pipelined 250 KB of requests once (750 KB of
  // answers in `out`), or sent one head of 1,600 tiny headers (100 KB of
  // strings in `req`), would otherwise make us hold that for as long as it
  // stays connected. Ordinary traffic stays under these and reuses the memory.
  static constexpr std::size_t kKeepBytes = 16 * 1024;
  static constexpr std::size_t kKeepHeaders = 64;
  void trim() {
    if (out.capacity() > kKeepBytes) std::string().swap(out);
    if (buffer.capacity() > kKeepBytes && buffer.size() <= kKeepBytes / 2) buffer.shrink_to_fit();
    if (req.headers.capacity() > kKeepHeaders) req = aio::http::Request{};
  }
  // Send the answers so far and `last`, then close: lingering if the client
  // may still be sending (`more_input`).
  void finish(std::size_t answered, std::string_view last, bool more_input) {
    if (answered == 1) out.assign(kHello);
    out.append(last);
    t->write(out);
    std::string().swap(out);
    std::string().swap(buffer);
    req = aio::http::Request{};
    if (more_input)
      linger();
    else
      t->close();
  }
  // Lingering close (nginx's): closing a socket whose receive buffer holds
  // unread bytes makes the kernel send RST at once and throw away what is
  // still in the send queue, so the client can see "connection reset"
  // instead of our last answers and the 400. So: shut down our side once the
  // answer is sent (the client reads it, then the end of the stream), and
  // read and discard what it still sends until it closes too, for at most
  // kLingerSeconds and kLingerBytes. Only error answers and Connection: close with more input
  // pending get here, never a keep-alive request: the timer costs nothing
  // on the hot path.
  void linger() {
    phase = Phase::lingering;
    skip_body = kLingerBytes;  // the discard budget
    t->write_eof();
    if (!t->is_reading()) t->resume_reading();  // reading was paused by flow control
    // A weak reference: a client that closes first frees its transport now,
    // not when the timer fires (a flood of bad requests holds only timers).
    std::weak_ptr<aio::BaseTransport> weak = t->weak_from_this();
    t->get_loop().call_later(
        kLingerSeconds,
        [weak] {
          if (auto keep = weak.lock()) static_cast<aio::Transport&>(*keep).abort();
        },
        "http lingering close");
  }
  void discard(std::size_t n) {
    if (n < skip_body) {
      skip_body -= n;
    } else {
      skip_body = 0;
      t->close();
    }
  }
  // The header timeout fired: answer 408 and close.
  void timed_out() {
    out.clear();
    finish(0, aio::http::error_response(408), /*more_input=*/true);
  }
};

// One per connection, idle ones included: keep it from growing unnoticed (the
// list links included).
static_assert(sizeof(HttpProtocol) <= 240);

HttpConnections::~HttpConnections() {
  timer_.cancel();
  // Connections that outlive this (the loop went away with them open) stop
  // reporting to it.
  while (HttpProtocol* p = connections_.pop_front()) p->conns = nullptr;
}

void HttpConnections::link(HttpProtocol* p) noexcept { connections_.push_front(p); }

void HttpConnections::unlink(HttpProtocol* p) noexcept {
  if (connections_.contains(p)) connections_.remove(p);
}

void HttpConnections::sweep() {
  // Closing unlinks only later (connection_lost is called soon), but the
  // iteration would survive it: it reads the next connection first.
  for (HttpProtocol* p : connections_) {
    std::uint32_t age = tick_ - p->since;
    aio::Transport* t = p->t;
    if (!t || t->is_closing()) continue;
    switch (p->phase) {
      case HttpProtocol::Phase::fresh:
        if (age >= header_ticks_) t->close();  // it sent nothing: nothing to answer
        break;
      case HttpProtocol::Phase::idle:
        // Quietly; abort if our answers are still waiting to be read (close
        // would wait for a client that does not read).
        if (age >= keepalive_ticks_) {
          if (t->get_write_buffer_size() > 0)
            t->abort();
          else
            t->close();
        }
        break;
      case HttpProtocol::Phase::head:
      case HttpProtocol::Phase::body:
        if (age >= header_ticks_) p->timed_out();
        break;
      case HttpProtocol::Phase::lingering:
        break;  // its own timer ends it
    }
  }
}

aio::Task<int> serve_http_loop(ServeOptions o, bool announce, std::shared_ptr<aio::Event> stop_event) {
  apply_busy_poll(o);
  HttpConnections conns(o.http_timeouts);
  conns.start(aio::get_running_loop());
  HttpConnections* c = &conns;
  aio::ProtocolFactory factory = [c] { return std::make_shared<HttpProtocol>(c); };
  aio::ServerOptions so;
  so.reuse_port = o.threads > 1;
  so.backlog = 1024;
  auto creating = aio::create_server(factory, o.host, o.port, so);
  auto server = co_await creating;
  if (announce)
    say("serving http on " + o.host + ":" + std::to_string(server->sockname().port) + " (" +
        std::to_string(o.threads) + " thread" + (o.threads > 1 ? "s" : "") + ")");
  if (stop_event)
    co_await stop_event->wait();
  else
    co_await wait_for_stop_signal();
  co_await drain_and_close(server, o.drain);
  conns.stop();
  co_return 0;
}

int serve_http(ServeOptions o) {
  if (o.threads <= 1) {
    int status = aio::run(serve_http_loop(o, true, nullptr));
    say("stopped");
    return status;
  }
  if (o.port == 0) {
    complain("--threads needs a fixed --port (the threads share it with SO_REUSEPORT)");
    return kUsage;
  }
  // One loop per thread, all listening on the port (SO_REUSEPORT: the kernel
  // spreads connections); the main loop takes the signals and stops them.
  struct Worker {
    std::thread thread;
    aio::EventLoop* loop = nullptr;
    std::shared_ptr<aio::Event> stop = std::make_shared<aio::Event>();
    std::atomic<bool> ready{false};
  };
  std::vector<std::unique_ptr<Worker>> workers;
  std::atomic<int> failures{0};
  for (int i = 1; i < o.threads; ++i) {
    auto w = std::make_unique<Worker>();
    Worker* wp = w.get();
    w->thread = std::thread([wp, o, &failures] {
      try {
        aio::Runner runner;
        wp->loop = &runner.get_loop();
        wp->ready = true;
        runner.run(serve_http_loop(o, false, wp->stop));
      } catch (const std::exception& e) {
        complain(std::string("worker: ") + e.what());
        wp->ready = true;
        ++failures;
      }
    });
    workers.push_back(std::move(w));
  }
  for (auto& w : workers)
    while (!w->ready) std::this_thread::yield();
  int status = 0;
  try {
    status = aio::run(serve_http_loop(o, true, nullptr));
  } catch (const std::exception& e) {
    complain(e.what());
    status = 1;
  }
  for (auto& w : workers) {
    if (w->loop) {
      auto stop = w->stop;
      try {
        w->loop->call_soon_threadsafe([stop] { stop->set(); });
      } catch (const aio::RuntimeError&) {
        // That loop has ended already.
      }
    }
  }
  for (auto& w : workers) w->thread.join();
  say("stopped");
  return failures ? 1 : status;
}

int run_server(const std::string& what, const ServeOptions& o) {
  try {
    if (what == "echo") return aio::run(serve_echo(o));
    if (what == "chat") return aio::run(serve_chat(o));
    return serve_http(o);
  } catch (const std::exception& e) {
    complain("serve " + what + ": " + e.what());
    return 1;
  }
}

// A number in [lo, hi]. Not CLI::Range: it lets "nan" through (every
// comparison with NaN is false), and `--drain nan` would then be a wait of
// no defined length.
CLI::Validator number_in(double lo, double hi) {
  std::string range = "[" + CLI::detail::to_string(lo) + " - " + CLI::detail::to_string(hi) + "]";
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "Value " + text + " is not a number";
        if (!(v >= lo && v <= hi)) return "Value " + text + " not in range " + range;
        return {};
      },
      "NUMBER in " + range);
}

}  // namespace

int net_main(int argc, char** argv) {
  if (argc < 2) return -1;
  std::string cmd = argv[1];
  bool http_get = cmd == "run" && argc >= 3 && std::string(argv[2]) == "http-get";
  if (!http_get && cmd != "serve") return -1;

  CLI::App app{"aio: network commands", "aio"};
  app.require_subcommand(1);
  std::string url;
  ServeOptions o;
  std::string kind;
  CLI::App* run = app.add_subcommand("run", "Run a network demo");
  run->require_subcommand(1);
  CLI::App* get = run->add_subcommand("http-get", "GET a URL over open_connection and print the reply (the seeds' get_url)");
  get->add_option("URL", url, "http://host[:port]/path")->required();
  CLI::App* serve = app.add_subcommand("serve", "Run a server until SIGINT/SIGTERM");
  serve->add_option("KIND", kind, "echo | chat | http")->required()->check(CLI::IsMember({"echo", "chat", "http"}));
  serve->add_option("--host", o.host, "Address to listen on")->capture_default_str();
  serve->add_option("--port", o.port, "Port (0: any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
  serve->add_option("--threads", o.threads, "http: loops (threads) sharing the port with SO_REUSEPORT")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--drain", o.drain, "Seconds connections get to finish when stopping")
      ->check(number_in(0.0, 3600.0))
      ->capture_default_str();
  serve->add_option("--busy-poll", o.busy_poll_us,
                    "Microseconds to poll without blocking before each wait while connections are busy "
                    "(0: off): CPU for latency")
      ->check(number_in(0.0, 1e6))
      ->capture_default_str();
  serve->add_option("--header-timeout", o.http_timeouts.header,
                    "http: seconds a request head (or a pause in a body) may take before a 408 closes the "
                    "connection; a connection that sends nothing is closed after as long")
      ->check(number_in(0.1, 3600.0))
      ->capture_default_str();
  serve->add_option("--keepalive-timeout", o.http_timeouts.keepalive,
                    "http: seconds a keep-alive connection may stay idle between requests")
      ->check(number_in(0.1, 3600.0))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }
  if (get->parsed()) return run_http_get(url);
  if (o.threads > 1 && kind != "http") {
    complain("--threads is for `aio serve http` only");
    return kUsage;
  }
  // echo and chat have no timeouts: a plain echo or chat connection may stay
  // quiet for as long as it likes (asyncio's servers have none either).
  for (const char* name : {"--header-timeout", "--keepalive-timeout"}) {
    if (kind != "http" && serve->get_option(name)->count() > 0) {
      complain(std::string(name) + " is for `aio serve http` only");
      return kUsage;
    }
  }
  return run_server(kind, o);
}

}  // namespace aio::cli
