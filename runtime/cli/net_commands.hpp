#pragma once
// The network commands of the native CLI (net_commands.cpp):
//
//   aio run http-get URL                 the seeds' get_url over open_connection
//   aio serve echo --port N              echo server (protocols)
//   aio serve chat --port N              line-based broadcast chat (streams)
//   aio serve http --port N [--threads K]
//                                        keep-alive HTTP/1.1 hello server;
//                                        K loops on K threads share the port
//                                        (SO_REUSEPORT)
//
// Servers print "serving <what> on HOST:PORT" once listening (--port 0 picks
// a free port) and stop cleanly on SIGINT/SIGTERM: they stop accepting, let
// the connections finish what they were sending (up to --drain seconds), then
// exit 0.
namespace aio::cli {

/// Runs a network command and returns its exit status, or -1 if argv is not
/// one (main() then parses it as usual).
int net_main(int argc, char** argv);

}  // namespace aio::cli
