// Python's ssl.SSLContext and ssl.SSLObject on OpenSSL 3, and the
// translation of OpenSSL's errors into the ssl module's exceptions.
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "aio/net/errors.hpp"
#include "aio/net/ssl.hpp"
#include "ssl_protocol.hpp"

namespace aio {

namespace net::detail {
namespace {

// Python's mnemonic for an OpenSSL library ("[SSL: ...]", "[PEM: ...]").
std::string library_name(unsigned long e) {
  switch (ERR_GET_LIB(e)) {
    case ERR_LIB_SSL:
      return "SSL";
    case ERR_LIB_PEM:
      return "PEM";
    case ERR_LIB_X509:
      return "X509";
    case ERR_LIB_X509V3:
      return "X509V3";
    case ERR_LIB_EVP:
      return "EVP";
    case ERR_LIB_ASN1:
      return "ASN1";
    case ERR_LIB_SYS:
      return "SYS";
    default: {
      const char* s = ERR_lib_error_string(e);
      return s ? s : "";
    }
  }
}

// Python's reason mnemonic is OpenSSL's macro name: from the reason text,
// "wrong version number" -> "WRONG_VERSION_NUMBER".
std::string reason_mnemonic(const std::string& text) {
  std::string out;
  for (char c : text) out += c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::exception_ptr from_error_queue(int ssl_error, const std::string& fallback) {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (!e) return std::make_exception_ptr(SSLError(ssl_error, fallback));
  const char* r = ERR_reason_error_string(e);
  std::string reason_text = r ? r : "unknown error (" + std::to_string(ERR_GET_REASON(e)) + ")";
  std::string lib = library_name(e);
  std::string reason = reason_mnemonic(reason_text);
  return std::make_exception_ptr(SSLError(ssl_error, "[" + lib + ": " + reason + "] " + reason_text, lib, reason));
}

}  // namespace

std::exception_ptr make_ssl_error(int ssl_error, ssl_st* ssl, const std::string& hostname) {
  unsigned long e = ERR_peek_last_error();
  if (ssl_error == SSL_ERROR_ZERO_RETURN) {
    ERR_clear_error();
    return std::make_exception_ptr(SSLZeroReturnError(ssl_error, "TLS/SSL connection has been closed (EOF)"));
  }
  if (ssl_error == SSL_ERROR_SYSCALL && !e) {
    // With memory BIOs there is no system call: this is an end of input
    // OpenSSL did not expect.
    return std::make_exception_ptr(SSLEOFError(ssl_error, "EOF occurred in violation of protocol"));
  }
  if (e && ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error();
    return std::make_exception_ptr(
        SSLEOFError(ssl_error, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol", "SSL",
                    "UNEXPECTED_EOF_WHILE_READING"));
  }
  if (e && ssl && ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    ERR_clear_error();
    long code = SSL_get_verify_result(ssl);
    std::string why;
    // Python's wording for a name that does not match (_ssl.c, fill_and_set_sslerror).
    if (code == X509_V_ERR_HOSTNAME_MISMATCH)
      why = "Hostname mismatch, certificate is not valid for '" + hostname + "'.";
    else if (code == X509_V_ERR_IP_ADDRESS_MISMATCH)
      why = "IP address mismatch, certificate is not valid for '" + hostname + "'.";
    else
      why = X509_verify_cert_error_string(code);
    return std::make_exception_ptr(SSLCertVerificationError(
        ssl_error, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: " + why, code, why));
  }
  return from_error_queue(ssl_error, "[SSL] unknown error (SSL_get_error " + std::to_string(ssl_error) + ")");
}

void throw_ssl_error(const std::string& fallback) { std::rethrow_exception(from_error_queue(SSL_ERROR_SSL, fallback)); }

}  // namespace net::detail

using net::detail::throw_ssl_error;

// ---- SSLContext -------------------------------------------------------------------

struct SSLContext::State {
  SSL_CTX* ctx = nullptr;
  bool server = false;
  bool check_hostname = false;
  std::string alpn_wire;  // the ALPN list in its wire form (length-prefixed names)
  ~State() { SSL_CTX_free(ctx); }
};

namespace {
int to_openssl_version(TLSVersion v) {
  if (v == TLSVersion::MINIMUM_SUPPORTED || v == TLSVersion::MAXIMUM_SUPPORTED) return 0;
  return static_cast<int>(v);
}

// A server picks the first of its own protocols the client offers (Python
// does the same through SSL_select_next_proto).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned inlen,
                void* arg) {
  auto* st = static_cast<SSLContext::State*>(arg);
  if (st->alpn_wire.empty()) return SSL_TLSEXT_ERR_NOACK;
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, reinterpret_cast<const unsigned char*>(st->alpn_wire.data()),
                            static_cast<unsigned>(st->alpn_wire.size()), in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}
}  // namespace

SSLContext::SSLContext(SSLMethod method) : state_(std::make_shared<State>()) {
  bool server = method == SSLMethod::PROTOCOL_TLS_SERVER;
  state_->ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (!state_->ctx) throw_ssl_error("[SSL] failed to allocate an SSL context");
  state_->server = server;
  // Python's defaults for every context (_ssl.c, _ssl__SSLContext_impl).
  SSL_CTX_set_options(state_->ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_DH_USE |
                                       SSL_OP_SINGLE_ECDH_USE);
  // ACCEPT_MOVING_WRITE_BUFFER: a write OpenSSL could not finish is retried
  // from our backlog, whose address may have changed. RELEASE_BUFFERS: an
  // idle connection keeps no record buffers.
  SSL_CTX_set_mode(state_->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS | SSL_MODE_AUTO_RETRY);
  SSL_CTX_set_min_proto_version(state_->ctx, TLS1_2_VERSION);
  if (!server) {
    state_->check_hostname = true;
    SSL_CTX_set_verify(state_->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);  // CERT_REQUIRED
  } else {
    SSL_CTX_set_verify(state_->ctx, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_alpn_select_cb(state_->ctx, select_alpn, state_.get());
  }
}

SSLContext SSLContext::create_default_context(Purpose purpose) {
  SSLContext ctx(purpose == Purpose::SERVER_AUTH ? SSLMethod::PROTOCOL_TLS_CLIENT : SSLMethod::PROTOCOL_TLS_SERVER);
  if (purpose == Purpose::SERVER_AUTH) {
    ctx.set_verify_mode(VerifyMode::CERT_REQUIRED);
    ctx.set_check_hostname(true);
  }
  ctx.load_default_certs();
  return ctx;
}

namespace {
void check_file(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) net::detail::throw_os_error(errno, "'" + path + "'");
}

struct Password {
  const std::optional<std::string>* value;
  bool asked = false;
};
int password_cb(char* buf, int size, int, void* userdata) {
  auto* p = static_cast<Password*>(userdata);
  p->asked = true;
  if (!*p->value) return -1;  // encrypted, and no password: OpenSSL reports the failure
  const std::string& pw = **p->value;
  if (pw.size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buf, pw.data(), pw.size());
  return static_cast<int>(pw.size());
}
}  // namespace

void SSLContext::load_cert_chain(const std::string& certfile, const std::string& keyfile,
                                 const std::optional<std::string>& password) {
  const std::string& key = keyfile.empty() ? certfile : keyfile;
  check_file(certfile);
  check_file(key);
  SSL_CTX* ctx = state_->ctx;
  Password pw{&password};
  SSL_CTX_set_default_passwd_cb(ctx, password_cb);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, &pw);
  struct Reset {
    SSL_CTX* ctx;
    ~Reset() {
      SSL_CTX_set_default_passwd_cb(ctx, nullptr);
      SSL_CTX_set_default_passwd_cb_userdata(ctx, nullptr);
    }
  } reset{ctx};
  if (SSL_CTX_use_certificate_chain_file(ctx, certfile.c_str()) != 1) throw_ssl_error("[SSL] PEM lib");
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (pw.asked && !password) {
      ERR_clear_error();
      throw SSLError(SSL_ERROR_SSL, "[SSL] the private key is encrypted: pass its password to load_cert_chain");
    }
    throw_ssl_error("[SSL] PEM lib");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) throw_ssl_error("[SSL] the key does not match the certificate");
}

void SSLContext::load_verify_locations(const std::string& cafile, const std::string& capath,
                                       const std::string& cadata) {
  if (cafile.empty() && capath.empty() && cadata.empty())
    throw TypeError("cafile, capath and cadata cannot be all omitted");
  if (!cafile.empty()) check_file(cafile);
  if (!cafile.empty() || !capath.empty()) {
    if (SSL_CTX_load_verify_locations(state_->ctx, cafile.empty() ? nullptr : cafile.c_str(),
                                      capath.empty() ? nullptr : capath.c_str()) != 1)
      throw_ssl_error("[X509] could not load the verify locations");
  }
  if (!cadata.empty()) {
    BIO* bio = BIO_new_mem_buf(cadata.data(), static_cast<int>(cadata.size()));
    if (!bio) throw_ssl_error("[SSL] out of memory");
    X509_STORE* store = SSL_CTX_get_cert_store(state_->ctx);
    int loaded = 0;
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      int ok = X509_STORE_add_cert(store, cert);
      X509_free(cert);
      if (!ok) {
        unsigned long e = ERR_peek_last_error();
        // Python ignores a certificate that is in the store already.
        if (ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_CERT_ALREADY_IN_HASH_TABLE) {
          ERR_clear_error();
        } else {
          BIO_free(bio);
          throw_ssl_error("[X509] could not add the certificate");
        }
      }
      ++loaded;
    }
    BIO_free(bio);
    // The loop ends on "no start line" once the text is used up: an error
    // only if nothing was read at all.
    ERR_clear_error();
    if (loaded == 0)
      throw SSLError(SSL_ERROR_SSL, "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found", "X509",
                     "NO_CERTIFICATE_OR_CRL_FOUND");
  }
}

