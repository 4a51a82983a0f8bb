// contextvars in the network layer: which context a protocol's callbacks and
// a stream handler run in. The expected logs are what the same program prints
// under CPython 3.11 (asyncio's add_reader handles copy the context current
// when the reader was added, and keep it across their runs).
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <string>
#include <vector>

#include "aio/contextvars.hpp"
#include "net_test_util.hpp"

namespace {

aio::ContextVar<std::string> v("v", "-");

struct Log {
  std::vector<std::string> lines;
  void add(std::string s) { lines.push_back(std::move(s)); }
};

// Sets the variable in each callback, to show which later callbacks see it.
struct ServerProtocol : aio::Protocol {
  explicit ServerProtocol(Log& log) : log(log) {}
  Log& log;
  int n = 0;
  void connection_made(aio::Transport&) override {
    log.add("made v=" + v.get());
    v.set("from-made");
  }
  void data_received(std::string_view d) override {
    ++n;
    log.add("data" + std::to_string(n) + " v=" + v.get());
    v.set("from-data" + std::to_string(n) + "-" + std::string(d));
  }
  void connection_lost(std::exception_ptr) override { log.add("lost v=" + v.get()); }
};

struct ClientProtocol : aio::Protocol {
  explicit ClientProtocol(Log& log) : log(log) {}
  Log& log;
  void connection_made(aio::Transport&) override { log.add("client made v=" + v.get()); }
};

aio::Task<void> client(Log& log, int port, std::string tag) {
  // (`log` is the clients' own: which of a client's connection_made and the
  // server's runs first depends on readiness, here and in CPython.)
  v.set("client-" + tag);
  aio::ProtocolFactory factory = [&log] { return std::make_shared<ClientProtocol>(log); };
  auto [t, p] = co_await aio::create_connection(factory, "127.0.0.1", port);
  for (int i = 0; i < 2; ++i) {
    t->write(tag);
    co_await aio::sleep(0.05);
  }
  t->close();
  co_await aio::sleep(0.05);
}

aio::Task<void> handler(Log& log, std::shared_ptr<aio::StreamReader>, std::shared_ptr<aio::StreamWriter> w) {
  log.add("handler v=" + v.get());
  w->close();
  co_return;
}

aio::Task<std::vector<std::string>> servers_and_clients() {
  Log log, client_log;
  v.set("server-ctx");
  aio::ProtocolFactory factory = [&log] { return std::make_shared<ServerProtocol>(log); };
  auto srv = co_await aio::create_server(factory, "127.0.0.1", 0);
  auto srv2 = co_await aio::start_server(
      [&log](std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) {
        return handler(log, std::move(r), std::move(w));
      },
      "127.0.0.1", 0);
  v.set("after-start");  // too late for the servers: they copied the context when they started serving
  int port = srv->sockname().port;
  co_await client(client_log, port, "a");
  co_await client(client_log, port, "b");
  auto [r, w] = co_await aio::open_connection("127.0.0.1", srv2->sockname().port);
  co_await r->read();
  w->close();
  co_await aio::sleep(0.05);
  srv->close();
  srv2->close();
  co_await srv->wait_closed();
  co_await srv2->wait_closed();
  log.lines.insert(log.lines.end(), client_log.lines.begin(), client_log.lines.end());
  co_return log.lines;
}

TEST(NetContexts, ProtocolsRunInACopyOfTheContextTheirConnectionWasMadeIn) {
  std::vector<std::string> want{
      "made v=server-ctx",     // a copy of the server's context, its own
      "data1 v=server-ctx",    // not connection_made's set: the reader's context is another copy
      "data2 v=from-data1-a",  // ... kept across reads
      "lost v=from-data2-a",   // scheduled from the reader's context
      "made v=server-ctx",     // the second connection sees nothing of the first's
      "data1 v=server-ctx",     "data2 v=from-data1-b", "lost v=from-data2-b",
      "handler v=server-ctx",    // start_server's handler task copies connection_made's context
      "client made v=client-a",  // the connecting task's
      "client made v=client-b",
  };
  EXPECT_EQ(nettest::run(servers_and_clients()), want);
  EXPECT_EQ(aio::copy_context().size(), 0u) << "a callback's set leaked into the thread's base context";
}

// A datagram endpoint's callbacks: the context of the task that made it.
struct EchoDatagram : aio::DatagramProtocol {
  explicit EchoDatagram(Log& log) : log(log) {}
  Log& log;
  aio::DatagramTransport* transport = nullptr;
  void connection_made(aio::DatagramTransport& t) override { transport = &t; }
  void datagram_received(std::string_view d, const aio::SocketAddress& from) override {
    log.add("datagram " + std::string(d) + " v=" + v.get());
    v.set("from-datagram");
    transport->sendto(d, from);
  }
};

aio::Task<std::vector<std::string>> datagram_contexts() {
  Log log;
  v.set("endpoint-ctx");
  aio::DatagramProtocolFactory factory = [&log] { return std::make_shared<EchoDatagram>(log); };
  aio::DatagramOptions opts;
  opts.local_addr = aio::inet_address("127.0.0.1", 0);
  auto [st, sp] = co_await aio::create_datagram_endpoint(factory, opts);
  v.set("later");
  aio::SocketAddress to = st->get_address_info("sockname");
  auto reply = std::make_shared<aio::Event>();
  struct Client : aio::DatagramProtocol {
    std::shared_ptr<aio::Event> got;
    void datagram_received(std::string_view, const aio::SocketAddress&) override { got->set(); }
  };
  aio::DatagramProtocolFactory client_factory = [reply] {
    auto c = std::make_shared<Client>();
    c->got = reply;
    return c;
  };
  aio::DatagramOptions copts;
  copts.remote_addr = to;
  auto [ct, cp] = co_await aio::create_datagram_endpoint(client_factory, copts);
  for (const char* msg : {"one", "two"}) {
    reply->clear();
    ct->sendto(msg);
    co_await reply->wait();
  }
  ct->close();
  st->close();
  co_return log.lines;
}

TEST(NetContexts, DatagramCallbacksRunInTheEndpointsContext) {
  std::vector<std::string> want{"datagram one v=endpoint-ctx", "datagram two v=from-datagram"};
  EXPECT_EQ(nettest::run(datagram_contexts()), want);
}

// add_signal_handler: the handler runs in a copy of the context it was added
// in, kept across its runs.
aio::Task<std::vector<std::string>> signal_contexts() {
  Log log;
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Event ran;
  v.set("adder");
  aio::add_signal_handler(loop, SIGUSR1, [&] {
    log.add("signal v=" + v.get());
    v.set("from-handler");
    ran.set();
  });
  v.set("later");
  for (int i = 0; i < 2; ++i) {
    ran.clear();
    ::raise(SIGUSR1);
    co_await ran.wait();
  }
  aio::remove_signal_handler(loop, SIGUSR1);
  co_return log.lines;
}

TEST(NetContexts, SignalHandlersRunInACopyOfTheContextTheyWereAddedIn) {
  std::vector<std::string> want{"signal v=adder", "signal v=from-handler"};
  EXPECT_EQ(nettest::run(signal_contexts()), want);
}

// A subprocess: its pipes are transports made by the spawning task, so their
// callbacks see its variables; the exit comes from the child watcher, which
// asyncio 3.11 reports from a thread, in an empty context (3.12's pidfd
// watcher, an add_reader, would see the spawner's).
struct ChildProtocol : aio::SubprocessProtocol {
  explicit ChildProtocol(Log& log) : log(log) {}
  Log& log;
  aio::Event lost;
  void pipe_data_received(int, std::string_view) override { log.add("pipe_data v=" + v.get()); }
  void process_exited() override { log.add("exited v=" + v.get()); }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

aio::Task<std::vector<std::string>> subprocess_contexts() {
  Log log;
  v.set("spawner");
  auto proto = std::make_shared<ChildProtocol>(log);
  aio::SubprocessProtocolFactory factory = [proto] { return proto; };
  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"echo", "hi"};  // not a temporary in co_await (g++ 12)
  auto [t, p] = co_await aio::subprocess_exec(factory, argv, o);
  co_await proto->lost.wait();  // the exit and every pipe's end, in either order
  t->close();
  std::sort(log.lines.begin(), log.lines.end());
  co_return log.lines;
}

TEST(NetContexts, SubprocessPipesRunInTheSpawnersContextAndTheExitInAnEmptyOne) {
  std::vector<std::string> want{"exited v=-", "pipe_data v=spawner"};
  EXPECT_EQ(nettest::run(subprocess_contexts()), want);
}

}  // namespace
#endif
