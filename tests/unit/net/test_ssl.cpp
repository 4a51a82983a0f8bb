// TLS (asyncio's ssl=): SSLContext, create_connection / create_server /
// open_connection / start_server over TLS on 127.0.0.1, certificate and host
// name verification, flow control, close_notify, timeouts and bad peers.
//
// The certificates are made when the tests start, with OpenSSL: a CA and a
// server certificate it signs (for "localhost" and 127.0.0.1), valid from an
// hour ago for a day, so nothing is committed and nothing expires.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "net/ssl_protocol.hpp"  // the read buffer of the TLS layer (memory bound)
#include "net_test_util.hpp"

namespace {

using nettest::until;

// ---- certificates -------------------------------------------------------------------

struct KeyAndCert {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string cert_pem, key_pem;
};

std::string to_pem(X509* cert) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, cert);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, n);
  BIO_free(b);
  return s;
}

std::string to_pem(EVP_PKEY* key) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, n);
  BIO_free(b);
  return s;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `cn`, signed by `issuer` (itself when null: a CA, or a
// self-signed leaf when `ca` is false).
KeyAndCert make_cert(const char* cn, const KeyAndCert* issuer, bool ca, const char* san, long serial) {
  KeyAndCert kc;
  kc.key = EVP_EC_gen("P-256");
  kc.cert = X509_new();
  X509_set_version(kc.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(kc.cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(kc.cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(kc.cert), 24 * 3600);
  X509_set_pubkey(kc.cert, kc.key);
  X509_NAME* name = X509_get_subject_name(kc.cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("aio tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* signer_cert = issuer ? issuer->cert : kc.cert;
  EVP_PKEY* signer_key = issuer ? issuer->key : kc.key;
  X509_set_issuer_name(kc.cert, X509_get_subject_name(signer_cert));
  if (ca) {
    add_ext(kc.cert, signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(kc.cert, signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(kc.cert, signer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(kc.cert, signer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  add_ext(kc.cert, signer_cert, NID_subject_key_identifier, "hash");
  if (san) add_ext(kc.cert, signer_cert, NID_subject_alt_name, san);
  X509_sign(kc.cert, signer_key, EVP_sha256());
  kc.cert_pem = to_pem(kc.cert);
  kc.key_pem = to_pem(kc.key);
  return kc;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Made once for all the tests, removed when they end.
struct Pki {
  std::string dir;
  std::string ca_pem;
  std::string ca_file, server_cert, server_key, self_signed_cert, self_signed_key;
  KeyAndCert ca, server, self_signed;
};
Pki* g_pki = nullptr;

class TlsEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    g_pki = new Pki;
    char tmpl[] = "/tmp/aio-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    g_pki->dir = tmpl;
    g_pki->ca = make_cert("aio test CA", nullptr, true, nullptr, 1);
    g_pki->server = make_cert("localhost", &g_pki->ca, false, "DNS:localhost,IP:127.0.0.1", 2);
    g_pki->self_signed = make_cert("localhost", nullptr, false, "DNS:localhost,IP:127.0.0.1", 3);
    g_pki->ca_pem = g_pki->ca.cert_pem;
    g_pki->ca_file = g_pki->dir + "/ca.pem";
    g_pki->server_cert = g_pki->dir + "/server.pem";
    g_pki->server_key = g_pki->dir + "/server.key";
    g_pki->self_signed_cert = g_pki->dir + "/self.pem";
    g_pki->self_signed_key = g_pki->dir + "/self.key";
    write_file(g_pki->ca_file, g_pki->ca.cert_pem);
    write_file(g_pki->server_cert, g_pki->server.cert_pem);
    write_file(g_pki->server_key, g_pki->server.key_pem);
    write_file(g_pki->self_signed_cert, g_pki->self_signed.cert_pem);
    write_file(g_pki->self_signed_key, g_pki->self_signed.key_pem);
  }
  void TearDown() override {
    for (const auto& f :
         {g_pki->ca_file, g_pki->server_cert, g_pki->server_key, g_pki->self_signed_cert, g_pki->self_signed_key})
      ::unlink(f.c_str());
    ::rmdir(g_pki->dir.c_str());
    for (KeyAndCert* kc : {&g_pki->ca, &g_pki->server, &g_pki->self_signed}) {
      X509_free(kc->cert);
      EVP_PKEY_free(kc->key);
    }
    delete g_pki;
    g_pki = nullptr;
  }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new TlsEnvironment);

aio::SSLContext server_context(bool self_signed = false) {
  aio::SSLContext ctx(aio::SSLMethod::PROTOCOL_TLS_SERVER);
  if (self_signed)
    ctx.load_cert_chain(g_pki->self_signed_cert, g_pki->self_signed_key);
  else
    ctx.load_cert_chain(g_pki->server_cert, g_pki->server_key);
  return ctx;
}

// A client that trusts the test CA (and checks host names: the default).
aio::SSLContext client_context() {
  aio::SSLContext ctx(aio::SSLMethod::PROTOCOL_TLS_CLIENT);
  ctx.load_verify_locations("", "", g_pki->ca_pem);
  return ctx;
}

aio::ConnectionOptions tls_client(aio::SSLContext ctx, std::optional<std::string> server_hostname = std::nullopt) {
  aio::ConnectionOptions o;
  o.ssl = std::move(ctx);
  o.server_hostname = std::move(server_hostname);
  return o;
}

aio::ServerOptions tls_server(aio::SSLContext ctx) {
  aio::ServerOptions o;
  o.ssl = std::move(ctx);
  return o;
}

// The setup most tests share: a TLS server on 127.0.0.1 whose connections
// all get `server_proto`, and a client connected to it with `client`, over
// `copts`. Returns once the client's handshake is done.
struct TlsPair {
  std::shared_ptr<aio::Server> server;
  std::shared_ptr<aio::Transport> client_transport;
};
aio::Task<TlsPair> tls_pair(std::shared_ptr<aio::Protocol> server_proto, std::shared_ptr<aio::Protocol> client,
                            aio::ConnectionOptions copts) {
  aio::ProtocolFactory sf = [server_proto] { return server_proto; };
  auto sopts = tls_server(server_context());
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  aio::ProtocolFactory cf = [client] { return client; };
  auto connecting = aio::create_connection(cf, "127.0.0.1", server->sockname().port, std::move(copts));
  auto [t, p] = co_await connecting;
  co_return TlsPair{server, t};
}

// Echoes what it gets, upper-cased, and records what happens to it.
struct UpperEcho : nettest::RecordingProtocol {
  aio::Transport* t = nullptr;
  void connection_made(aio::Transport& tr) override {
    RecordingProtocol::connection_made(tr);
    t = &tr;
  }
  void data_received(std::string_view d) override {
    RecordingProtocol::data_received(d);
    std::string up(d);
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    t->write(up);
  }
};

using Conn = std::pair<std::shared_ptr<aio::Transport>, std::shared_ptr<aio::Protocol>>;

// ---- round trips --------------------------------------------------------------------

aio::Task<void> protocol_round_trip() {
  auto server_proto = std::make_shared<UpperEcho>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context(), std::string("localhost"));
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  // connection_made comes once the handshake is done, before create_connection returns.
  EXPECT_EQ(client->events, std::vector<std::string>{"made"});
  EXPECT_EQ(t->get_protocol(), client);
  client->want = 11;
  t->write("hello ");
  t->writelines({"wor", "ld"});
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "HELLO WORLD");
  EXPECT_EQ(server_proto->received, "hello world");

  // get_extra_info: TLS answers, and the socket's through it.
  auto cert = std::any_cast<aio::PeerCertificate>(t->get_extra_info("peercert"));
  EXPECT_TRUE(cert.verified);
  EXPECT_FALSE(cert.der.empty());
  EXPECT_EQ(cert.version, 3);
  EXPECT_EQ(cert.serialNumber, "02");
  bool cn = false;
  for (auto& [k, v] : cert.subject) cn = cn || (k == "commonName" && v == "localhost");
  EXPECT_TRUE(cn);
  std::vector<std::pair<std::string, std::string>> san{{"DNS", "localhost"}, {"IP Address", "127.0.0.1"}};
  EXPECT_EQ(cert.subjectAltName, san);
  EXPECT_NE(cert.notAfter.find("GMT"), std::string::npos);
  auto cipher = std::any_cast<aio::CipherInfo>(t->get_extra_info("cipher"));
  EXPECT_FALSE(cipher.name.empty());
  EXPECT_EQ(cipher.protocol, "TLSv1.3");
  EXPECT_GE(cipher.secret_bits, 128);
  auto object = std::any_cast<aio::SSLObject>(t->get_extra_info("ssl_object"));
  EXPECT_EQ(object.version(), "TLSv1.3");
  EXPECT_FALSE(object.server_side());
  EXPECT_EQ(object.server_hostname(), "localhost");
  EXPECT_TRUE(t->get_extra_info("sslcontext").has_value());
  EXPECT_FALSE(t->get_extra_info("compression").has_value());
  EXPECT_EQ(t->get_address_info("peername"), server->sockname());
  EXPECT_GE(std::any_cast<int>(t->get_extra_info("socket")), 0);
  // The server asked for no client certificate.
  EXPECT_FALSE(server_proto->t->get_extra_info("peercert").has_value());

  t->close();
  EXPECT_TRUE(t->is_closing());
  co_await client->lost.wait();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, ProtocolRoundTripAndExtraInfo) { nettest::run(protocol_round_trip()); }

aio::Task<void> streams_round_trip() {
  aio::ClientConnectedCallback handler = [](std::shared_ptr<aio::StreamReader> r,
                                            std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    for (;;) {
      std::string line = co_await r->readline();
      if (line.empty()) break;
      w->write("echo: " + line);
      co_await w->drain();
    }
    w->close();
    co_await w->wait_closed();
  };
  auto sopts = tls_server(server_context());
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0, aio::kDefaultStreamLimit, sopts);
  auto copts = tls_client(client_context(), std::string("localhost"));
  auto opening = aio::open_connection("127.0.0.1", server->sockname().port, copts);
  auto [reader, writer] = co_await opening;
  EXPECT_FALSE(writer->can_write_eof());
  EXPECT_THROW(writer->write_eof(), aio::NotImplementedError);
  writer->write("one\ntwo\n");
  co_await writer->drain();
  EXPECT_EQ(co_await reader->readline(), "echo: one\n");
  EXPECT_EQ(co_await reader->readline(), "echo: two\n");
  writer->close();
  co_await writer->wait_closed();
  EXPECT_EQ(co_await reader->read(), "");  // the server's close_notify was an EOF
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, StreamsRoundTrip) { nettest::run(streams_round_trip()); }

aio::Task<void> unix_socket_round_trip() {
  aio::ClientConnectedCallback handler = [](std::shared_ptr<aio::StreamReader> r,
                                            std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    std::string line = co_await r->readline();
    w->write("unix: " + line);
    co_await w->drain();
    w->close();
  };
  std::string path = g_pki->dir + "/tls.sock";
  auto sopts = tls_server(server_context());
  auto server = co_await aio::start_unix_server(handler, path, aio::kDefaultStreamLimit, sopts);
  // A path is no host name: server_hostname must be given.
  auto nameless = tls_client(client_context());
  auto failing = aio::open_unix_connection(path, nameless);
  EXPECT_THROW(co_await failing, aio::ValueError);
  auto copts = tls_client(client_context(), std::string("localhost"));
  auto opening = aio::open_unix_connection(path, copts);
  auto [reader, writer] = co_await opening;
  EXPECT_TRUE(writer->get_extra_info("peercert").has_value());
  writer->write("hi\n");
  EXPECT_EQ(co_await reader->readline(), "unix: hi\n");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  ::unlink(path.c_str());
}

TEST(Ssl, UnixSocketRoundTrip) { nettest::run(unix_socket_round_trip()); }

// ---- verification -------------------------------------------------------------------

// The error create_connection raised, as (type, message).
// (Named arguments, no defaults: see the g++ 12 pitfalls in runtime/docs/net.md.)
aio::Task<std::pair<std::string, std::string>> connect_error(int port, aio::ConnectionOptions options) {
  aio::ProtocolFactory cf = [] { return std::make_shared<nettest::RecordingProtocol>(); };
  try {
    auto connecting = aio::create_connection(cf, "127.0.0.1", port, std::move(options));
    auto [t, p] = co_await connecting;
    t->close();
    co_await std::static_pointer_cast<nettest::RecordingProtocol>(p)->lost.wait();
  } catch (...) {
    auto e = std::current_exception();
    co_return std::make_pair(aio::exception_type_name(e), aio::exception_message(e));
  }
  co_return std::make_pair(std::string("none"), std::string());
}

aio::Task<void> hostname_verification() {
  // The server sees the client give up on the handshake; outside debug mode
  // that is not reported (asyncio's rule; see garbage_instead_of_client_hello).
  auto& loop = aio::get_running_loop();
  int reported = 0;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext&) { ++reported; });
  aio::ProtocolFactory sf = [] { return std::make_shared<UpperEcho>(); };
  auto sopts = tls_server(server_context());
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  int port = server->sockname().port;
  // server_hostname defaults to the host: 127.0.0.1 is in the certificate's
  // IP addresses.
  auto by_ip = tls_client(client_context());
  auto r1 = connect_error(port, by_ip);
  EXPECT_EQ((co_await r1).first, "none");
  auto by_name = tls_client(client_context(), std::string("localhost"));
  auto r2 = connect_error(port, by_name);
  EXPECT_EQ((co_await r2).first, "none");
  auto other = tls_client(client_context(), std::string("example.org"));
  auto r3 = connect_error(port, other);
  auto [type, message] = co_await r3;
  EXPECT_EQ(type, "SSLCertVerificationError");
  EXPECT_EQ(message,
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not "
            "valid for 'example.org'.");
  // The details, as Python's verify_code / verify_message.
  aio::ProtocolFactory cf = [] { return std::make_shared<nettest::RecordingProtocol>(); };
  auto mismatch = tls_client(client_context(), std::string("example.org"));
  try {
    auto connecting = aio::create_connection(cf, "127.0.0.1", port, mismatch);
    co_await connecting;
    ADD_FAILURE() << "no error";
  } catch (const aio::SSLCertVerificationError& e) {
    EXPECT_EQ(e.verify_code(), X509_V_ERR_HOSTNAME_MISMATCH);
    EXPECT_EQ(e.reason(), "CERTIFICATE_VERIFY_FAILED");
  }
  // Without the check, any name goes.
  auto unchecked = client_context();
  unchecked.set_check_hostname(false);
  auto unchecked_opts = tls_client(unchecked, std::string("example.org"));
  auto r4 = connect_error(port, unchecked_opts);
  EXPECT_EQ((co_await r4).first, "none");
  server->close();
  co_await server->wait_closed();
  EXPECT_EQ(reported, 0);
  loop.set_exception_handler(nullptr);
}

TEST(Ssl, HostnameVerification) { nettest::run(hostname_verification()); }

aio::Task<void> untrusted_certificates() {
  auto& loop = aio::get_running_loop();
  std::vector<std::string> reported;
  loop.set_exception_handler(
      [&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reported.push_back(ctx.message); });
  aio::ProtocolFactory sf = [] { return std::make_shared<UpperEcho>(); };
  auto sopts = tls_server(server_context());
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  // The system's CAs do not know the test CA.
  auto system_cas = tls_client(aio::SSLContext::create_default_context());
  auto r1 = connect_error(server->sockname().port, system_cas);
  auto [type, message] = co_await r1;
  EXPECT_EQ(type, "SSLCertVerificationError");
  EXPECT_EQ(message,
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate");
  // A self-signed certificate.
  auto self_opts = tls_server(server_context(/*self_signed=*/true));
  auto self_server = co_await aio::create_server(sf, "127.0.0.1", 0, self_opts);
  auto trusting = tls_client(client_context());
  auto r2 = connect_error(self_server->sockname().port, trusting);
  auto [type2, message2] = co_await r2;
  EXPECT_EQ(type2, "SSLCertVerificationError");
  EXPECT_EQ(message2, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate");
  // The servers saw the clients' alerts and closed those connections,
  // without a report outside debug mode (asyncio's rule).
  co_await until([&] { return server->active_connections() == 0 && self_server->active_connections() == 0; });
  EXPECT_EQ(server->active_connections(), 0u);
  EXPECT_TRUE(reported.empty());
  server->close();
  self_server->close();
  co_await server->wait_closed();
  co_await self_server->wait_closed();
  loop.set_exception_handler(nullptr);
}

TEST(Ssl, UntrustedCertificatesAreRefused) { nettest::run(untrusted_certificates()); }

aio::Task<void> cert_none() {
  aio::ProtocolFactory sf = [] { return std::make_shared<UpperEcho>(); };
  auto sopts = tls_server(server_context(/*self_signed=*/true));
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  aio::SSLContext ctx(aio::SSLMethod::PROTOCOL_TLS_CLIENT);
  EXPECT_THROW(ctx.set_verify_mode(aio::VerifyMode::CERT_NONE), aio::ValueError);  // check_hostname is on
  ctx.set_check_hostname(false);
  ctx.set_verify_mode(aio::VerifyMode::CERT_NONE);
  EXPECT_EQ(ctx.verify_mode(), aio::VerifyMode::CERT_NONE);
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto copts = tls_client(ctx);
  auto connecting = aio::create_connection(cf, "127.0.0.1", server->sockname().port, copts);
  auto [t, p] = co_await connecting;
  // Not verified: Python's getpeercert() is {} then; the DER form is there.
  auto cert = std::any_cast<aio::PeerCertificate>(t->get_extra_info("peercert"));
  EXPECT_FALSE(cert.verified);
  EXPECT_TRUE(cert.subject.empty());
  EXPECT_FALSE(cert.der.empty());
  client->want = 2;
  t->write("ok");
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "OK");
  t->close();
  co_await client->lost.wait();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, CertNoneConnectsToAnyCertificate) { nettest::run(cert_none()); }

// ---- flow control -------------------------------------------------------------------

// Sends `total` bytes in 64 KiB writes, honouring pause_writing; counts and
// checksums what it receives; pauses its reading when told.
struct Bulk : aio::Protocol {
  aio::Transport* t = nullptr;
  std::size_t total = 0, sent = 0, received = 0, want = 0;
  unsigned long sum_in = 0;
  bool paused = false;
  int pauses = 0;
  std::size_t max_buffered = 0;
  bool pause_reading_at_start = false;
  aio::Event got_all, lost;
  void connection_made(aio::Transport& tr) override {
    t = &tr;
    // Small kernel buffers, so that the transports' buffers do the work.
    int fd = std::any_cast<int>(tr.get_extra_info("socket"));
    int small = 64 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (pause_reading_at_start) tr.pause_reading();
  }
  void pump() {
    std::string chunk(64 * 1024, '\0');
    while (sent < total && !paused) {
      std::size_t n = std::min(chunk.size(), total - sent);
      for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<char>((sent + i) * 7 % 251);
      t->write(std::string_view(chunk.data(), n));
      sent += n;
      max_buffered = std::max(max_buffered, t->get_write_buffer_size());
    }
  }
  void pause_writing() override {
    paused = true;
    ++pauses;
  }
  void resume_writing() override {
    paused = false;
    pump();
  }
  void data_received(std::string_view d) override {
    for (char c : d) sum_in += static_cast<unsigned char>(c) * ((received++ % 13) + 1);
    if (want && received >= want) got_all.set();
  }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

unsigned long expected_sum(std::size_t total) {
  unsigned long s = 0;
  for (std::size_t i = 0; i < total; ++i)
    s += static_cast<unsigned char>(static_cast<char>(i * 7 % 251)) * ((i % 13) + 1);
  return s;
}

aio::Task<void> large_transfer() {
  constexpr std::size_t kTotal = 6 * 1024 * 1024;
  auto server_proto = std::make_shared<Bulk>();
  server_proto->want = kTotal;
  server_proto->total = kTotal;
  server_proto->pause_reading_at_start = true;
  auto client = std::make_shared<Bulk>();
  client->want = kTotal;
  client->total = kTotal;
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  co_await until([&] { return server_proto->t != nullptr; });
  // The server does not read: the client's writes back up to it.
  client->pump();
  co_await until([&] { return client->pauses > 0; });
  EXPECT_GT(client->pauses, 0);
  EXPECT_LT(client->sent, kTotal);
  co_await aio::sleep(0.1);
  EXPECT_EQ(server_proto->received, 0u);  // paused: nothing delivered
  // Bounded on both sides: the client's buffer stops near the 512 KiB mark
  // (plus one write and TLS framing); the server's undecrypted records stop
  // near the 256 KiB mark (plus one socket read).
  EXPECT_LE(client->max_buffered, 512u * 1024 + 64 * 1024 + 16 * 1024);
  auto* layer = dynamic_cast<aio::net::detail::SSLProtocolImpl*>(server_proto->t);
  EXPECT_NE(layer, nullptr);
  if (layer) {
    EXPECT_LE(layer->get_read_buffer_size(), 512u * 1024 + 16 * 1024);
  }
  EXPECT_LE(t->get_write_buffer_size(), 512u * 1024 + 64 * 1024 + 16 * 1024);
  // Reading again: everything arrives, in order, and the server sends as much back.
  server_proto->t->resume_reading();
  server_proto->pump();
  co_await server_proto->got_all.wait();
  co_await client->got_all.wait();
  EXPECT_EQ(server_proto->received, kTotal);
  EXPECT_EQ(client->received, kTotal);
  unsigned long want = expected_sum(kTotal);
  EXPECT_EQ(server_proto->sum_in, want);
  EXPECT_EQ(client->sum_in, want);
  EXPECT_GT(server_proto->pauses, 0);
  EXPECT_FALSE(client->paused);
  EXPECT_FALSE(server_proto->paused);
  t->close();
  co_await client->lost.wait();
  co_await server_proto->lost.wait();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, LargeTransferBothWaysWithFlowControl) { nettest::run(large_transfer(), 60); }

// ---- bad peers and timeouts ---------------------------------------------------------

aio::Task<void> garbage_instead_of_client_hello() {
  auto& loop = aio::get_running_loop();
  std::vector<std::pair<std::string, std::string>> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    reported.emplace_back(ctx.message, aio::describe_exception(ctx.exception));
  });
  auto made = std::make_shared<int>(0);
  aio::ProtocolFactory sf = [made] {
    ++*made;
    return std::make_shared<UpperEcho>();
  };
  auto sopts = tls_server(server_context());
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  // A plain-text client: the server's handshake fails on its first bytes.
  auto plain_text_client = [&]() -> aio::Task<void> {
    auto opening = aio::open_connection("127.0.0.1", server->sockname().port);
    auto [reader, writer] = co_await opening;
    writer->write("GET / HTTP/1.0\r\n\r\n");
    std::string answer;
    try {
      answer = co_await reader->read();
    } catch (const aio::ConnectionResetError&) {
    }
    EXPECT_EQ(answer, "");  // closed without a word (asyncio aborts: no alert)
    writer->close();
  };
  // Outside debug mode a client's bad TLS is its own business, as in asyncio:
  // nothing reaches the exception handler (a public server sees many).
  auto quiet = plain_text_client();
  co_await quiet;
  co_await aio::sleep(0.05);
  EXPECT_TRUE(reported.empty());
  loop.set_debug(true);
  auto reported_one = plain_text_client();
  co_await reported_one;
  co_await until([&] { return !reported.empty(); });
  EXPECT_EQ(reported.size(), 1u);
  if (!reported.empty()) {
    EXPECT_EQ(reported[0].first, "SSL handshake failed");
    EXPECT_NE(reported[0].second.find("SSLError: [SSL: "), std::string::npos) << reported[0].second;
  }
  // The server goes on serving.
  EXPECT_TRUE(server->is_serving());
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto copts = tls_client(client_context());
  auto connecting = aio::create_connection(cf, "127.0.0.1", server->sockname().port, copts);
  auto [t, p] = co_await connecting;
  client->want = 2;
  t->write("hi");
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "HI");
  t->close();
  co_await client->lost.wait();
  server->close();
  co_await server->wait_closed();
  loop.set_exception_handler(nullptr);
}

TEST(Ssl, GarbageClientHelloClosesThatConnectionOnly) { nettest::run(garbage_instead_of_client_hello()); }

aio::Task<void> handshake_timeout() {
  // A TCP server that never answers the ClientHello.
  auto silent = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory sf = [silent] { return silent; };
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0);
  auto copts = tls_client(client_context());
  copts.ssl_handshake_timeout = 0.2;
  auto loop_time = aio::get_running_loop().time();
  auto r = connect_error(server->sockname().port, copts);
  auto [type, message] = co_await r;
  EXPECT_GE(aio::get_running_loop().time() - loop_time, 0.19);
  // CPython 3.11+ (sslproto._check_handshake_timeout): ConnectionAbortedError.
  EXPECT_EQ(type, "ConnectionAbortedError");
  EXPECT_EQ(message, "SSL handshake is taking longer than 0.2 seconds: aborting the connection");
  co_await silent->lost.wait();     // the connection was aborted
  EXPECT_NE(silent->received, "");  // it got the ClientHello
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, HandshakeTimeoutAbortsTheConnection) { nettest::run(handshake_timeout()); }

// ---- closing ------------------------------------------------------------------------

aio::Task<void> close_notify_both_sides() {
  auto server_proto = std::make_shared<UpperEcho>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  auto client_ssl = std::any_cast<aio::SSLObject>(t->get_extra_info("ssl_object")).native_handle();
  co_await until([&] { return server_proto->t != nullptr; });
  auto server_keep = std::static_pointer_cast<aio::Transport>(server_proto->t->shared_from_this());
  auto server_ssl = std::any_cast<aio::SSLObject>(server_keep->get_extra_info("ssl_object")).native_handle();
  client->want = 4;
  t->write("ping");
  co_await client->got_all.wait();
  t->close();
  t->write("dropped");  // after close(): dropped, as asyncio
  co_await client->lost.wait();
  co_await server_proto->lost.wait();
  // Both sides saw the other's close_notify: an EOF, then a clean loss.
  EXPECT_EQ(client->events, (std::vector<std::string>{"made", "eof", "lost"}));
  EXPECT_EQ(server_proto->events, (std::vector<std::string>{"made", "eof", "lost"}));
  EXPECT_EQ(SSL_get_shutdown(client_ssl), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  EXPECT_EQ(SSL_get_shutdown(server_ssl), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  EXPECT_EQ(server_proto->received, "ping");
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, CloseSendsCloseNotifyAndBothSidesCloseCleanly) { nettest::run(close_notify_both_sides()); }

aio::Task<void> abort_connection() {
  auto server_proto = std::make_shared<UpperEcho>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  auto client_ssl = std::any_cast<aio::SSLObject>(t->get_extra_info("ssl_object")).native_handle();
  co_await until([&] { return server_proto->t != nullptr; });
  t->abort();
  EXPECT_TRUE(t->is_closing());
  co_await client->lost.wait();
  co_await server_proto->lost.wait();
  EXPECT_EQ(client->events, (std::vector<std::string>{"made", "lost"}));
  EXPECT_EQ(SSL_get_shutdown(client_ssl), 0);  // no close_notify went out
  // The server saw the TCP end without a close_notify: an EOF all the same.
  EXPECT_EQ(server_proto->events, (std::vector<std::string>{"made", "eof", "lost"}));
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, AbortClosesAtOnce) { nettest::run(abort_connection()); }

aio::Task<void> shutdown_timeout() {
  // The server stops reading, so it never sees the client's close_notify
  // and never answers it.
  auto server_proto = std::make_shared<UpperEcho>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context());
  copts.ssl_shutdown_timeout = 0.2;
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  co_await until([&] { return server_proto->t != nullptr; });
  server_proto->t->pause_reading();
  t->close();
  co_await client->lost.wait();
  EXPECT_EQ(client->events, (std::vector<std::string>{"made", "lost:TimeoutError"}));
  server_proto->t->abort();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, ShutdownTimeoutForceCloses) { nettest::run(shutdown_timeout()); }

// ---- arguments and contexts ---------------------------------------------------------

aio::Task<void> argument_checks() {
  aio::ProtocolFactory f = [] { return std::make_shared<nettest::RecordingProtocol>(); };
  aio::ConnectionOptions hostname_only;
  hostname_only.server_hostname = "localhost";
  auto c1 = aio::create_connection(f, "127.0.0.1", 1, hostname_only);
  EXPECT_THROW(co_await c1, aio::ValueError);
  aio::ConnectionOptions timeout_only;
  timeout_only.ssl_handshake_timeout = 5;
  auto c2 = aio::create_connection(f, "127.0.0.1", 1, timeout_only);
  EXPECT_THROW(co_await c2, aio::ValueError);
  aio::ServerOptions server_timeout_only;
  server_timeout_only.ssl_shutdown_timeout = 5;
  auto s1 = aio::create_server(f, "127.0.0.1", 0, server_timeout_only);
  EXPECT_THROW(co_await s1, aio::ValueError);
  // check_hostname needs a name.
  auto no_name = tls_client(client_context(), std::string(""));
  auto c3 = aio::create_connection(f, "127.0.0.1", 1, no_name);
  EXPECT_THROW(co_await c3, aio::ValueError);
  auto bad_timeout = tls_client(client_context());
  bad_timeout.ssl_handshake_timeout = 0;
  auto c4 = aio::create_connection(f, "127.0.0.1", 1, bad_timeout);
  EXPECT_THROW(co_await c4, aio::ValueError);
  // A server context for a client, and the other way round.
  auto wrong = tls_client(server_context());
  auto c5 = aio::create_connection(f, "127.0.0.1", 1, wrong);
  EXPECT_THROW(co_await c5, aio::ValueError);
  auto wrong_server = tls_server(client_context());
  auto s2 = aio::create_server(f, "127.0.0.1", 0, wrong_server);
  EXPECT_THROW(co_await s2, aio::ValueError);
}

TEST(Ssl, ArgumentChecksAsAsyncio) { nettest::run(argument_checks()); }

TEST(Ssl, ContextErrors) {
  aio::SSLContext server(aio::SSLMethod::PROTOCOL_TLS_SERVER);
  EXPECT_THROW(server.load_cert_chain(g_pki->dir + "/missing.pem"), aio::FileNotFoundError);
  // The key of another certificate.
  try {
    server.load_cert_chain(g_pki->server_cert, g_pki->self_signed_key);
    ADD_FAILURE() << "no error";
  } catch (const aio::SSLError& e) {
    EXPECT_NE(std::string(e.what()).find("KEY_VALUES_MISMATCH"), std::string::npos) << e.what();
  }
  aio::SSLContext client(aio::SSLMethod::PROTOCOL_TLS_CLIENT);
  EXPECT_TRUE(client.check_hostname());
  EXPECT_EQ(client.verify_mode(), aio::VerifyMode::CERT_REQUIRED);
  EXPECT_EQ(client.minimum_version(), aio::TLSVersion::TLSv1_2);
  EXPECT_THROW(client.load_verify_locations(""), aio::TypeError);
  EXPECT_THROW(client.load_verify_locations("", "", "not a certificate"), aio::SSLError);
  client.load_verify_locations(g_pki->ca_file);
  client.load_verify_locations("", "", g_pki->ca_pem);  // the same again: fine, as Python
  EXPECT_THROW(client.set_alpn_protocols({""}), aio::ValueError);
  client.set_minimum_version(aio::TLSVersion::TLSv1_3);
  EXPECT_EQ(client.minimum_version(), aio::TLSVersion::TLSv1_3);
  auto def = aio::SSLContext::create_default_context(aio::Purpose::CLIENT_AUTH);
  EXPECT_TRUE(def.server_side());
  EXPECT_FALSE(def.check_hostname());
  EXPECT_EQ(def.verify_mode(), aio::VerifyMode::CERT_NONE);
}

aio::Task<void> alpn() {
  auto sctx = server_context();
  sctx.set_alpn_protocols({"http/1.1"});
  aio::ProtocolFactory sf = [] { return std::make_shared<UpperEcho>(); };
  auto sopts = tls_server(sctx);
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  auto cctx = client_context();
  cctx.set_alpn_protocols({"h2", "http/1.1"});
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto copts = tls_client(cctx);
  auto connecting = aio::create_connection(cf, "127.0.0.1", server->sockname().port, copts);
  auto [t, p] = co_await connecting;
  auto object = std::any_cast<aio::SSLObject>(t->get_extra_info("ssl_object"));
  EXPECT_EQ(object.selected_alpn_protocol(), std::optional<std::string>("http/1.1"));
  t->close();
  co_await client->lost.wait();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, AlpnNegotiation) { nettest::run(alpn()); }

}  // namespace

// ---- start_tls ----------------------------------------------------------------------

namespace {

// STARTTLS: a plain-text exchange, then both sides upgrade the connection.
aio::Task<void> streams_start_tls() {
  aio::ClientConnectedCallback handler = [](std::shared_ptr<aio::StreamReader> r,
                                            std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    std::string hello = co_await r->readline();
    if (hello != "STARTTLS\n") co_return;
    w->write("GO AHEAD\n");
    auto upgrading = w->start_tls(server_context());
    co_await upgrading;
    std::string secret = co_await r->readline();
    w->write("echo: " + secret);
    co_await w->drain();
    w->close();
    co_await w->wait_closed();
  };
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto opening = aio::open_connection("127.0.0.1", server->sockname().port);
  auto [reader, writer] = co_await opening;
  EXPECT_FALSE(writer->get_extra_info("sslcontext").has_value());
  writer->write("STARTTLS\n");
  EXPECT_EQ(co_await reader->readline(), "GO AHEAD\n");
  aio::TLSOptions tls;
  tls.server_hostname = "localhost";
  auto upgrading = writer->start_tls(client_context(), tls);
  co_await upgrading;
  EXPECT_TRUE(writer->get_extra_info("sslcontext").has_value());
  auto cert = std::any_cast<aio::PeerCertificate>(writer->get_extra_info("peercert"));
  EXPECT_TRUE(cert.verified);
  writer->write("secret\n");
  EXPECT_EQ(co_await reader->readline(), "echo: secret\n");
  EXPECT_EQ(co_await reader->read(), "");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, StreamWriterStartTls) { nettest::run(streams_start_tls()); }

aio::Task<void> start_tls_on_a_pipe() {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  auto proto = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory f = [proto] { return proto; };
  auto connecting = aio::connect_read_pipe(f, fds[0]);
  auto [t, p] = co_await connecting;
  aio::TLSOptions tls;
  tls.server_hostname = "localhost";
  auto upgrading = aio::start_tls(t, proto, client_context(), tls);
  EXPECT_THROW(co_await upgrading, aio::TypeError);
  t->close();
  ::close(fds[1]);
  co_await proto->lost.wait();
}

TEST(Ssl, StartTlsNeedsASocketTransport) { nettest::run(start_tls_on_a_pipe()); }

}  // namespace

// ---- lifetimes ----------------------------------------------------------------------

namespace {

// Keeps its transport, as many protocols do: a cycle through the TLS layer
// that must be broken when the loop goes away with the connection open.
struct Keeper : nettest::RecordingProtocol {
  std::shared_ptr<aio::Transport> transport;
  void connection_made(aio::Transport& t) override {
    RecordingProtocol::connection_made(t);
    transport = std::static_pointer_cast<aio::Transport>(t.shared_from_this());
  }
};

std::weak_ptr<Keeper> g_kept_client, g_kept_server;

aio::Task<void> leave_connection_open() {
  auto server_proto = std::make_shared<Keeper>();
  g_kept_server = server_proto;
  auto client = std::make_shared<Keeper>();
  g_kept_client = client;
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  server_proto->want = 1;
  t->write("x");
  co_await server_proto->got_all.wait();
  // Returns with both ends open.
}

TEST(Ssl, LoopGoingAwayFreesOpenConnections) {
  nettest::run(leave_connection_open());
  EXPECT_TRUE(g_kept_client.expired());
  EXPECT_TRUE(g_kept_server.expired());
}

}  // namespace

// ---- re-entrancy --------------------------------------------------------------------

namespace {

// Writes what it gets and only then keeps it, and closes on a marker from
// inside data_received: the data it was handed must stay intact through
// both (the TLS layer encrypts and may read again in the meantime).
struct WriteThenKeep : aio::Protocol {
  aio::Transport* t = nullptr;
  std::string seen;
  aio::Event lost;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void data_received(std::string_view d) override {
    t->write(d);
    if (d.find('!') != std::string_view::npos) t->close();
    seen += d;
  }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

aio::Task<void> data_survives_writes_and_close() {
  auto server_proto = std::make_shared<WriteThenKeep>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  std::string payload;
  for (int i = 0; payload.size() < 300 * 1024; ++i) payload += "line " + std::to_string(i) + "\n";
  client->want = payload.size();
  t->write(payload);
  co_await client->got_all.wait();
  EXPECT_TRUE(client->received == payload);
  EXPECT_TRUE(server_proto->seen == payload);
  t->write("last!");
  co_await server_proto->lost.wait();
  co_await client->lost.wait();
  EXPECT_EQ(server_proto->seen.substr(payload.size()), "last!");
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, DataSurvivesWritesAndCloseInsideDataReceived) { nettest::run(data_survives_writes_and_close()); }

}  // namespace

// ---- sendfile ---------------------------------------------------------------------------

// Over TLS the kernel cannot send the file (it must be encrypted first):
// sendfile() falls back to reading it and writing it under the transport's
// flow control, as asyncio does, and hands the transport back to its
// protocol afterwards, reading again. Without the fallback it raises.
aio::Task<void> sendfile_over_tls() {
  char path[] = "/tmp/aio-tls-sendfile-XXXXXX";
  int file = ::mkstemp(path);
  ::unlink(path);
  std::string content;
  for (int i = 0; content.size() < 700 * 1024; ++i) content += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(::write(file, content.data(), content.size()), static_cast<ssize_t>(content.size()));

  auto server_proto = std::make_shared<UpperEcho>();
  auto client = std::make_shared<nettest::RecordingProtocol>();
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(server_proto, client, copts);
  auto [server, t] = co_await pairing;
  EXPECT_THROW(co_await aio::sendfile(*t, file, 0, 0, /*fallback=*/false), aio::SendfileNotAvailableError);

  server_proto->want = content.size() - 100;
  client->want = content.size() - 100;  // the echo, upper-cased
  t->set_write_buffer_limits(64 * 1024);
  ::lseek(file, 0, SEEK_SET);
  std::size_t sent = co_await aio::sendfile(*t, file, 100);
  EXPECT_EQ(sent, content.size() - 100);
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), static_cast<off_t>(content.size()));  // asyncio: offset + sent
  EXPECT_EQ(t->get_protocol(), client);  // given back
  EXPECT_TRUE(t->is_reading());
  EXPECT_LE(t->get_write_buffer_size(), 64u * 1024);
  co_await server_proto->got_all.wait();
  EXPECT_TRUE(server_proto->received == content.substr(100));
  // The echo that came while sendfile held the transport reaches the client.
  co_await client->got_all.wait();
  std::string upper = content.substr(100);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(client->received == upper);
  t->close();
  co_await client->lost.wait();
  ::close(file);
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, SendfileFallsBackToReadAndWrite) { nettest::run(sendfile_over_tls(), 60); }

namespace {

// ---- client certificates ------------------------------------------------------------

// A client certificate the test CA signs, in files for load_cert_chain;
// removed with the object.
struct ClientCertFiles {
  KeyAndCert kc;
  std::string cert, key;
  ClientCertFiles() {
    kc = make_cert("aio test client", &g_pki->ca, false, "DNS:client.test", 4);
    cert = g_pki->dir + "/client.pem";
    key = g_pki->dir + "/client.key";
    write_file(cert, kc.cert_pem);
    write_file(key, kc.key_pem);
  }
  ~ClientCertFiles() {
    ::unlink(cert.c_str());
    ::unlink(key.c_str());
    X509_free(kc.cert);
    EVP_PKEY_free(kc.key);
  }
};

// Mutual TLS: a server with CERT_REQUIRED and the CA. A client presenting a
// certificate the CA signed gets through, and the server's transport has it
// as peercert. A client with none: the server's handshake fails with
// Python's SSLError "[SSL: PEER_DID_NOT_RETURN_A_CERTIFICATE] peer did not
// return a certificate" (reported in debug mode, as asyncio's "SSL
// handshake failed"); the client, whose TLS 1.3 handshake was done before
// the server looked at its certificate, loses the connection without any
// data (asyncio 3.11 does the same: eof_received, then connection_lost).
// Over TLS 1.2 the client's own handshake fails.
aio::Task<void> client_certificates() {
  ClientCertFiles files;
  auto& loop = aio::get_running_loop();
  loop.set_debug(true);
  std::vector<std::string> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    reported.push_back(ctx.message + " | " + aio::describe_exception(ctx.exception));
  });
  aio::SSLContext sctx = server_context();
  sctx.load_verify_locations("", "", g_pki->ca_pem);
  sctx.set_verify_mode(aio::VerifyMode::CERT_REQUIRED);
  std::vector<std::shared_ptr<UpperEcho>> served;
  aio::ProtocolFactory sf = [&served] {
    served.push_back(std::make_shared<UpperEcho>());
    return served.back();
  };
  auto sopts = tls_server(sctx);
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, sopts);
  const int port = server->sockname().port;

  // With a certificate.
  aio::SSLContext with_cert = client_context();
  with_cert.load_cert_chain(files.cert, files.key);
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto copts = tls_client(with_cert);
  auto connecting = aio::create_connection(cf, "127.0.0.1", port, copts);
  auto [t, p] = co_await connecting;
  client->want = 2;
  t->write("hi");
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "HI");
  EXPECT_EQ(served.size(), 1u);
  if (!served.empty()) {
    auto cert = std::any_cast<aio::PeerCertificate>(served[0]->t->get_extra_info("peercert"));
    EXPECT_TRUE(cert.verified);
    bool cn = false;
    for (auto& [k, v] : cert.subject) cn = cn || (k == "commonName" && v == "aio test client");
    EXPECT_TRUE(cn);
    EXPECT_EQ(cert.serialNumber, "04");
  }
  t->close();
  co_await client->lost.wait();
  EXPECT_TRUE(reported.empty());

  // Without one (TLS 1.3).
  auto bare = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory bare_factory = [bare] { return bare; };
  auto bare_opts = tls_client(client_context());
  std::string client_error;
  try {
    auto bare_connecting = aio::create_connection(bare_factory, "127.0.0.1", port, bare_opts);
    auto [bt, bp] = co_await bare_connecting;
    bt->write("hi");
    co_await bare->lost.wait();
  } catch (const aio::OSError& e) {
    client_error = e.what();
  }
  EXPECT_EQ(client_error, "");
  EXPECT_EQ(bare->received, "");  // the server never served it
  EXPECT_EQ(bare->events.size() >= 2 ? bare->events.front() + " ... " + bare->events.back().substr(0, 4) : "",
            "made ... lost");
  co_await until([&] { return !reported.empty(); });
  EXPECT_EQ(reported.size(), 1u);
  std::string server_error = reported.empty() ? "" : reported[0];
  EXPECT_NE(server_error.find("SSLError: [SSL: PEER_DID_NOT_RETURN_A_CERTIFICATE] peer did not return a certificate"),
            std::string::npos)
      << server_error;
  // The refused client's protocol (made before the handshake, as asyncio's)
  // never got connection_made.
  EXPECT_EQ(served.size(), 2u);
  if (served.size() == 2) {
    EXPECT_TRUE(served[1]->events.empty());
  }

  // Without one, over TLS 1.2: the client's handshake itself fails.
  aio::SSLContext tls12 = client_context();
  tls12.set_maximum_version(aio::TLSVersion::TLSv1_2);
  auto tls12_opts = tls_client(tls12);
  auto r = connect_error(port, tls12_opts);
  auto [type, message] = co_await r;
  EXPECT_TRUE(type == "SSLError" || type == "ConnectionResetError") << type << ": " << message;
  // The server's side fails as before. (In debug mode aio also reports the
  // client's failed handshake, which create_connection raised; asyncio only
  // logs that one at debug level.)
  auto server_refusals = [&] {
    return std::count_if(reported.begin(), reported.end(), [](const std::string& r) {
      return r.find("PEER_DID_NOT_RETURN_A_CERTIFICATE") != std::string::npos;
    });
  };
  co_await until([&] { return server_refusals() == 2; });
  EXPECT_EQ(server_refusals(), 2);

  server->close();
  co_await server->wait_closed();
  loop.set_exception_handler(nullptr);
  loop.set_debug(false);
}

