#pragma once
/// Everything in aio: include this one header.
#include "aio/async_generator.hpp"
#include "aio/concurrent_future.hpp"
#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/executor.hpp"
#include "aio/future.hpp"
#include "aio/handle.hpp"
#include "aio/runner.hpp"
#include "aio/sleep.hpp"
#include "aio/task.hpp"
#include "aio/threads.hpp"
