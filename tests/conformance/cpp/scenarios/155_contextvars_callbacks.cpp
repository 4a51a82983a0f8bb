// Twin of py/scenarios/155_contextvars_callbacks.py: call_soon/call_later/call_at run their
// callback in a copy of the context current when scheduled, or in the context given; a
// callback's set() stays in its own context; Context.run, token reset errors, and
// add_done_callback's capture and context.
#include "aio/contextvars.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::ContextVar<std::string> user("user");
aio::ContextVar<int> count("count", 0);
aio::ContextVar<int> other("other", 0);

// Token and Context reprs hold addresses: keep the type and the words after the last '>'.
std::string err() {
  std::string msg = fmt_exc();
  std::string type = msg.substr(0, msg.find(':'));
  return type + ":" + msg.substr(msg.rfind('>') + 1);
}

void show(const std::string& label) { log(label, user.get("nobody"), count.get()); }

void bump(const std::string& label) {
  count.set(count.get() + 1);
  show(label);
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_soon([] { show("soon before set"); });
  auto t_user = user.set("alice");
  loop.call_soon([] { show("soon after set"); });
  loop.call_later(0.2, [] { show("later"); });
  aio::Context ctx;
  log("run returns", ctx.run([] {
    user.set("bob");
    return user.get();
  }));
  loop.call_soon([] { bump("bump in ctx"); }, ctx);
  loop.call_soon([] { bump("bump in ctx"); }, ctx);
  loop.call_soon([] { bump("bump in copy"); });
  loop.call_soon([] { bump("bump in copy"); });
  loop.call_at(
      loop.time() + 0.1, [] { show("at in ctx"); }, ctx);
  user.set("carol");
  co_await aio::sleep(0.3);
  show("main");
  log("ctx holds", ctx.get(user).value(), ctx.get(count).value(), ctx.size(), ctx.contains(user),
      aio::copy_context().contains(count));

  aio::Future<void> fut = loop.create_future<void>();
  fut.add_done_callback([](aio::Future<void>&) { show("done captured"); });
  fut.add_done_callback([](aio::Future<void>&) { show("done in ctx"); }, ctx);
  user.set("dave");
  fut.set_result();
  co_await aio::sleep(0);

  auto t_count = count.set(10);
  auto t_count2 = count.set(11);
  log("old values", t_user.old_value() == aio::Token<std::string>::MISSING,
      t_count.old_value() == aio::Token<int>::MISSING, t_count2.old_value().value(), &t_count2.var() == &count);
  count.reset(t_count2);
  try {
    ctx.run([&] { count.reset(t_count); });
  } catch (const aio::ValueError&) {
    log("reset in other context", err());
  }
  try {
    other.reset(t_count);
  } catch (const aio::ValueError&) {
    log("reset by other var", err());
  }
  count.reset(t_count);
  try {
    count.reset(t_count);
  } catch (const aio::RuntimeError&) {
    log("reset twice", err());
  }
  try {
    ctx.run([&] { ctx.run([] { show("never"); }); });
  } catch (const aio::RuntimeError&) {
    log("re-enter", err());
  }
  try {
    aio::ContextVar<int>("fresh").get();
  } catch (const aio::LookupError&) {
    log("lookup", fmt_exc().substr(0, fmt_exc().find(':')));
  }
  user.reset(t_user);
  show("end");
}
}  // namespace

AIO_SCENARIO("155_contextvars_callbacks") { run(main_); }