TEST(Ssl, ClientCertificatesMutualTls) { nettest::run(client_certificates()); }

// ---- BufferedProtocol ----------------------------------------------------------------

// Reads through get_buffer/buffer_updated into a buffer of an odd size, so
// that records are split across buffers and buffers across records.
struct BufferedSink : aio::BufferedProtocol {
  std::string buffer = std::string(1000, '\0');
  std::size_t received = 0;
  unsigned long sum = 0;
  std::size_t get_buffer_calls = 0;
  bool eof = false;
  aio::Event lost;
  std::span<char> get_buffer(long) override {
    ++get_buffer_calls;
    return std::span<char>(buffer.data(), buffer.size());
  }
  void buffer_updated(std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) sum += static_cast<unsigned char>(buffer[i]) * (((received + i) % 13) + 1);
    received += n;
  }
  bool eof_received() override {
    eof = true;
    return false;
  }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

aio::Task<void> buffered_protocol_over_tls() {
  constexpr std::size_t kTotal = 4 * 1024 * 1024 + 123;
  auto sender = std::make_shared<Bulk>();
  sender->total = kTotal;
  auto sink = std::make_shared<BufferedSink>();
  auto copts = tls_client(client_context());
  auto pairing = tls_pair(sender, sink, copts);
  auto [server, t] = co_await pairing;
  co_await until([&] { return sender->t != nullptr; });
  sender->pump();
  for (int i = 0; i < 2000 && sender->sent < kTotal; ++i) co_await aio::sleep(0.01);
  EXPECT_EQ(sender->sent, kTotal);
  sender->t->close();  // close_notify after the last byte
  co_await sink->lost.wait();
  EXPECT_EQ(sink->received, kTotal);
  EXPECT_EQ(sink->sum, expected_sum(kTotal));
  EXPECT_TRUE(sink->eof);
  EXPECT_GE(sink->get_buffer_calls, kTotal / 1000);
  server->close();
  co_await server->wait_closed();
}

