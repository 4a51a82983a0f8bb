// Subprocesses: exec and shell, pipes, communicate, a pipeline, kill.
#include <gtest/gtest.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "net_test_util.hpp"

namespace {

aio::Task<void> communicate() {
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  o.stdout_ = aio::Stdio::pipe;
  o.stderr_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"tr", "a-z", "A-Z"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  EXPECT_GT(proc->pid, 0);
  std::optional<std::string> input = std::string("hello pipes\n");
  auto [out, err] = co_await proc->communicate(input);
  EXPECT_EQ(out, "HELLO PIPES\n");
  EXPECT_EQ(err, "");
  EXPECT_EQ(proc->returncode, std::optional<int>(0));
}

TEST(Subprocess, Communicate) { nettest::run(communicate()); }

// producer | consumer, joined by the parent: the producer's stdout is read
// line by line and written to the consumer's stdin.
aio::Task<void> pipeline() {
  aio::SubprocessOptions po;
  po.stdout_ = aio::Stdio::pipe;
  std::string script = "for i in 1 2 3 4 5; do echo line$i; done";
  auto producer = co_await aio::create_subprocess_shell(script, po);
  aio::SubprocessOptions co;
  co.stdin_ = aio::Stdio::pipe;
  co.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> wc{"wc", "-l"};
  auto consumer = co_await aio::create_subprocess_exec(wc, co);
  for (;;) {
    std::string line = co_await producer->stdout->readline();
    if (line.empty()) break;
    consumer->stdin->write(line);
    co_await consumer->stdin->drain();
  }
  consumer->stdin->close();
  std::string count = co_await consumer->stdout->read();
  EXPECT_EQ(count.substr(count.find_first_not_of(' ')), "5\n");
  EXPECT_EQ(co_await producer->wait(), 0);
  EXPECT_EQ(co_await consumer->wait(), 0);
}

TEST(Subprocess, Pipeline) { nettest::run(pipeline()); }

aio::Task<void> exit_codes() {
  std::string cmd = "exit 3";
  auto p = co_await aio::create_subprocess_shell(cmd);
  EXPECT_EQ(co_await p->wait(), 3);
  std::vector<std::string> sleep_argv{"sleep", "30"};
  auto sleeper = co_await aio::create_subprocess_exec(sleep_argv);
  sleeper->kill();
  EXPECT_EQ(co_await sleeper->wait(), -SIGKILL);
  EXPECT_THROW(sleeper->kill(), aio::ProcessLookupError);
  try {
    std::vector<std::string> missing{"/no/such/program"};
    co_await aio::create_subprocess_exec(missing);
    ADD_FAILURE() << "expected FileNotFoundError";
  } catch (const aio::FileNotFoundError&) {
  }
}

TEST(Subprocess, ExitCodesKillAndMissingProgram) { nettest::run(exit_codes()); }

// Our children that have exited and not been waited for (state Z in /proc).
int zombie_children() {
  int n = 0;
  const int me = ::getpid();
  DIR* d = ::opendir("/proc");
  if (!d) return 0;
  while (auto* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::FILE* f = std::fopen((std::string("/proc/") + e->d_name + "/stat").c_str(), "r");
    if (!f) continue;
    char buf[512] = {};
    std::size_t len = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    std::string stat(buf, len);
    auto paren = stat.rfind(')');  // the command name may hold spaces
    char state = 0;
    int ppid = 0;
    if (paren != std::string::npos && std::sscanf(stat.c_str() + paren + 2, "%c %d", &state, &ppid) == 2 &&
        state == 'Z' && ppid == me)
      ++n;
  }
  ::closedir(d);
  return n;
}

// A Process dropped before its child exits: as asyncio's child watcher, the
// loop still reaps the child when it exits (no zombie, no pidfd left open).
aio::Task<void> dropped_processes() {
  int fds = nettest::open_fd_count();
  for (const char* cmd : {"exit 0", "sleep 0.1", "exit 7"}) {
    std::vector<std::string> argv{"sh", "-c", cmd};
    auto proc = co_await aio::create_subprocess_exec(argv);
    EXPECT_GT(proc->pid, 0);
  }  // each Process is gone here, its child still running
  co_await aio::sleep(0.5);
  EXPECT_EQ(zombie_children(), 0);
  EXPECT_EQ(nettest::open_fd_count(), fds);
}

TEST(Subprocess, DroppedProcessIsStillReaped) { nettest::run(dropped_processes()); }

// ... and when the loop ends first, the watcher of such a child goes with it
// (ASan checks that nothing leaks or is freed twice).
aio::Task<void> dropped_then_loop_ends() {
  std::vector<std::string> argv{"sleep", "0.2"};
  auto proc = co_await aio::create_subprocess_exec(argv);
  EXPECT_GT(proc->pid, 0);
}

TEST(Subprocess, DroppedProcessWhenTheLoopEnds) {
  int fds = nettest::open_fd_count();
  nettest::run(dropped_then_loop_ends());
  EXPECT_EQ(nettest::open_fd_count(), fds);
  // asyncio 3.11 still reaps such a child ("Loop ... that handles pid N is
  // closed"): it must not stay a zombie for the rest of the program.
  ::usleep(500 * 1000);
  EXPECT_EQ(zombie_children(), 0);
}

// The same with the Process kept past the end of its loop.
std::shared_ptr<aio::Process> kept;
aio::Task<void> kept_past_the_loop() {
  std::vector<std::string> argv{"sleep", "0.2"};
  kept = co_await aio::create_subprocess_exec(argv);
}

TEST(Subprocess, ProcessKeptPastTheEndOfItsLoop) {
  nettest::run(kept_past_the_loop());
  ::usleep(500 * 1000);
  EXPECT_EQ(zombie_children(), 0);
  EXPECT_FALSE(kept->returncode);  // nothing on a loop to notice the exit
  EXPECT_THROW(kept->kill(), aio::ProcessLookupError);  // reaped: no stray kill(pid)
  kept.reset();
}

}  // namespace

