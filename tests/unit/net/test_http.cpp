// The strict HTTP/1.1 request parser of the demo server.
#include <gtest/gtest.h>

#include <string>

#include "aio/net/http.hpp"

namespace {

using aio::http::ParseStatus;

ParseStatus parse(const std::string& s, aio::http::Request& r, std::size_t& consumed) {
  return aio::http::parse_request(s, r, consumed);
}

TEST(HttpParser, CompleteRequest) {
  aio::http::Request r;
  std::size_t consumed = 0;
  std::string req = "POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello";
  ASSERT_EQ(parse(req, r, consumed), ParseStatus::complete);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/a?b=c");
  EXPECT_EQ(r.content_length, 5u);
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.header("host"), "x");
  EXPECT_EQ(consumed, req.size() - 5);
}

TEST(HttpParser, IncompleteUntilTheBlankLine) {
  aio::http::Request r;
  std::size_t consumed = 0;
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t i = 0; i < req.size(); ++i)
    EXPECT_EQ(parse(req.substr(0, i), r, consumed), ParseStatus::incomplete) << i;
  EXPECT_EQ(parse(req, r, consumed), ParseStatus::complete);
}

// A server that keeps a partial head passes what it scanned before: each
// call looks only at the new bytes (and the three before them, where a
// CRLF CRLF may start), yet finds what a parse of the whole buffer finds.
TEST(HttpParser, HeadFedByteByByteIsScannedOnceWithTheSameResult) {
  const std::string head = "GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(300, 'v') + "\r\n\r\n";
  aio::http::Request r;
  std::size_t consumed = 0;
  std::size_t scanned = 0;
  for (std::size_t n = 1; n < head.size(); ++n) {
    ASSERT_EQ(aio::http::parse_request(std::string_view(head).substr(0, n), r, consumed, 8192, scanned),
              ParseStatus::incomplete)
        << n;
    ASSERT_EQ(scanned, n);
  }
  ASSERT_EQ(aio::http::parse_request(head, r, consumed, 8192, scanned), ParseStatus::complete);
  EXPECT_EQ(consumed, head.size());
  EXPECT_EQ(r.target, "/a");
  EXPECT_EQ(r.header("x-long"), std::string(300, 'v'));

  // Garbage in a later piece is still caught, and only there.
  const std::string bad = "GET / HTTP/1.1\r\nA: b\nC: d\r\n";
  scanned = 0;
  std::size_t bare_lf = bad.find("b\n") + 1;
  for (std::size_t n = 1; n <= bare_lf; ++n)
    ASSERT_EQ(aio::http::parse_request(std::string_view(bad).substr(0, n), r, consumed, 8192, scanned),
              ParseStatus::incomplete)
        << n;
  EXPECT_EQ(aio::http::parse_request(std::string_view(bad).substr(0, bare_lf + 1), r, consumed, 8192, scanned),
            ParseStatus::bad_request);

  // A count that cannot be this buffer's (larger than it) is not trusted.
  scanned = 1000;
  EXPECT_EQ(aio::http::parse_request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", r, consumed, 8192, scanned),
            ParseStatus::complete);
}

TEST(HttpParser, ConnectionCloseAndHttp10) {
  aio::http::Request r;
  std::size_t c = 0;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", r, c), ParseStatus::complete);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", r, c), ParseStatus::complete);
  EXPECT_FALSE(r.keep_alive);
}

TEST(HttpParser, RejectsMalformed) {
  aio::http::Request r;
  std::size_t c = 0;
  for (const char* bad : {
           "GET / HTTP/1.1\r\n\r\n",                                        // no Host
           "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",                            // double space
           "GET / HTTP/2.0\r\nHost: x\r\n\r\n",                             // version
           "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",                             // method token
           "GET / HTTP/1.1\r\nHost : x\r\n\r\n",                            // space before colon
           "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",                  // obs-fold
           "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",       // not digits
           "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",                  // two Hosts
           "GET / HTTP/1.1\nHost: x\n\n",                                   // bare LF
           "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",                         // control char in target
       })
    EXPECT_EQ(parse(bad, r, c), ParseStatus::bad_request) << bad;
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", r, c),
            ParseStatus::not_implemented);
}

TEST(HttpParser, OversizedHeadIs431) {
  aio::http::Request r;
  std::size_t c = 0;
  std::string big = "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(9000, 'a');
  EXPECT_EQ(parse(big, r, c), ParseStatus::header_too_large);
  EXPECT_EQ(parse(big + "\r\n\r\n", r, c), ParseStatus::header_too_large);
  EXPECT_NE(aio::http::error_response(431).find("431 Request Header Fields Too Large"), std::string::npos);
}

// The reasons of the answers `aio serve http` gives (408: its header timeout).
TEST(HttpParser, ErrorResponsesSayWhy) {
  for (auto [code, line] : {std::pair<int, const char*>{400, "HTTP/1.1 400 Bad Request\r\n"},
                            {408, "HTTP/1.1 408 Request Timeout\r\n"},
                            {431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
                            {501, "HTTP/1.1 501 Not Implemented\r\n"}}) {
    std::string r = aio::http::error_response(code);
    EXPECT_EQ(r.rfind(line, 0), 0u) << r;
    EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos) << r;
  }
}

}  // namespace

// A keep-alive server parses every request of a connection into one Request
// (parse_request reuses its storage): each parse leaves only its own request.
TEST(HttpParser, ReusedRequestHoldsOnlyTheLatest) {
  aio::http::Request r;
  std::size_t c = 0;
  std::string first = "POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-Long: " + std::string(40, 'v') +
                      "\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(parse(first, r, c), ParseStatus::complete);
  EXPECT_EQ(r.headers.size(), 4u);
  EXPECT_FALSE(r.keep_alive);
  std::string second = "GET / HTTP/1.1\r\nHost: b\r\n\r\n";
  ASSERT_EQ(parse(second, r, c), ParseStatus::complete);
  EXPECT_EQ(c, second.size());
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.content_length, 0u);
  EXPECT_TRUE(r.keep_alive);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.header("host"), "b");
  EXPECT_EQ(r.header("x-long"), "");
  // A bad request in between leaves r unspecified; the next good one is whole again.
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: c\r\nBad Header: x\r\n\r\n", r, c), ParseStatus::bad_request);
  ASSERT_EQ(parse(first, r, c), ParseStatus::complete);
  EXPECT_EQ(r.content_length, 3u);
  EXPECT_EQ(r.header("X-LONG"), std::string(40, 'v'));
}
