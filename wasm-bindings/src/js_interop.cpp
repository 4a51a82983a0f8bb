#include "js_interop.hpp"

#include <emscripten.h>

#include "aio/errors.hpp"
#include "aio/web/fetch.hpp"
#include "aio/web/web_host.hpp"
#include "aio/web/websocket.hpp"

using EM_VAL = emscripten::EM_VAL;

// The JS half of these lives in index.js, which installs it on the module
// as `Module.__aio` before any binding runs. EM_JS bodies only forward, so
// that the logic stays readable in one JS file.

EM_JS(EM_VAL, aio_js_make_error, (const char* name, const char* message, EM_VAL subs), {
  return Emval.toHandle(Module.__aio.makeError(UTF8ToString(name), UTF8ToString(message), Emval.toValue(subs)));
});
EM_JS(void, aio_js_stash_error, (EM_VAL err), { Module.__aio.err = Emval.toValue(err); });
EM_JS(EM_VAL, aio_js_call0, (EM_VAL fn), {
  try {
    Emval.toValue(fn)();
    return 0;
  } catch (e) {
    return Emval.toHandle(e);
  }
});
EM_JS(EM_VAL, aio_js_call2, (EM_VAL fn, int ok, EM_VAL value), {
  try {
    Emval.toValue(fn)(!!ok, Emval.toValue(value));
    return 0;
  } catch (e) {
    return Emval.toHandle(e);
  }
});

namespace aio::wasm {

JsError::JsError(val value) : value_(std::move(value)) {
  val aio = val::module_property("__aio");
  type_name_ = aio.call<std::string>("errorName", value_);
  what_ = aio.call<std::string>("errorMessage", value_);
}

namespace {

val make_error(const char* name, const std::string& message, const val& subs) {
  return val::take_ownership(aio_js_make_error(name, message.c_str(), subs.as_handle()));
}

val closed_error(const char* name, const web::ConnectionClosed& c) {
  val info = val::object();
  info.set("code", c.code());
  info.set("reason", c.reason());
  info.set("wasClean", c.was_clean());
  return make_error(name, c.what(), info);
}

val group_error(const char* name, const BaseExceptionGroup& g) {
  val subs = val::array();
  for (const auto& sub : g.exceptions()) subs.call<void>("push", to_js_error(sub));
  return make_error(name, g.message(), subs);
}

}  // namespace

val to_js_error(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const JsError& j) {
    return j.value();
  } catch (const CancelledError& c) {
    return make_error("CancelledError", c.message(), val::undefined());
  } catch (const web::ConnectionClosedOK& c) {  // before its base: no RTTI for a dynamic_cast
    return closed_error("ConnectionClosedOK", c);
  } catch (const web::ConnectionClosed& c) {
    return closed_error("ConnectionClosedError", c);
  } catch (const web::FetchError& f) {
    val info = val::object();
    info.set("errorName", f.name());
    return make_error("FetchError", f.what(), info);
  } catch (const ExceptionGroup& g) {  // before its base, as above
    return group_error("ExceptionGroup", g);
  } catch (const BaseExceptionGroup& g) {
    return group_error("BaseExceptionGroup", g);
  } catch (...) {
    val error = make_error(exception_type_name(e).c_str(), exception_message(e), val::undefined());
    // message stays asyncio's text; what to do instead rides along, as in C++.
    if (std::string hint = exception_hint(e); !hint.empty()) error.set("hint", hint);
    return error;
  }
}

void stash_error(const std::exception_ptr& e) { aio_js_stash_error(to_js_error(e).as_handle()); }

void call_js(const val& fn) {
  if (EM_VAL err = aio_js_call0(fn.as_handle())) throw JsError(val::take_ownership(err));
}

void call_js2(const val& fn, bool ok, const val& value) {
  if (EM_VAL err = aio_js_call2(fn.as_handle(), ok, value.as_handle())) throw JsError(val::take_ownership(err));
}

void wake(EventLoop& loop) noexcept { loop.host().wake(); }

val core_result(detail::FutureCore& core) {
  core.check_result();
  if (core.is_task()) return static_cast<detail::TaskPromise<val>&>(core).get();
  return static_cast<detail::FutureState<val>&>(core).get();
}

}  // namespace aio::wasm