namespace {

// The protocol form: subprocess_exec with a SubprocessProtocol.
struct Collect : aio::SubprocessProtocol {
  std::string out, err;
  std::vector<std::string> events;
  aio::Event lost;
  void pipe_data_received(int fd, std::string_view data) override { (fd == 1 ? out : err) += data; }
  void pipe_connection_lost(int fd, std::exception_ptr) override { events.push_back("pipe " + std::to_string(fd)); }
  void process_exited() override { events.push_back("exited"); }
  void connection_lost(std::exception_ptr) override {
    events.push_back("lost");
    lost.set();
  }
};

aio::Task<void> protocol_form() {
  auto collect = std::make_shared<Collect>();
  aio::SubprocessProtocolFactory factory = [collect] { return collect; };
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  o.stdout_ = aio::Stdio::pipe;
  o.stderr_ = aio::Stdio::pipe;
  std::string script = "read x; echo out:$x; echo err:$x >&2; exit 4";
  auto starting = aio::subprocess_shell(factory, script, o);
  auto [t, p] = co_await starting;
  EXPECT_GT(t->get_pid(), 0);
  t->get_pipe_transport(0)->write("hi\n");
  co_await collect->lost.wait();
  EXPECT_EQ(collect->out, "out:hi\n");
  EXPECT_EQ(collect->err, "err:hi\n");
  EXPECT_EQ(t->get_returncode(), std::optional<int>(4));
  EXPECT_EQ(collect->events.back(), "lost");
  // pipes 0, 1 and 2 (the child's end of stdin closes when it exits), exited, lost.
  EXPECT_EQ(collect->events.size(), 5u);
  for (const char* e : {"pipe 0", "pipe 1", "pipe 2", "exited"})
    EXPECT_NE(std::find(collect->events.begin(), collect->events.end(), e), collect->events.end()) << e;
  t->close();
}

TEST(Subprocess, ProtocolForm) { nettest::run(protocol_form()); }

}  // namespace

