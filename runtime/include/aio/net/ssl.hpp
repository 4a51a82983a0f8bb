#pragma once
/// TLS for aio::net (native builds, on OpenSSL 3): Python's ssl.SSLContext,
/// and the `ssl=` of asyncio's create_connection / create_server /
/// open_connection / start_server (see ConnectionOptions and ServerOptions).
///
///     aio::ConnectionOptions options;
///     options.ssl = aio::SSLContext::create_default_context();  // system CAs, hostname checked
///     auto [reader, writer] = co_await aio::open_connection("example.org", 443, options);
///
/// As in asyncio, TLS is a protocol layered between the socket transport and
/// the user's protocol (runtime/net/ssl_protocol.hpp): the user gets a
/// Transport whose write() encrypts and whose protocol sees plaintext, and
/// the socket transport never knows. The errors are in aio/net/errors.hpp
/// (SSLError, SSLCertVerificationError, ...).
///
/// This header names no OpenSSL type beyond the two opaque structs, so that
/// including it does not pull in OpenSSL's headers: native_handle() gives the
/// SSL_CTX* for anything this class does not wrap.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aio/task.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX
struct ssl_st;      // OpenSSL's SSL

namespace aio {

class Transport;
class Protocol;

/// ssl.Purpose: what the certificates a default context loads are for.
/// SERVER_AUTH makes a client context (it authenticates servers),
/// CLIENT_AUTH a server context.
enum class Purpose { SERVER_AUTH, CLIENT_AUTH };

/// ssl.VerifyMode.
enum class VerifyMode { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED };

/// ssl.TLSVersion (the values are the protocol numbers, as Python's).
enum class TLSVersion : int {
  MINIMUM_SUPPORTED = -2,
  MAXIMUM_SUPPORTED = -1,
  TLSv1 = 0x0301,
  TLSv1_1 = 0x0302,
  TLSv1_2 = 0x0303,
  TLSv1_3 = 0x0304,
};

/// The protocols of ssl.SSLContext(protocol): PROTOCOL_TLS_CLIENT checks the
/// server's certificate and host name by default, PROTOCOL_TLS_SERVER does
/// not ask for a client certificate.
enum class SSLMethod { PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER };

/// SSLSocket.getpeercert(): the peer's certificate, decoded. As in Python,
/// the fields are filled only when the certificate was verified (with
/// CERT_NONE Python gives an empty dict): `der` (getpeercert(True)) is there
/// in both cases. Names are (attribute, value) pairs with OpenSSL's long
/// attribute names, e.g. ("commonName", "localhost"); subjectAltName entries
/// are ("DNS", name) or ("IP Address", address).
struct PeerCertificate {
  std::vector<std::pair<std::string, std::string>> subject;
  std::vector<std::pair<std::string, std::string>> issuer;
  std::vector<std::pair<std::string, std::string>> subjectAltName;
  int version = 0;
  std::string serialNumber;  // upper-case hex, as Python's
  std::string notBefore;     // "Jan  5 09:34:43 2018 GMT", as Python's
  std::string notAfter;
  std::string der;  // the certificate in DER form
  bool verified = false;
};

/// SSLSocket.cipher(): (name, protocol version, secret bits).
struct CipherInfo {
  std::string name;
  std::string protocol;
  int secret_bits = 0;
};

/// Python's ssl.SSLContext: settings and certificates shared by the TLS
/// connections made with it. A handle: copies share one OpenSSL SSL_CTX
/// (change it before connections use it, as with Python's).
///
/// Errors: FileNotFoundError for a missing file, SSLError (with OpenSSL's
/// reason) for a bad certificate or key, ValueError for inconsistent
/// settings (CERT_NONE with check_hostname on), as Python's ssl module.
class SSLContext {
 public:
  explicit SSLContext(SSLMethod method);

  /// ssl.create_default_context(purpose): TLS 1.2 or later, the system's CA
  /// certificates loaded; for SERVER_AUTH (a client) also CERT_REQUIRED and
  /// check_hostname on.
  static SSLContext create_default_context(Purpose purpose);
  static SSLContext create_default_context() { return create_default_context(Purpose::SERVER_AUTH); }

