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
