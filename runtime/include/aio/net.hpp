#pragma once
/// aio's network layer (native builds only): readiness I/O, transports and
/// protocols, servers, streams, TLS, UDP, signals, subprocesses.
#include "aio/net/address.hpp"
#include "aio/net/errors.hpp"
#include "aio/net/io.hpp"
#include "aio/net/pipes.hpp"
#include "aio/net/protocols.hpp"
#include "aio/net/server.hpp"
#include "aio/net/signals.hpp"
#include "aio/net/ssl.hpp"
#include "aio/net/streams.hpp"
#include "aio/net/subprocess.hpp"
