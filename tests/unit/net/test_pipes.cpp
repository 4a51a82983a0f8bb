// Pipes as transports: connect_read_pipe and connect_write_pipe, with
// protocols and with the stream classes on top (the standard-input idiom).
// The expected events are what CPython 3.11's unix_events gives for the same
// steps.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "net_test_util.hpp"

namespace {

using Recorder = nettest::RecordingProtocol;

bool fd_is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

struct PipeFds {
  int read = -1, write = -1;
  PipeFds() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read = fds[0];
    write = fds[1];
  }
};

aio::Task<void> read_pipe_events() {
  PipeFds p;
  auto rec = std::make_shared<Recorder>();
  aio::ProtocolFactory factory = [rec] { return rec; };
  auto [t, proto] = co_await aio::connect_read_pipe(factory, p.read);
  EXPECT_EQ(proto, rec);
  EXPECT_EQ(rec->events, std::vector<std::string>{"made"});  // before connect_read_pipe returns
  EXPECT_EQ(std::any_cast<int>(t->get_extra_info("pipe")), p.read);
  EXPECT_TRUE(t->is_reading());
  EXPECT_FALSE(t->can_write_eof());
  EXPECT_THROW(t->write("x"), aio::RuntimeError);
  EXPECT_EQ(::fcntl(p.read, F_GETFL) & O_NONBLOCK, O_NONBLOCK);

  EXPECT_EQ(::write(p.write, "a\nb\n", 4), 4);
  ::close(p.write);
  co_await rec->lost.wait();
  EXPECT_EQ(rec->received, "a\nb\n");
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "eof", "lost"}));
  EXPECT_TRUE(t->is_closing());
  EXPECT_FALSE(fd_is_open(p.read));  // the transport owned it
}

TEST(Pipes, ReadPipeDeliversDataThenEofThenConnectionLost) { nettest::run(read_pipe_events()); }

aio::Task<void> read_pipe_pause() {
  PipeFds p;
  auto rec = std::make_shared<Recorder>();
  aio::ProtocolFactory factory = [rec] { return rec; };
  auto [t, proto] = co_await aio::connect_read_pipe(factory, p.read);
  t->pause_reading();
  EXPECT_FALSE(t->is_reading());
  EXPECT_EQ(::write(p.write, "held", 4), 4);
  co_await aio::sleep(0.02);
  EXPECT_EQ(rec->received, "");
  t->resume_reading();
  co_await aio::sleep(0.02);
  EXPECT_EQ(rec->received, "held");
  t->close();
  co_await rec->lost.wait();
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "lost"}));
  ::close(p.write);
}

TEST(Pipes, ReadPipePauseReadingHoldsDataBack) { nettest::run(read_pipe_pause()); }

aio::Task<void> write_pipe_flow_control() {
  PipeFds p;
  auto rec = std::make_shared<Recorder>();
  aio::ProtocolFactory factory = [rec] { return rec; };
  auto [t, proto] = co_await aio::connect_write_pipe(factory, p.write);
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(16384), std::size_t(65536)));
  EXPECT_TRUE(t->can_write_eof());
  // The pipe takes what fits (64 KiB by default); the rest waits in the
  // transport, over the high mark.
  auto capacity = static_cast<std::size_t>(::fcntl(p.write, F_GETPIPE_SZ));
  t->write(std::string(200000, 'x'));
  EXPECT_EQ(t->get_write_buffer_size(), 200000u - capacity);
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "pause_writing"}));
  // The reader drains it: everything arrives, and writing resumes.
  std::string got;
  char buf[65536];
  while (got.size() < 200000) {
    ssize_t n = ::read(p.read, buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    co_await aio::sleep(0.001);
  }
  EXPECT_EQ(got, std::string(200000, 'x'));
  EXPECT_EQ(t->get_write_buffer_size(), 0u);
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "pause_writing", "resume_writing"}));

  // The reader goes away with data still buffered: BrokenPipeError, as asyncio.
  t->write(std::string(100000, 'y'));
  ::close(p.read);
  co_await rec->lost.wait();
  EXPECT_EQ(rec->events.back(), "lost:BrokenPipeError");
  EXPECT_FALSE(fd_is_open(p.write));
}

TEST(Pipes, WritePipeFlowControlThenBrokenPipe) { nettest::run(write_pipe_flow_control()); }

aio::Task<void> write_pipe_eof() {
  PipeFds p;
  auto rec = std::make_shared<Recorder>();
  aio::ProtocolFactory factory = [rec] { return rec; };
  auto [t, proto] = co_await aio::connect_write_pipe(factory, p.write);
  t->write("abc");
  t->write_eof();
  co_await rec->lost.wait();
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "lost"}));
  char buf[16];
  EXPECT_EQ(::read(p.read, buf, sizeof buf), 3);
  EXPECT_EQ(::read(p.read, buf, sizeof buf), 0);  // the writer's end is closed
  ::close(p.read);
}