void SSLContext::load_default_certs() {
  if (SSL_CTX_set_default_verify_paths(state_->ctx) != 1) throw_ssl_error("[X509] could not load the system CAs");
}

bool SSLContext::check_hostname() const noexcept { return state_->check_hostname; }

void SSLContext::set_check_hostname(bool on) {
  if (on && verify_mode() == VerifyMode::CERT_NONE) set_verify_mode(VerifyMode::CERT_REQUIRED);
  state_->check_hostname = on;
}

VerifyMode SSLContext::verify_mode() const noexcept {
  int m = SSL_CTX_get_verify_mode(state_->ctx);
  if (!(m & SSL_VERIFY_PEER)) return VerifyMode::CERT_NONE;
  // A client always fails the handshake on a certificate that does not
  // verify; FAIL_IF_NO_PEER_CERT tells the two apart on servers.
  return (m & SSL_VERIFY_FAIL_IF_NO_PEER_CERT) ? VerifyMode::CERT_REQUIRED : VerifyMode::CERT_OPTIONAL;
}

void SSLContext::set_verify_mode(VerifyMode mode) {
  if (mode == VerifyMode::CERT_NONE && state_->check_hostname)
    throw ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
  int m = SSL_VERIFY_NONE;
  if (mode == VerifyMode::CERT_OPTIONAL) m = SSL_VERIFY_PEER;
  if (mode == VerifyMode::CERT_REQUIRED) m = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(state_->ctx, m, nullptr);
}