  /// This side's certificate chain (PEM; the leaf first) and private key
  /// (PEM; in `certfile` when `keyfile` is empty), decrypted with `password`
  /// if it is encrypted.
  void load_cert_chain(const std::string& certfile, const std::string& keyfile = "",
                       const std::optional<std::string>& password = std::nullopt);
  /// CA certificates to verify peers with: a PEM file, a directory hashed by
  /// `openssl rehash`, and/or PEM text. TypeError if all three are empty.
  void load_verify_locations(const std::string& cafile, const std::string& capath = "", const std::string& cadata = "");
  /// The system's CA certificates (OpenSSL's default paths).
  void load_default_certs();

  bool check_hostname() const noexcept;
  /// Turning it on also sets CERT_REQUIRED when the mode was CERT_NONE (as
  /// Python does).
  void set_check_hostname(bool on);
  VerifyMode verify_mode() const noexcept;
  /// ValueError for CERT_NONE while check_hostname is on.
  void set_verify_mode(VerifyMode mode);
  TLSVersion minimum_version() const noexcept;
  void set_minimum_version(TLSVersion version);
  TLSVersion maximum_version() const noexcept;
  void set_maximum_version(TLSVersion version);
  /// The ALPN protocols offered (a client) or accepted (a server), most
  /// preferred first, e.g. {"h2", "http/1.1"}. ValueError for an empty name or
  /// one over 255 bytes.
  void set_alpn_protocols(const std::vector<std::string>& protocols);

  /// The OpenSSL context, for settings not wrapped here.
  ssl_ctx_st* native_handle() const noexcept;
  bool server_side() const noexcept;
  bool operator==(const SSLContext& other) const noexcept { return state_ == other.state_; }

  struct State;  // the SSL_CTX and what OpenSSL does not keep (check_hostname, ALPN)

 private:
  std::shared_ptr<State> state_;
};

/// Python's ssl.SSLObject as asyncio's get_extra_info("ssl_object") gives it:
/// a view of one TLS connection. Valid while its transport is alive.
class SSLObject {
 public:
  explicit SSLObject(ssl_st* ssl, bool server_side, std::string server_hostname)
      : ssl_(ssl), server_side_(server_side), server_hostname_(std::move(server_hostname)) {}
  /// "TLSv1.3", ...; empty before the handshake is done.
  std::string version() const;
  std::optional<CipherInfo> cipher() const;
  /// The protocol ALPN agreed on, if any.
  std::optional<std::string> selected_alpn_protocol() const;
  /// The peer's certificate (see PeerCertificate); none if it sent none.
  std::optional<PeerCertificate> getpeercert() const;
  bool server_side() const noexcept { return server_side_; }
  /// The name the client checked the certificate against and sent as SNI
  /// (empty on a server, or when there was none).
  const std::string& server_hostname() const noexcept { return server_hostname_; }
  ssl_st* native_handle() const noexcept { return ssl_; }

 private:
  ssl_st* ssl_;
  bool server_side_;
  std::string server_hostname_;
};

/// What a TLS layer needs besides the context: asyncio's server_side,
/// server_hostname, ssl_handshake_timeout and ssl_shutdown_timeout.
struct TLSOptions {
  bool server_side = false;
  /// The name to send as SNI and to check the certificate against; empty:
  /// neither (then the context must not check_hostname).
  std::string server_hostname;
  double ssl_handshake_timeout = 60.0;  // asyncio's constants.SSL_HANDSHAKE_TIMEOUT
  double ssl_shutdown_timeout = 30.0;   // asyncio's constants.SSL_SHUTDOWN_TIMEOUT
};

/// asyncio's loop.start_tls: upgrade the connection of `transport` (a TCP
/// or unix socket transport, or a TLS one) to TLS, for protocols that
/// start in plain text (STARTTLS). `protocol` stays connected (no second
/// connection_made) and gets the decrypted data from then on; the returned
/// transport is the one to write to; `transport` must not be used any
/// more. Raises what the handshake failed with, after closing `transport`.
/// TypeError for a transport of another kind (a pipe).
Task<std::shared_ptr<Transport>> start_tls(std::shared_ptr<Transport> transport, std::shared_ptr<Protocol> protocol,
                                           SSLContext sslcontext, TLSOptions options);

}  // namespace aio