namespace {

aio::SubprocessOptions all_piped() {
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  o.stdout_ = aio::Stdio::pipe;
  o.stderr_ = aio::Stdio::pipe;
  return o;
}

// Megabytes on stdout and stderr at once, and megabytes of input: a
// communicate() that read the pipes one after the other (or wrote all the
// input first) would deadlock with the child blocked on a full pipe.
aio::Task<void> communicate_large_outputs() {
  std::string script =
      "head -c 3000000 /dev/zero | tr '\\0' o & head -c 3000000 /dev/zero | tr '\\0' e >&2 & "
      "wc -c; wait";
  auto proc = co_await aio::create_subprocess_shell(script, all_piped());
  std::optional<std::string> input = std::string(3000000, 'i');
  auto [out, err] = co_await proc->communicate(input);
  // The o's, with wc's count of the input somewhere among them.
  auto count = out.find("3000000\n");
  EXPECT_NE(count, std::string::npos);
  if (count != std::string::npos) out.erase(count, 8);
  EXPECT_EQ(out, std::string(3000000, 'o'));
  EXPECT_EQ(err, std::string(3000000, 'e'));
  EXPECT_EQ(proc->returncode, std::optional<int>(0));
}

TEST(Subprocess, CommunicateLargeOutputsOnBothPipes) { nettest::run(communicate_large_outputs()); }

// asyncio's communicate() ignores BrokenPipeError/ConnectionResetError: a
// child that exits without reading its input is no error.
aio::Task<void> child_closes_stdin_early() {
  std::string script = "exec 0<&-; echo done";
  auto proc = co_await aio::create_subprocess_shell(script, all_piped());
  std::optional<std::string> input = std::string(4 * 1024 * 1024, 'x');
  auto [out, err] = co_await proc->communicate(input);
  EXPECT_EQ(out, "done\n");
  EXPECT_EQ(proc->returncode, std::optional<int>(0));
  // Writing to it afterwards: the stream is closed, the write is dropped.
  proc->stdin->write("more");
}

TEST(Subprocess, ChildThatClosesStdinEarly) { nettest::run(child_closes_stdin_early()); }

// Cancelling communicate() (here by wait_for's timeout) cancels its reads,
// as asyncio's gather does: what the child writes afterwards is still there
// for the next reader, and nothing reads the pipes behind its back.
aio::Task<void> communicate_cancelled() {
  std::string script = "sleep 0.3; echo late; echo late-err >&2";
  auto proc = co_await aio::create_subprocess_shell(script, all_piped());
  try {
    co_await aio::wait_for(proc->communicate(), 0.05);
    ADD_FAILURE() << "expected TimeoutError";
  } catch (const aio::TimeoutError&) {
  }
  // stderr first: communicate() was waiting on stdout when it was cancelled,
  // so a read of stderr left running would still be waiting here.
  EXPECT_EQ(co_await proc->stderr->read(), "late-err\n");
  EXPECT_EQ(co_await proc->stdout->read(), "late\n");
  EXPECT_EQ(co_await proc->wait(), 0);
}

TEST(Subprocess, CancelledCommunicateLeavesThePipesToTheCaller) { nettest::run(communicate_cancelled()); }

aio::Task<void> wait_cancelled_then_kill() {
  std::vector<std::string> argv{"sleep", "30"};
  auto proc = co_await aio::create_subprocess_exec(argv);
  try {
    co_await aio::wait_for(proc->wait(), 0.05);
    ADD_FAILURE() << "expected TimeoutError";
  } catch (const aio::TimeoutError&) {
  }
  EXPECT_FALSE(proc->returncode);
  proc->terminate();
  EXPECT_EQ(co_await proc->wait(), -SIGTERM);
  EXPECT_EQ(co_await proc->wait(), -SIGTERM);  // again: at once
  std::string self_kill = "kill -USR1 $$";
  auto p2 = co_await aio::create_subprocess_shell(self_kill);
  EXPECT_EQ(co_await p2->wait(), -SIGUSR1);
}

TEST(Subprocess, CancelledWaitThenTerminateNegativeReturncode) { nettest::run(wait_cancelled_then_kill()); }

aio::Task<void> redirections() {
  std::string script = "echo out; echo err >&2";
  aio::SubprocessOptions merged;
  merged.stdout_ = aio::Stdio::pipe;
  merged.stderr_ = aio::Stdio::stdout_;
  auto p1 = co_await aio::create_subprocess_shell(script, merged);
  auto [out1, err1] = co_await p1->communicate();
  EXPECT_EQ(out1, "out\nerr\n");
  EXPECT_EQ(err1, "");
  EXPECT_EQ(p1->stderr, nullptr);

  aio::SubprocessOptions quiet;
  quiet.stdin_ = aio::Stdio::devnull;
  quiet.stdout_ = aio::Stdio::pipe;
  quiet.stderr_ = aio::Stdio::devnull;
  std::string script2 = "cat; echo out; echo err >&2";
  auto p2 = co_await aio::create_subprocess_shell(script2, quiet);
  auto [out2, err2] = co_await p2->communicate();
  EXPECT_EQ(out2, "out\n");
  EXPECT_EQ(p2->returncode, std::optional<int>(0));
}

TEST(Subprocess, StdoutRedirectionAndDevnull) { nettest::run(redirections()); }

aio::Task<void> missing_things() {
  std::string cmd = "no-such-program-wtnet";
  aio::SubprocessOptions o;
  o.stderr_ = aio::Stdio::devnull;
  auto p = co_await aio::create_subprocess_shell(cmd, o);
  EXPECT_EQ(co_await p->wait(), 127);  // the shell's "not found"
  try {
    std::vector<std::string> argv{"no-such-program-wtnet"};
    co_await aio::create_subprocess_exec(argv);
    ADD_FAILURE() << "expected FileNotFoundError";
  } catch (const aio::FileNotFoundError& e) {
    EXPECT_EQ(e.errno_value(), ENOENT);
  }
  try {
    aio::SubprocessOptions in_missing_dir;
    in_missing_dir.cwd = "/no/such/dir/wtnet";
    std::vector<std::string> argv{"true"};
    co_await aio::create_subprocess_exec(argv, in_missing_dir);
    ADD_FAILURE() << "expected FileNotFoundError";
  } catch (const aio::FileNotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/dir/wtnet"), std::string::npos) << e.what();
  }
  std::string not_executable = "/tmp/wtnet_subprocess_noexec_" + std::to_string(::getpid());
  if (std::FILE* f = std::fopen(not_executable.c_str(), "w")) std::fclose(f);
  ::chmod(not_executable.c_str(), 0644);
  try {
    std::vector<std::string> argv{not_executable};
    co_await aio::create_subprocess_exec(argv);
    ADD_FAILURE() << "expected PermissionError";
  } catch (const aio::PermissionError&) {
  }
  ::unlink(not_executable.c_str());
}

TEST(Subprocess, MissingProgramOrDirectory) { nettest::run(missing_things()); }

}  // namespace