TLSVersion SSLContext::minimum_version() const noexcept {
  int v = static_cast<int>(SSL_CTX_get_min_proto_version(state_->ctx));
  return v == 0 ? TLSVersion::MINIMUM_SUPPORTED : static_cast<TLSVersion>(v);
}

void SSLContext::set_minimum_version(TLSVersion version) {
  if (SSL_CTX_set_min_proto_version(state_->ctx, to_openssl_version(version)) != 1)
    throw ValueError("Unsupported TLS/SSL version 0x" + std::to_string(static_cast<int>(version)));
}

TLSVersion SSLContext::maximum_version() const noexcept {
  int v = static_cast<int>(SSL_CTX_get_max_proto_version(state_->ctx));
  return v == 0 ? TLSVersion::MAXIMUM_SUPPORTED : static_cast<TLSVersion>(v);
}

void SSLContext::set_maximum_version(TLSVersion version) {
  if (SSL_CTX_set_max_proto_version(state_->ctx, to_openssl_version(version)) != 1)
    throw ValueError("Unsupported TLS/SSL version 0x" + std::to_string(static_cast<int>(version)));
}

void SSLContext::set_alpn_protocols(const std::vector<std::string>& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    if (p.empty() || p.size() > 255)
      throw ValueError("ALPN protocols must be 1 to 255 in length: got " + std::to_string(p.size()) + " bytes");
    wire += static_cast<char>(p.size());
    wire += p;
  }
  state_->alpn_wire = wire;
  // SSL_CTX_set_alpn_protos returns 0 on success (unlike the rest of the API).
  if (!state_->server && SSL_CTX_set_alpn_protos(state_->ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                                                 static_cast<unsigned>(wire.size())) != 0)
    throw_ssl_error("[SSL] could not set the ALPN protocols");
}