TEST(Ssl, BufferedProtocolReceivesEveryByteOfALargeTransfer) { nettest::run(buffered_protocol_over_tls(), 60); }

// ---- cancelling the handshake --------------------------------------------------------

// A listener that never answers: the kernel completes the TCP handshake
// from its backlog, and the TLS handshake waits for a ServerHello forever.
struct SilentListener {
  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  int port = 0;
  SilentListener() {
    aio::bind_socket(fd, aio::inet_address("127.0.0.1", 0));
    EXPECT_EQ(::listen(fd, 16), 0);
    port = aio::getsockname(fd).port;
  }
  ~SilentListener() { ::close(fd); }
};

aio::Task<void> open_tls_connection(int port, aio::ConnectionOptions options) {
  auto connecting = aio::open_connection("127.0.0.1", port, std::move(options));
  (void)co_await connecting;
  ADD_FAILURE() << "the handshake cannot complete";
}

aio::Task<void> create_tls_connection(int port, aio::ConnectionOptions options) {
  aio::ProtocolFactory cf = [] { return std::make_shared<nettest::RecordingProtocol>(); };
  auto connecting = aio::create_connection(cf, "127.0.0.1", port, std::move(options));
  (void)co_await connecting;
  ADD_FAILURE() << "the handshake cannot complete";
}