namespace {

// asyncio's subprocesses run with close_fds=True: the child gets 0, 1 and 2
// and nothing else, even descriptors we opened without O_CLOEXEC (a pipe's
// write end left in a child would keep its reader from ever seeing EOF).
aio::Task<void> only_stdio_is_inherited() {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);  // inheritable on purpose
  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"ls", "/proc/self/fd"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  auto [out, err] = co_await proc->communicate();
  EXPECT_EQ(out, "0\n1\n2\n3\n");  // 3: the directory ls is reading
  ::close(fds[0]);
  ::close(fds[1]);

  // close_fds=false keeps them (Python's close_fds=False).
  EXPECT_EQ(::pipe(fds), 0);
  o.close_fds = false;
  auto proc2 = co_await aio::create_subprocess_exec(argv, o);
  auto [out2, err2] = co_await proc2->communicate();
  EXPECT_NE(out2.find("\n" + std::to_string(fds[1]) + "\n"), std::string::npos) << out2;
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(Subprocess, OnlyStdioIsInheritedUnlessCloseFdsIsFalse) { nettest::run(only_stdio_is_inherited()); }

}  // namespace

namespace {

// Writing to the stdin of a child that has exited: no SIGPIPE, and drain()
// raises ConnectionResetError("Connection lost"), as asyncio (checked on 3.11),
// each time.
aio::Task<void> write_to_an_exited_child() {
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"true"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  EXPECT_EQ(co_await proc->wait(), 0);
  for (int i = 0; i < 2; ++i) {
    try {
      proc->stdin->write(std::string(4000000, 'x'));
      co_await proc->stdin->drain();
      ADD_FAILURE() << "expected ConnectionResetError";
    } catch (const aio::ConnectionResetError&) {
    }
  }
}

TEST(Subprocess, WriteToAnExitedChildRaisesOnDrain) { nettest::run(write_to_an_exited_child()); }

}  // namespace

