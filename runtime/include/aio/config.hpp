#pragma once
/// What this build of aio can do, decided once here so the rest of the code
/// tests a named feature instead of a platform (tokio's cfg.rs, libcoro's
/// feature options).
///
/// AIO_HAS_THREADS: worker threads exist, so executors (run_in_executor,
/// to_thread) work. Native builds have them; a WebAssembly build has them
/// only when compiled with -pthread (Emscripten then defines
/// __EMSCRIPTEN_PTHREADS__). Define it to 0 or 1 on the command line to
/// override.
#ifndef AIO_HAS_THREADS
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define AIO_HAS_THREADS 0
#else
#define AIO_HAS_THREADS 1
#endif
#endif

/// AIO_HAS_NET: the network layer (aio/net.hpp: sockets, streams, servers,
/// subprocesses, signals, TLS) is built. Native builds only: the browser's
/// I/O is fetch and WebSocket (aio/web). Define it to 0 or 1 on the command
/// line to override.
#ifndef AIO_HAS_NET
#if defined(__EMSCRIPTEN__)
#define AIO_HAS_NET 0
#else
#define AIO_HAS_NET 1
#endif
#endif

/// AIO_HAS_CONTEXTVARS: contextvars (aio/contextvars.hpp) and the context
/// every task and callback runs in. Native builds only: the WebAssembly
/// build is the npm package, which has a hard size budget, and JavaScript has
/// AsyncLocalStorage for what contextvars does. Define it to 0 or 1 on the
/// command line to override (every object of a program must agree: it
/// changes the layout of tasks).
#ifndef AIO_HAS_CONTEXTVARS
#if defined(__EMSCRIPTEN__)
#define AIO_HAS_CONTEXTVARS 0
#else
#define AIO_HAS_CONTEXTVARS 1
#endif
#endif

/// AIO_HOT: a small function on the path of every task switch, inlined even
/// where the compiler inlines nothing else. Emscripten's -Os build is
/// -fno-inline-functions (see the top-level CMakeLists.txt: clang 14
/// miscompiles catch blocks around co_await once inlining reshapes a
/// coroutine, so user code cannot simply be built with inlining), which
/// leaves calls to one-line accessors in every coroutine. Used on the few
/// functions every task switch runs (awaiting sleep(0), the ready queue, the
/// task's step), chosen from a profile; inlining more costs package size.
#if defined(__GNUC__) || defined(__clang__)
#define AIO_HOT [[gnu::always_inline]] inline
#else
#define AIO_HOT inline
#endif