// Cancelling the task awaiting create_connection(ssl=) or open_connection
// during the handshake: CancelledError comes out, the socket is closed (no
// descriptor left behind) and nothing is reported to the exception handler.
aio::Task<void> cancel_during_handshake(bool streams) {
  auto& loop = aio::get_running_loop();
  std::vector<std::string> reported;
  loop.set_exception_handler(
      [&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reported.push_back(ctx.message); });
  SilentListener silent;
  const int fds_before = nettest::open_fd_count();
  auto copts = tls_client(client_context(), std::string("localhost"));
  aio::Task<void> connecting =
      aio::create_task(streams ? open_tls_connection(silent.port, copts) : create_tls_connection(silent.port, copts));
  co_await aio::sleep(0.1);
  EXPECT_FALSE(connecting.done());
  EXPECT_GT(nettest::open_fd_count(), fds_before);  // the socket, mid-handshake
  connecting.cancel();
  bool cancelled = false;
  try {
    co_await connecting;
  } catch (const aio::CancelledError&) {
    cancelled = true;
  }
  EXPECT_TRUE(cancelled);
  co_await until([&] { return nettest::open_fd_count() == fds_before; });
  EXPECT_EQ(nettest::open_fd_count(), fds_before);
  co_await aio::sleep(0.05);  // anything scheduled by the close has run
  EXPECT_TRUE(reported.empty()) << reported.front();
  loop.set_exception_handler(nullptr);
}