namespace {

// Python's stdout=f / stdin=f: a descriptor of ours, which we keep.
aio::Task<void> stdio_to_a_file() {
  char path[] = "/tmp/aio_subprocess_out_XXXXXX";
  int fd = ::mkostemp(path, O_CLOEXEC);  // close-on-exec here: the child gets a dup2'ed copy all the same
  EXPECT_GE(fd, 0);
  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::fd(fd);
  o.stderr_ = aio::Stdio::stdout_;
  std::string script = "echo to the file; echo and stderr too >&2";
  auto proc = co_await aio::create_subprocess_shell(script, o);
  EXPECT_EQ(proc->stdout, nullptr);
  EXPECT_EQ(co_await proc->wait(), 0);
  // Still ours and open: the child wrote through its own copy.
  EXPECT_GE(::fcntl(fd, F_GETFD), 0);
  std::string got(100, '\0');
  got.resize(std::max<ssize_t>(0, ::pread(fd, got.data(), got.size(), 0)));
  EXPECT_EQ(got, "to the file\nand stderr too\n");

  // And back in as stdin.
  aio::SubprocessOptions in;
  in.stdin_ = aio::Stdio::fd(fd);
  in.stdout_ = aio::Stdio::pipe;
  ::lseek(fd, 0, SEEK_SET);
  std::vector<std::string> tr{"tr", "a-z", "A-Z"};
  auto upper = co_await aio::create_subprocess_exec(tr, in);
  auto [out, err] = co_await upper->communicate();
  EXPECT_EQ(out, "TO THE FILE\nAND STDERR TOO\n");
  ::close(fd);
  ::unlink(path);
}

TEST(Subprocess, StdioToAFileDescriptor) { nettest::run(stdio_to_a_file()); }

// printf | tr: the first child's stdout is the write end of a pipe, the
// second's stdin its read end. The data never passes through us.
aio::Task<void> chained_through_a_pipe() {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  aio::SubprocessOptions first;
  first.stdout_ = aio::Stdio::fd(fds[1]);
  std::vector<std::string> printf_argv{"printf", "chained %s\\n", "children"};
  auto p1 = co_await aio::create_subprocess_exec(printf_argv, first);
  ::close(fds[1]);  // else tr would never see EOF
  aio::SubprocessOptions second;
  second.stdin_ = aio::Stdio::fd(fds[0]);
  second.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> tr{"tr", "a-z", "A-Z"};
  auto p2 = co_await aio::create_subprocess_exec(tr, second);
  ::close(fds[0]);
  auto [out, err] = co_await p2->communicate();
  EXPECT_EQ(out, "CHAINED CHILDREN\n");
  EXPECT_EQ(co_await p1->wait(), 0);
  EXPECT_EQ(p2->returncode, std::optional<int>(0));
}

TEST(Subprocess, TwoChildrenChainedThroughAPipe) { nettest::run(chained_through_a_pipe()); }

// stderr = Stdio::fd(1) is *our* stdout, not the pipe the child's stdout was
// just given: the file actions run in order, and fd 1 is overwritten by then
// unless it is moved out of the way first (CPython #12607).
aio::Task<void> low_descriptors_are_ours() {
  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::pipe;
  o.stderr_ = aio::Stdio::fd(1);
  std::string script = "echo out; echo '(printed on purpose by the stderr = Stdio::fd(1) test)' >&2";
  auto proc = co_await aio::create_subprocess_shell(script, o);
  auto [out, err] = co_await proc->communicate();
  EXPECT_EQ(out, "out\n");
}

TEST(Subprocess, StdioFdBelowThreeIsOurs) { nettest::run(low_descriptors_are_ours()); }

// Python: OSError(EBADF) for a descriptor that is not open (stdout=-5 too),
// ValueError for a negative pass_fds entry; nothing is spawned.
aio::Task<void> bad_descriptors() {
  const int closed = 900;  // well above what the loop may open meanwhile
  EXPECT_LT(::fcntl(closed, F_GETFD), 0);
  std::vector<std::string> argv{"true"};
  for (int bad : {closed, -5}) {
    try {
      aio::SubprocessOptions o;
      o.stdout_ = aio::Stdio::fd(bad);
      co_await aio::create_subprocess_exec(argv, o);
      ADD_FAILURE() << "expected OSError for Stdio::fd(" << bad << ")";
    } catch (const aio::OSError& e) {
      EXPECT_EQ(e.errno_value(), EBADF);
      EXPECT_NE(std::string(e.what()).find("stdout_ = Stdio::fd(" + std::to_string(bad) + ")"), std::string::npos)
          << e.what();
    }
  }
  try {
    aio::SubprocessOptions o;
    o.pass_fds = {closed};
    co_await aio::create_subprocess_exec(argv, o);
    ADD_FAILURE() << "expected OSError for pass_fds";
  } catch (const aio::OSError& e) {
    EXPECT_EQ(e.errno_value(), EBADF);
  }
  try {
    aio::SubprocessOptions o;
    o.pass_fds = {-3};
    co_await aio::create_subprocess_exec(argv, o);
    ADD_FAILURE() << "expected ValueError for pass_fds";
  } catch (const aio::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("fds_to_keep"), std::string::npos) << e.what();
  }
}