TEST(Pipes, WritePipeWriteEofSendsTheBufferThenCloses) { nettest::run(write_pipe_eof()); }

aio::Task<void> reader_gone_idle() {
  PipeFds p;
  auto rec = std::make_shared<Recorder>();
  aio::ProtocolFactory factory = [rec] { return rec; };
  auto [t, proto] = co_await aio::connect_write_pipe(factory, p.write);
  ::close(p.read);  // nothing buffered: a clean loss
  co_await rec->lost.wait();
  EXPECT_EQ(rec->events, (std::vector<std::string>{"made", "lost"}));
}

TEST(Pipes, WritePipeReaderGoneWithNothingBufferedIsACleanLoss) { nettest::run(reader_gone_idle()); }

// The standard-input idiom: a StreamReader over the read end, a StreamWriter
// over the write end of another pipe.
aio::Task<void> streams_over_pipes() {
  PipeFds in, out;
  auto reader = std::make_shared<aio::StreamReader>();
  auto rproto = std::make_shared<aio::StreamReaderProtocol>(reader);
  // Factories named before the co_await: see README.md, "Compilers" (g++ 12.2
  // destroys a lambda temporary of a co_await expression twice).
  aio::ProtocolFactory rfactory = [rproto] { return rproto; };
  co_await aio::connect_read_pipe(rfactory, in.read);
  auto wproto = std::make_shared<aio::StreamReaderProtocol>(nullptr);
  aio::ProtocolFactory wfactory = [wproto] { return wproto; };
  auto [wt, wp] = co_await aio::connect_write_pipe(wfactory, out.write);
  auto writer = std::make_shared<aio::StreamWriter>(wt, wproto, nullptr);

  EXPECT_EQ(::write(in.write, "one\ntwo\n", 8), 8);
  ::close(in.write);
  std::vector<std::string> lines;
  for (std::string line; !(line = co_await reader->readline()).empty();) {
    lines.push_back(line);
    writer->write("echo " + line);
    co_await writer->drain();
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"one\n", "two\n"}));
  EXPECT_TRUE(reader->at_eof());
  writer->close();
  co_await writer->wait_closed();
  std::string got;
  char buf[64];
  for (ssize_t n; (n = ::read(out.read, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(got, "echo one\necho two\n");
  ::close(out.read);
}

TEST(Pipes, StreamReaderAndWriterOverPipes) { nettest::run(streams_over_pipes()); }

// What cannot be a pipe transport is refused at the call, and the
// descriptor stays the caller's, open.
aio::Task<void> refused() {
  aio::ProtocolFactory factory = [] { return std::make_shared<Recorder>(); };
  char path[] = "/tmp/aio-pipes-XXXXXX";
  int file = ::mkstemp(path);
  ::unlink(path);
  try {
    co_await aio::connect_read_pipe(factory, file);
    ADD_FAILURE() << "a regular file was accepted";
  } catch (const aio::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Pipe transport is for pipes/sockets only."), std::string::npos) << e.what();
  }
  try {
    co_await aio::connect_write_pipe(factory, file);
    ADD_FAILURE() << "a regular file was accepted";
  } catch (const aio::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("only for pipes, sockets and character devices"), std::string::npos);
  }
  EXPECT_TRUE(fd_is_open(file));
  ::close(file);

  // epoll refuses /dev/null (EPERM): asyncio logs that from a callback and
  // returns a transport that never reads; aio says so at the call.
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_THROW(co_await aio::connect_read_pipe(factory, devnull), aio::PermissionError);
  EXPECT_TRUE(fd_is_open(devnull));
  ::close(devnull);

  try {
    co_await aio::connect_read_pipe(factory, devnull);  // closed now
    ADD_FAILURE() << "a closed descriptor was accepted";
  } catch (const aio::OSError& e) {
    EXPECT_EQ(e.errno_value(), EBADF);
  }

  // A descriptor a transport already owns.
  PipeFds p;
  auto [t, proto] = co_await aio::connect_read_pipe(factory, p.read);
  EXPECT_THROW(co_await aio::connect_read_pipe(factory, p.read), aio::RuntimeError);
  EXPECT_TRUE(fd_is_open(p.read));
  t->close();
  ::close(p.write);

  // A protocol factory that returns nothing.
  PipeFds q;
  aio::ProtocolFactory null_factory = [] { return std::shared_ptr<aio::Protocol>(); };
  EXPECT_THROW(co_await aio::connect_read_pipe(null_factory, q.read), aio::TypeError);
  EXPECT_TRUE(fd_is_open(q.read));
  ::close(q.read);
  ::close(q.write);
}

TEST(Pipes, WhatCannotBeAPipeIsRefusedAndTheDescriptorKept) {
  int before = nettest::open_fd_count();
  nettest::run(refused());
  EXPECT_EQ(nettest::open_fd_count(), before);
}

}  // namespace