TEST(Ssl, CancellingCreateConnectionDuringTheHandshakeClosesTheSocket) { nettest::run(cancel_during_handshake(false)); }
TEST(Ssl, CancellingOpenConnectionDuringTheHandshakeClosesTheSocket) { nettest::run(cancel_during_handshake(true)); }

// ---- connect_accepted_socket over TLS (asyncio's ssl= there) ---------------------------

// A socket accepted with sock_accept becomes the server side of a TLS
// connection: the call returns once the handshake is done.
aio::Task<void> accepted_socket_over_tls() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  ::listen(lsock, 4);
  auto accepting = aio::create_task(aio::sock_accept(lsock));
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto copts = tls_client(client_context(), std::string("localhost"));
  // The client's handshake needs the server side: a task of its own.
  auto connecting = aio::create_task(aio::create_connection(cf, "127.0.0.1", aio::getsockname(lsock).port, copts));
  auto [fd, peer] = co_await accepting;
  auto served = std::make_shared<UpperEcho>();
  aio::ProtocolFactory sf = [served] { return served; };
  aio::AcceptedSocketOptions options;
  options.ssl = server_context();
  options.ssl_handshake_timeout = 5;
  auto adopting = aio::connect_accepted_socket(sf, fd, options);
  auto [st, sp] = co_await adopting;
  EXPECT_EQ(sp, served);
  EXPECT_EQ(served->events, std::vector<std::string>{"made"});  // after the handshake, before the return
  auto object = std::any_cast<aio::SSLObject>(st->get_extra_info("ssl_object"));
  EXPECT_TRUE(object.server_side());
  EXPECT_EQ(object.version(), "TLSv1.3");
  auto [t, p] = co_await connecting;
  client->want = 5;
  t->write("hello");
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "HELLO");
  EXPECT_EQ(served->received, "hello");
  t->close();
  co_await client->lost.wait();
  co_await served->lost.wait();
  aio::close_socket(lsock);
}