TEST(Subprocess, BadDescriptorsRaiseBeforeSpawning) { nettest::run(bad_descriptors()); }

// pass_fds: the child keeps that descriptor under its number, even an
// O_CLOEXEC one, while close_fds still closes the others (here one just
// below it, opened without O_CLOEXEC). With close_fds=false, pass_fds turns
// it back on, as in Python.
aio::Task<void> pass_fds_keeps_one() {
  for (bool close_fds : {true, false}) {
    int other[2], fds[2];
    EXPECT_EQ(::pipe(other), 0);            // inheritable: only close_fds shuts it
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);  // the one passed
    const int w = fds[1], r = other[1];
    EXPECT_LT(r, w);
    aio::SubprocessOptions o;
    o.stdout_ = aio::Stdio::pipe;
    o.close_fds = close_fds;
    o.pass_fds = {w};
    std::string script = "echo through the passed fd >&" + std::to_string(w) + "; if { true >&" + std::to_string(r) +
                         "; } 2>/dev/null; then echo other open; else echo other closed; fi";
    auto proc = co_await aio::create_subprocess_shell(script, o);
    ::close(w);
    auto [out, err] = co_await proc->communicate();
    EXPECT_EQ(out, "other closed\n") << "close_fds " << close_fds;
    std::string got(100, '\0');
    got.resize(std::max<ssize_t>(0, ::read(fds[0], got.data(), got.size())));
    EXPECT_EQ(got, "through the passed fd\n") << "close_fds " << close_fds;
    for (int fd : {fds[0], other[0], other[1]}) ::close(fd);
  }
}

TEST(Subprocess, PassFdsKeepsThoseDescriptors) { nettest::run(pass_fds_keeps_one()); }

