# Checks of the native compiler for miscompiles that break coroutine code.
# They warn rather than fail: aio itself is written around them (its sources
# name such temporaries before awaiting), but code using aio is not.

# g++ 12.2 destroys a temporary made by aggregate initialisation or by a
# lambda expression twice when it sits in a co_await expression whose
# coroutine suspends (cmake/probes/coroutine_aggregate_temporary.cpp):
#   co_await aio::connect_read_pipe([p] { return p; }, fd);   // p released twice
# Seen with Debian 12's g++ 12.2.0; clang 14 compiles it correctly.
function(aio_check_coroutine_temporaries)
  if(CMAKE_CROSSCOMPILING OR DEFINED CACHE{AIO_COROUTINE_TEMPORARIES_OK})
    return()
  endif()
  try_run(_run _compiled ${CMAKE_BINARY_DIR}/aio-probes ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/probes/coroutine_aggregate_temporary.cpp
          CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
  if(_compiled AND "${_run}" STREQUAL "0")
    set(AIO_COROUTINE_TEMPORARIES_OK ON CACHE INTERNAL "the compiler destroys co_await temporaries once")
  elseif(_compiled)
    set(AIO_COROUTINE_TEMPORARIES_OK OFF CACHE INTERNAL "the compiler destroys co_await temporaries once")
  endif()
endfunction()

aio_check_coroutine_temporaries()
if(DEFINED CACHE{AIO_COROUTINE_TEMPORARIES_OK} AND NOT AIO_COROUTINE_TEMPORARIES_OK)
  message(WARNING
    "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} destroys twice a temporary made by a lambda "
    "expression or by aggregate initialisation (T{...}) inside a co_await expression, when the coroutine "
    "suspends there (cmake/probes/coroutine_aggregate_temporary.cpp). In code that uses aio, name such an "
    "object before awaiting:\n"
    "  aio::ProtocolFactory factory = [p] { return p; };\n"
    "  co_await aio::connect_read_pipe(factory, fd);\n"
    "or build with clang++ (CMAKE_CXX_COMPILER=clang++), which compiles it correctly. "
    "See README.md, \"Compilers\".")
endif()