TEST(Ssl, ConnectAcceptedSocketDoesTheServerHandshake) { nettest::run(accepted_socket_over_tls()); }

// A peer that speaks plain text: the handshake fails, connect_accepted_socket
// raises SSLError and the socket is closed. Wrong options are ValueError,
// and the descriptor then stays the caller's, open.
aio::Task<void> accepted_socket_tls_failures() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  ::listen(lsock, 4);
  auto accepting = aio::create_task(aio::sock_accept(lsock));
  auto plain = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [plain] { return plain; };
  auto [t, p] = co_await aio::create_connection(cf, "127.0.0.1", aio::getsockname(lsock).port);
  auto [fd, peer] = co_await accepting;

  aio::ProtocolFactory sf = [] { return std::make_shared<nettest::RecordingProtocol>(); };
  aio::AcceptedSocketOptions timeout_only;
  timeout_only.ssl_handshake_timeout = 5;
  auto a1 = aio::connect_accepted_socket(sf, fd, timeout_only);
  EXPECT_THROW(co_await a1, aio::ValueError);
  aio::AcceptedSocketOptions client_side;
  client_side.ssl = client_context();
  auto a2 = aio::connect_accepted_socket(sf, fd, client_side);
  EXPECT_THROW(co_await a2, aio::ValueError);
  EXPECT_EQ(::fcntl(fd, F_GETFD), FD_CLOEXEC);  // still open

  aio::AcceptedSocketOptions options;
  options.ssl = server_context();
  t->write("GET / HTTP/1.0\r\n\r\n");
  auto adopting = aio::connect_accepted_socket(sf, fd, options);
  EXPECT_THROW(co_await adopting, aio::SSLError);
  co_await plain->lost.wait();  // the server side closed the connection
  aio::close_socket(lsock);
}

TEST(Ssl, ConnectAcceptedSocketHandshakeFailureAndBadOptions) { nettest::run(accepted_socket_tls_failures()); }

}  // namespace