ssl_ctx_st* SSLContext::native_handle() const noexcept { return state_->ctx; }
bool SSLContext::server_side() const noexcept { return state_->server; }

// ---- SSLObject --------------------------------------------------------------------

std::string SSLObject::version() const {
  if (!ssl_ || !SSL_is_init_finished(ssl_)) return {};
  return SSL_get_version(ssl_);
}

std::optional<CipherInfo> SSLObject::cipher() const {
  const SSL_CIPHER* c = ssl_ ? SSL_get_current_cipher(ssl_) : nullptr;
  if (!c) return std::nullopt;
  CipherInfo info;
  info.name = SSL_CIPHER_get_name(c);
  info.protocol = SSL_CIPHER_get_version(c);
  info.secret_bits = SSL_CIPHER_get_bits(c, nullptr);
  return info;
}

std::optional<std::string> SSLObject::selected_alpn_protocol() const {
  const unsigned char* data = nullptr;
  unsigned len = 0;
  if (ssl_) SSL_get0_alpn_selected(ssl_, &data, &len);
  if (!data || !len) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(data), len);
}

namespace {
std::vector<std::pair<std::string, std::string>> name_entries(X509_NAME* name) {
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; name && i < X509_NAME_entry_count(name); ++i) {
    X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (n < 0) continue;
    out.emplace_back(nid == NID_undef ? "?" : OBJ_nid2ln(nid), std::string(reinterpret_cast<char*>(utf8), n));
    OPENSSL_free(utf8);
  }
  return out;
}

std::string asn1_time(const ASN1_TIME* t) {
  BIO* b = BIO_new(BIO_s_mem());
  if (!b) return {};
  ASN1_TIME_print(b, t);
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<std::size_t>(n > 0 ? n : 0));
  BIO_free(b);
  return s;
}
}  // namespace

std::optional<PeerCertificate> SSLObject::getpeercert() const {
  if (!ssl_) return std::nullopt;
  X509* cert = SSL_get1_peer_certificate(ssl_);
  if (!cert) return std::nullopt;
  PeerCertificate pc;
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  if (n > 0) pc.der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  // Python decodes the certificate only when it was verified.
  pc.verified = SSL_get_verify_result(ssl_) == X509_V_OK && (SSL_get_verify_mode(ssl_) & SSL_VERIFY_PEER);
  if (pc.verified) {
    pc.subject = name_entries(X509_get_subject_name(cert));
    pc.issuer = name_entries(X509_get_issuer_name(cert));
    pc.version = static_cast<int>(X509_get_version(cert)) + 1;
    if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
      if (char* hex = BN_bn2hex(bn)) {
        pc.serialNumber = hex;
        OPENSSL_free(hex);
      }
      BN_free(bn);
    }
    pc.notBefore = asn1_time(X509_get0_notBefore(cert));
    pc.notAfter = asn1_time(X509_get0_notAfter(cert));
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
      if (g->type == GEN_DNS) {
        const ASN1_IA5STRING* s = g->d.dNSName;
        pc.subjectAltName.emplace_back(
            "DNS", std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s)));
      } else if (g->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* s = g->d.iPAddress;
        char buf[64] = {};
        int af = ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6;
        if (::inet_ntop(af, ASN1_STRING_get0_data(s), buf, sizeof buf))
          pc.subjectAltName.emplace_back("IP Address", buf);
      }
    }
    GENERAL_NAMES_free(names);
  }
  X509_free(cert);
  return pc;
}

}  // namespace aio