// Fields 5 and 6 of /proc/<pid>/stat, read by the child itself: its process
// group and session.
aio::Task<std::pair<long, long>> group_and_session(aio::SubprocessOptions o) {
  o.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"cut", "-d", " ", "-f5,6", "/proc/self/stat"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  auto [out, err] = co_await proc->communicate();
  long pgid = -1, sid = -1;
  EXPECT_EQ(std::sscanf(out.c_str(), "%ld %ld", &pgid, &sid), 2) << out;
  co_return std::make_pair(pgid, sid);
}

aio::Task<void> sessions_and_groups() {
  const long our_pgid = ::getpgrp(), our_sid = ::getsid(0);
  aio::SubprocessOptions defaults;
  auto plain = co_await group_and_session(defaults);
  EXPECT_EQ(plain, std::make_pair(our_pgid, our_sid));

  // start_new_session: the child leads a new session (and a new group).
  aio::SubprocessOptions session;
  session.start_new_session = true;
  auto in_session = co_await group_and_session(session);
  EXPECT_NE(in_session.second, our_sid);
  EXPECT_EQ(in_session.first, in_session.second);

  // process_group=0: a group of its own, in our session.
  aio::SubprocessOptions group;
  group.process_group = 0;
  auto in_group = co_await group_and_session(group);
  EXPECT_NE(in_group.first, our_pgid);
  EXPECT_EQ(in_group.second, our_sid);

  // process_group=<a leader's pid>: that group; killpg reaches both.
  std::vector<std::string> sleep{"sleep", "30"};
  auto leader = co_await aio::create_subprocess_exec(sleep, group);
  aio::SubprocessOptions join;
  join.process_group = leader->pid;
  auto joined = co_await group_and_session(join);
  EXPECT_EQ(joined.first, leader->pid);
  auto member = co_await aio::create_subprocess_exec(sleep, join);
  if (::killpg(leader->pid, SIGTERM) != 0) {
    ADD_FAILURE() << "no process group " << leader->pid;
    leader->terminate();
    member->terminate();
  }
  EXPECT_EQ(co_await leader->wait(), -SIGTERM);
  EXPECT_EQ(co_await member->wait(), -SIGTERM);

  // A negative group is no group (Python's None is -1 inside).
  aio::SubprocessOptions negative;
  negative.process_group = -1;
  EXPECT_EQ((co_await group_and_session(negative)).first, our_pgid);

  // Both: setsid() makes it a session leader, which cannot then change
  // groups: PermissionError, as in Python.
  try {
    aio::SubprocessOptions both;
    both.start_new_session = true;
    both.process_group = 0;
    co_await group_and_session(both);
    ADD_FAILURE() << "expected PermissionError";
  } catch (const aio::PermissionError& e) {
    EXPECT_NE(std::string(e.what()).find("setpgid"), std::string::npos) << e.what();
  }
}

TEST(Subprocess, StartNewSessionAndProcessGroup) { nettest::run(sessions_and_groups()); }

