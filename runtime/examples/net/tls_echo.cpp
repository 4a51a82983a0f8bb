// TLS (asyncio's ssl=): a TLS echo server and a client that verifies it.
//
// The server's certificate is a throwaway one made by the `openssl` command
// (run with aio::create_subprocess_exec); the client trusts exactly that
// certificate and checks the host name "localhost" against it, as
// ssl.create_default_context() does with the system's CAs.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> echo(std::shared_ptr<aio::StreamReader> reader, std::shared_ptr<aio::StreamWriter> writer) {
  auto lines = reader->lines();
  while (auto line = co_await lines.next()) {
    writer->write("echo: " + *line);
    co_await writer->drain();
  }
  writer->close();
  co_await writer->wait_closed();
}

aio::Task<void> amain(std::string dir) {
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  aio::SubprocessOptions quiet;
  quiet.stdout_ = aio::Stdio::devnull;
  quiet.stderr_ = aio::Stdio::devnull;
  auto making = aio::create_subprocess_exec(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
       "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert},
      quiet);
  auto openssl = co_await making;
  if (co_await openssl->wait() != 0) throw aio::RuntimeError("openssl req failed");

  // The server: create_default_context(CLIENT_AUTH) plus its certificate.
  aio::ServerOptions server_options;
  server_options.ssl = aio::SSLContext::create_default_context(aio::Purpose::CLIENT_AUTH);
  server_options.ssl->load_cert_chain(cert, key);
  auto server = co_await aio::start_server(echo, "127.0.0.1", 0, aio::kDefaultStreamLimit, server_options);

  // The client: certificate and host name verified (a default context that
  // trusts our certificate instead of the system's CAs).
  aio::SSLContext client_context(aio::SSLMethod::PROTOCOL_TLS_CLIENT);
  client_context.load_verify_locations(cert);
  aio::ConnectionOptions options;
  options.ssl = client_context;
  options.server_hostname = "localhost";
  auto connecting = aio::open_connection("127.0.0.1", server->sockname().port, options);
  auto [reader, writer] = co_await connecting;

  auto tls = std::any_cast<aio::SSLObject>(writer->get_extra_info("ssl_object"));
  auto peer = std::any_cast<aio::PeerCertificate>(writer->get_extra_info("peercert"));
  std::printf("connected with %s (%s)\n", tls.version().c_str(), tls.cipher()->name.c_str());
  for (auto& [name, value] : peer.subject) std::printf("server certificate: %s=%s\n", name.c_str(), value.c_str());

  writer->write("hello over TLS\n");
  co_await writer->drain();
  std::printf("%s", (co_await reader->readline()).c_str());
  writer->close();  // sends close_notify, waits for the server's
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

int main() {
  char tmpl[] = "/tmp/aio-tls-example-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  std::string dir = tmpl;
  int status = 0;
  try {
    aio::run(amain(dir));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tls_echo: %s\n", e.what());
    status = 1;
  }
  ::unlink((dir + "/cert.pem").c_str());
  ::unlink((dir + "/key.pem").c_str());
  ::rmdir(dir.c_str());
  return status;
}