// executable: the program run; argv[0] is only the child's name. Under the
// shell forms it replaces /bin/sh.
aio::Task<void> executable_option() {
  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::pipe;
  o.executable = "sh";  // on PATH, as argv[0] would be
  std::vector<std::string> argv{"no-such-program-named-so", "-c", "echo $0"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  auto [out, err] = co_await proc->communicate();
  EXPECT_EQ(out, "no-such-program-named-so\n");

  o.executable = "/bin/bash";  // /bin/sh is dash here, which has no BASH_VERSION
  std::string script = "echo $0 ${BASH_VERSION:+bash}";
  auto shell = co_await aio::create_subprocess_shell(script, o);
  auto [out2, err2] = co_await shell->communicate();
  EXPECT_EQ(out2, "/bin/bash bash\n");  // what Python prints too

  try {
    o.executable = "/no/such/executable-wtnet";
    std::vector<std::string> argv2{"true"};
    co_await aio::create_subprocess_exec(argv2, o);
    ADD_FAILURE() << "expected FileNotFoundError";
  } catch (const aio::FileNotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/executable-wtnet"), std::string::npos) << e.what();
  }
}

TEST(Subprocess, ExecutableReplacesTheProgram) { nettest::run(executable_option()); }

// A program without a slash is looked up on the PATH of the environment the
// child gets (Python's os.get_exec_path(env)), not on ours.
aio::Task<void> path_of_the_child_env() {
  char tmpl[] = "/tmp/aio-path-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string probe = dir + "/aio-path-probe";
  {
    FILE* f = std::fopen(probe.c_str(), "w");
    std::fputs("#!/bin/sh\necho found on the PATH of env\n", f);
    std::fclose(f);
  }
  ::chmod(probe.c_str(), 0755);
  std::string locked = dir + "/aio-path-locked";
  std::fclose(std::fopen(locked.c_str(), "w"));  // found, but not executable

  aio::SubprocessOptions o;
  o.stdout_ = aio::Stdio::pipe;
  o.env = std::vector<std::string>{"PATH=/no/such/dir:" + dir};
  std::vector<std::string> argv{"aio-path-probe"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  auto [out, err] = co_await proc->communicate();
  EXPECT_EQ(out, "found on the PATH of env\n");

  // A relative PATH entry starts from the child's working directory.
  o.env = std::vector<std::string>{"PATH=."};
  o.cwd = dir;
  auto relative = co_await aio::create_subprocess_exec(argv, o);
  auto [out2, err2] = co_await relative->communicate();
  EXPECT_EQ(out2, "found on the PATH of env\n");
  o.cwd.clear();

  // cat is on our PATH, not on the child's.
  o.env = std::vector<std::string>{"PATH=" + dir};
  try {
    std::vector<std::string> cat{"cat"};
    co_await aio::create_subprocess_exec(cat, o);
    ADD_FAILURE() << "expected FileNotFoundError";
  } catch (const aio::FileNotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("SubprocessOptions::env"), std::string::npos) << e.what();
  }
  try {
    std::vector<std::string> argv3{"aio-path-locked"};
    co_await aio::create_subprocess_exec(argv3, o);
    ADD_FAILURE() << "expected PermissionError";
  } catch (const aio::PermissionError&) {
  }
  // No PATH in env: os.defpath (/bin:/usr/bin), where sh is.
  o.env = std::vector<std::string>{"HOME=/"};
  std::vector<std::string> sh{"sh", "-c", "echo default path"};
  auto fallback = co_await aio::create_subprocess_exec(sh, o);
  auto [out3, err3] = co_await fallback->communicate();
  EXPECT_EQ(out3, "default path\n");
  std::remove(probe.c_str());
  std::remove(locked.c_str());
  ::rmdir(dir.c_str());
}

TEST(Subprocess, LooksTheProgramUpOnTheChildsPath) { nettest::run(path_of_the_child_env()); }

// asyncio's BaseTransport.get_protocol / set_protocol on the subprocess
// transport: events go to the new protocol, and the transport lets go of it
// after connection_lost.
aio::Task<void> swap_protocols() {
  auto first = std::make_shared<Collect>();
  auto second = std::make_shared<Collect>();
  aio::SubprocessProtocolFactory factory = [first] { return first; };
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  o.stdout_ = aio::Stdio::pipe;
  std::string script = "read x; echo got:$x";
  auto starting = aio::subprocess_shell(factory, script, o);
  auto [t, p] = co_await starting;
  EXPECT_EQ(t->get_protocol(), first);
  t->set_protocol(second);
  EXPECT_EQ(t->get_protocol(), second);
  t->get_pipe_transport(0)->write("hi\n");
  co_await nettest::until([&] { return first->lost.is_set() || second->lost.is_set(); });
  EXPECT_EQ(second->out, "got:hi\n");
  EXPECT_EQ(first->out, "");
  EXPECT_TRUE(first->events.empty());
  EXPECT_EQ(t->get_protocol(), nullptr);
  t->close();
}

TEST(Subprocess, GetAndSetProtocol) { nettest::run(swap_protocols()); }

}  // namespace
