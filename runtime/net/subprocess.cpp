// Child processes: posix_spawn with pipes, and a pidfd the loop watches to
// learn of the exit (Python 3.12's PidfdChildWatcher): no SIGCHLD handler,
// no helper thread.
#include "aio/net/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>
#include <thread>

#include "aio/gather.hpp"
#include "internal.hpp"
#include "stream_transport.hpp"

extern char** environ;

namespace aio {
namespace net::detail {
namespace {

// The loop is closing with this child still unreaped. asyncio 3.11's
// ThreadedChildWatcher waits for each child in a thread of its own, so such a
// child is reaped all the same (it warns "Loop ... that handles pid N is
// closed"). With no loop left to watch the pidfd, do as it does: a detached
// thread blocked in waitpid until the child exits. Without it the child stays
// a zombie for the rest of the program (a child is never handed to init while
// its parent lives).
void reap_without_a_loop(pid_t pid) noexcept {
  int status = 0;
  pid_t r;
  do r = ::waitpid(pid, &status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r != 0) return;  // reaped now, or not ours to reap any more
  try {
    std::thread([pid] {
      int st = 0;
      while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
      }
    }).detach();
  } catch (const std::system_error&) {
    // No thread to be had: the child stays a zombie until we exit.
  }
}

class ChildWatcher final : public IoWatcher, public LoopResource {
 public:
  ChildWatcher(NetState& net, Process& proc) : net_(net), proc_(&proc), pid_(proc.pid), pidfd_(proc.pidfd) {
    net_.resources.insert(this);
    io_.set(net_.loop, [this] { reap(); }, "child watcher", /*own_context=*/false);
    net_.selector.add(pidfd_, Selector::readable, Selector::Mode::edge, this);
  }
  ~ChildWatcher() override {
    if (detached_) return;
    net_.resources.erase(this);
    if (pidfd_ >= 0) net_.selector.remove(pidfd_);
    if (orphan_ && pidfd_ >= 0) ::close(pidfd_);  // else the Process closes it
  }
  void loop_closing() noexcept override {
    detached_ = true;
    io_.reset();
    if (!reaped_ && !(proc_ && proc_->returncode)) reap_without_a_loop(pid_);
    if (orphan_ && !reaped_) {
      if (pidfd_ >= 0) ::close(pidfd_);
      delete this;
    }
  }
  void io_ready(unsigned) noexcept override { io_.schedule(); }

  /// The Process is going away before its child exited. asyncio's child
  /// watcher keeps the child (its callback holds the transport) and reaps it
  /// when it exits; so does this watcher, now owning itself and the pidfd.
  /// Without it, every dropped Process would leave a zombie behind. False
  /// when the loop is gone (nothing can wait any more).
  bool adopt_orphan() noexcept {
    if (detached_) return false;
    proc_ = nullptr;
    orphan_ = true;
    io_.schedule();  // it may have exited already
    return true;
  }

 private:
  void reap() {
    if (reaped_ || (proc_ && proc_->returncode)) return;
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == pid_) {
      exited(status);
    } else if (r < 0 && errno == ECHILD) {
      // Reaped by someone else (a SIGCHLD handler of the program): unknown.
      exited(255 << 8);
    }
  }
  void exited(int status) {
    if (proc_) {
      proc_->exited(status);
      return;
    }
    // An orphan: done. Delete this outside its own I/O callback.
    reaped_ = true;
    net_.loop.call_soon([self = std::shared_ptr<ChildWatcher>(this)] {}, "child watcher done");
  }
  NetState& net_;
  Process* proc_;  // null once orphaned
  pid_t pid_;
  int pidfd_;
  IoHandle io_;
  bool detached_ = false;
  bool orphan_ = false;
  bool reaped_ = false;
};

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// SubprocessOptions' names for the child's fds 0, 1 and 2, for messages.
constexpr const char* kStreamNames[] = {"stdin_", "stdout_", "stderr_"};

struct Pipe {
  int parent = -1;
  int child = -1;
};

struct SpawnCleanup {
  posix_spawn_file_actions_t* fa;
  posix_spawnattr_t* attr;
  std::vector<int> close_fds;
  ~SpawnCleanup() {
    posix_spawn_file_actions_destroy(fa);
    posix_spawnattr_destroy(attr);
    for (int fd : close_fds)
      if (fd >= 0) ::close(fd);
  }
};

Pipe make_pipe(bool child_reads) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_os_error(errno, "pipe2");
  Pipe p;
  p.child = child_reads ? fds[0] : fds[1];
  p.parent = child_reads ? fds[1] : fds[0];
  set_nonblocking(p.parent);
  return p;
}

}  // namespace
}  // namespace net::detail

using net::detail::throw_os_error;

Process::~Process() {
  if (!returncode && watcher && static_cast<net::detail::ChildWatcher*>(watcher.get())->adopt_orphan()) {
    watcher.release();  // it reaps the child, then deletes itself (and closes the pidfd)
    return;
  }
  watcher.reset();
  if (pidfd >= 0) ::close(pidfd);
}

void Process::exited(int status) {
  if (WIFEXITED(status))
    returncode = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    returncode = -WTERMSIG(status);
  else
    returncode = status;
  exited_event.set();
  if (on_exit) {
    auto fn = std::move(on_exit);
    fn();
  }
}

Task<int> Process::wait() {
  while (!returncode) co_await exited_event.wait();
  co_return *returncode;
}

void Process::send_signal(int sig) {
  if (returncode) throw ProcessLookupError(ESRCH, "[Errno 3] No such process (it has exited already)");
  // pidfd_send_signal cannot hit a recycled pid; plain kill() only where
  // the kernel lacks it. Its ESRCH (reaped after the loop closed) is final:
  // kill(pid) then could signal whichever process has the number now.
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) == 0) return;
  int err = errno;
  if (err == ENOSYS && ::kill(pid, sig) == 0) return;
  if (err == ENOSYS) err = errno;
  throw_os_error(err, "kill(" + std::to_string(pid) + ")",
                 err == ESRCH ? "the process has exited already" : "");
}
void Process::terminate() { send_signal(SIGTERM); }
void Process::kill() { send_signal(SIGKILL); }

namespace {
Task<std::string> read_all(std::shared_ptr<StreamReader> reader) {
  if (!reader) co_return std::string();
  co_return co_await reader->read(-1);
}
Task<void> feed_stdin(std::shared_ptr<StreamWriter> writer, std::optional<std::string> input) {
  if (!writer) co_return;
  try {
    if (input && !input->empty()) {
      writer->write(*input);
      co_await writer->drain();
    }
  } catch (const ConnectionError&) {
    // The child stopped reading (BrokenPipeError, ConnectionResetError): as asyncio, ignore.
  }
  writer->close();
}
}  // namespace

Task<std::pair<std::string, std::string>> Process::communicate(std::optional<std::string> input) {
  auto in = create_task(feed_stdin(stdin, std::move(input)));
  auto out = create_task(read_all(stdout));
  auto err = create_task(read_all(stderr));
  std::exception_ptr failure;
  try {
    co_await in;
    std::string o = co_await out;
    std::string e = co_await err;
    co_await wait();
    co_return std::make_pair(std::move(o), std::move(e));
  } catch (...) {
    failure = std::current_exception();
  }
  // asyncio runs the three under gather(): cancelling communicate() cancels
  // them all, and it ends only once they have. Left running, a read would go
  // on taking the child's output from under the caller (whose own read then
  // fails: "another coroutine is already waiting").
  TaskRef parts[] = {in, out, err};
  for (TaskRef& part : parts) part.cancel();
  for (const TaskRef& part : parts) {
    try {
      co_await part;
    } catch (...) {
    }
  }
  std::rethrow_exception(failure);
}

namespace {

struct Spawned {
  std::shared_ptr<Process> proc;
  int fds[3] = {-1, -1, -1};  // our ends of the child's stdin, stdout, stderr pipes
};

// The PATH a child with this environment searches: os.get_exec_path(env),
// which falls back to os.defpath when env has no PATH.
std::string exec_path(const std::vector<std::string>& env) {
  for (const std::string& e : env)
    if (e.rfind("PATH=", 0) == 0) return e.substr(5);
  return "/bin:/usr/bin";
}

// The first executable regular file named `program` in a directory of
// `path` (relative directories are the child's, so they start from `cwd`),
// as execvp would find it; empty with `err` set to ENOENT, or EACCES if one
// was found but could not be run. Resolved here, not in the child, because
// posix_spawn has no "exec on this PATH" of its own.
std::string find_on_path(const std::string& program, const std::string& path, const std::string& cwd, int& err) {
  err = ENOENT;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = path.find(':', start);
    std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = dir.empty() ? program : dir + "/" + program;  // an empty entry is the current directory
    std::string probe = candidate[0] == '/' || cwd.empty() ? candidate : cwd + "/" + candidate;
    struct stat st;
    if (::stat(probe.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      if (::access(probe.c_str(), X_OK) == 0) return candidate;
      err = EACCES;
    }
    if (end == std::string::npos) return {};
    start = end + 1;
  }
}

// posix_spawn the child and start watching its pidfd. Not a coroutine.
// `shell`: argv is /bin/sh -c cmd.
Spawned spawn_child(net::detail::NetState& net, std::vector<std::string>& argv, const SubprocessOptions& options,
                    bool shell) {
  using namespace net::detail;
  ignore_sigpipe();
  if (argv.empty()) throw ValueError("create_subprocess_exec() needs a program to run");
  // Python's executable: the program run. argv[0] stays the child's name,
  // except under the shell, where it replaces /bin/sh in both places.
  if (shell && !options.executable.empty()) argv[0] = options.executable;
  const std::string& program = options.executable.empty() ? argv[0] : options.executable;
  std::vector<int> keep;  // pass_fds of 3 and up, sorted, once each
  for (int fd : options.pass_fds) {
    if (fd < 0) throw ValueError("bad value(s) in fds_to_keep: SubprocessOptions::pass_fds has " + std::to_string(fd));
    if (::fcntl(fd, F_GETFD) < 0)
      throw_os_error(EBADF, "pass_fds: descriptor " + std::to_string(fd), "not an open descriptor of this process");
    if (fd >= 3) keep.push_back(fd);
  }
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  SpawnCleanup cleanup{&fa, &attr, {}};

  Pipe pin, pout, perr;
  auto setup = [&](Stdio how, int target, bool child_reads, Pipe& p) {
    switch (how.kind()) {
      case Stdio::Kind::inherit:
        break;
      case Stdio::Kind::pipe:
        p = make_pipe(child_reads);
        cleanup.close_fds.push_back(p.child);
        posix_spawn_file_actions_adddup2(&fa, p.child, target);
        break;
      case Stdio::Kind::devnull:
        posix_spawn_file_actions_addopen(&fa, target, "/dev/null", child_reads ? O_RDONLY : O_WRONLY, 0);
        break;
      case Stdio::Kind::stdout_:
        if (target != 2) throw ValueError("Stdio::stdout_ is only for stderr");
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        break;
      case Stdio::Kind::fd: {
        int fd = how.fileno();
        // Checked here, so that a bad one is not taken for a failed exec.
        if (fd < 0 || ::fcntl(fd, F_GETFD) < 0)
          throw_os_error(EBADF, std::string(kStreamNames[target]) + " = Stdio::fd(" + std::to_string(fd) + ")",
                         "not an open descriptor of this process");
        // The file actions run in order: one of 0-2 given for a later stream
        // would be overwritten by the earlier ones by then (stdout = fd(2)
        // with stderr = fd(1) would send both to stderr). Python dups those
        // out of the way first (CPython #12607); so do we, in the parent.
        if (fd < 3 && fd != target) {
          fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
          if (fd < 0) throw_os_error(errno, "fcntl(F_DUPFD_CLOEXEC)");
          cleanup.close_fds.push_back(fd);
        }
        posix_spawn_file_actions_adddup2(&fa, fd, target);
        break;
      }
    }
  };
  try {
    setup(options.stdin_, 0, true, pin);
    setup(options.stdout_, 1, false, pout);
    setup(options.stderr_, 2, false, perr);
  } catch (...) {
    for (int fd : {pin.parent, pout.parent, perr.parent})
      if (fd >= 0) ::close(fd);
    throw;
  }
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, options.cwd.c_str());
  bool close_fds = options.close_fds;
  if (!options.pass_fds.empty() && !close_fds) {
    std::fputs("aio: RuntimeWarning: pass_fds overriding close_fds.\n", stderr);
    close_fds = true;
  }
  // dup2(fd, fd) clears FD_CLOEXEC in the child (glibc 2.29+, POSIX 2024):
  // a kept descriptor survives the exec even if it is O_CLOEXEC here.
  for (int fd : keep) posix_spawn_file_actions_adddup2(&fa, fd, fd);
  // Python's close_fds=True: after the dup2s above, nothing but 0-2 and the
  // kept ones is left to the child, also descriptors the program opened
  // without O_CLOEXEC. posix_spawn has closefrom but no close_range: the
  // gaps below the highest kept descriptor are closed one by one (a close of
  // a number not open is no error there).
  if (close_fds) {
    int next = 3;
    for (int fd : keep) {
      for (; next < fd; ++next) posix_spawn_file_actions_addclose(&fa, next);
      next = fd + 1;
    }
    posix_spawn_file_actions_addclosefrom_np(&fa, next);
  }
  // The child starts with default signal dispositions and an empty mask
  // (Python's restore_signals): we ignore SIGPIPE, it must not.
  sigset_t def, empty;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setsigmask(&attr, &empty);
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  // glibc runs setsid() before setpgid(), as Python's child does, so both
  // together fail alike (EPERM: a session leader cannot change its group).
  if (options.start_new_session) flags |= POSIX_SPAWN_SETSID;
  if (options.process_group && *options.process_group >= 0) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, *options.process_group);
  }
  posix_spawnattr_setflags(&attr, flags);

  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  std::vector<std::string> env_copy;
  if (options.env) {
    env_copy = *options.env;
    for (auto& e : env_copy) cenv.push_back(e.data());
    cenv.push_back(nullptr);
  }
  pid_t pid = -1;
  int rc;
  if (options.env && program.find('/') == std::string::npos) {
    // Python looks the program up on the PATH of the environment it is given
    // (os.get_exec_path(env)); posix_spawnp would search ours.
    std::string found = find_on_path(program, exec_path(*options.env), options.cwd, rc);
    if (!found.empty()) rc = posix_spawn(&pid, found.c_str(), &fa, &attr, cargv.data(), cenv.data());
  } else {
    // posix_spawnp looks a name without a slash up on PATH (/bin/sh has one).
    rc = posix_spawnp(&pid, program.c_str(), &fa, &attr, cargv.data(), options.env ? cenv.data() : environ);
  }
  if (rc != 0) {
    for (int fd : {pin.parent, pout.parent, perr.parent})
      if (fd >= 0) ::close(fd);
    // posix_spawn reports the chdir's failure and the exec's alike: tell
    // them apart, or a missing directory reads as a missing program
    // (Python names the directory: "No such file or directory: '/no/dir'").
    struct stat st;
    if (!options.cwd.empty() && (::stat(options.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
      throw_os_error(rc, "cannot change to the working directory '" + options.cwd + "'",
                     "check SubprocessOptions::cwd");
    // setsid() cannot fail in a new child, setpgid() can; an exec fails with EACCES rather.
    if (rc == EPERM && options.process_group && *options.process_group >= 0)
      throw_os_error(rc, "setpgid(0, " + std::to_string(*options.process_group) + ") in the child",
                     options.start_new_session ? "a new session's leader cannot join another process group"
                                               : "no such process group in our session");
    throw_os_error(rc, "cannot run '" + program + "'", rc == ENOENT ? (options.env ? "no such program: check the name and the PATH in SubprocessOptions::env"
                                                          : "no such program: check the name and PATH")
                                : "");
  }

  auto proc = std::make_shared<Process>();
  proc->pid = pid;
  proc->pidfd = pidfd_open(pid);
  if (proc->pidfd < 0) {
    int err = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw_os_error(err, "pidfd_open", "Linux 5.3 or later is needed to watch child processes");
  }
  proc->watcher = std::make_unique<ChildWatcher>(net, *proc);
  Spawned out;
  out.proc = proc;
  out.fds[0] = pin.parent;
  out.fds[1] = pout.parent;
  out.fds[2] = perr.parent;
  return out;
}

Task<std::shared_ptr<Process>> spawn(std::vector<std::string> argv, SubprocessOptions options, bool shell) {
  using namespace net::detail;
  NetState& net = net_state(get_running_loop());
  Spawned sp = spawn_child(net, argv, options, shell);
  auto proc = sp.proc;
  Pipe pin, pout, perr;
  pin.parent = sp.fds[0];
  pout.parent = sp.fds[1];
  perr.parent = sp.fds[2];
  if (pin.parent >= 0) {
    auto t = std::make_shared<StreamTransportImpl>(net, pin.parent, StreamTransportImpl::write_pipe);
    auto protocol = std::make_shared<StreamReaderProtocol>(nullptr);
    t->start(protocol, t, nullptr, /*call_soon=*/false);
    proc->stdin = std::make_shared<StreamWriter>(t, protocol, nullptr);
  }
  auto reader_for = [&](int fd) {
    auto reader = std::make_shared<StreamReader>(options.limit);
    auto t = std::make_shared<StreamTransportImpl>(net, fd, StreamTransportImpl::read_pipe);
    auto protocol = std::make_shared<StreamReaderProtocol>(reader);
    t->start(protocol, t, nullptr, /*call_soon=*/false);
    return reader;
  };
  if (pout.parent >= 0) proc->stdout = reader_for(pout.parent);
  if (perr.parent >= 0) proc->stderr = reader_for(perr.parent);
  co_return proc;
}

}  // namespace

// ---- the protocol form: subprocess_exec / subprocess_shell ------------------------

namespace net::detail {

class SubprocessTransportImpl final : public SubprocessTransport {
 public:
  SubprocessTransportImpl(NetState& net, std::shared_ptr<Process> proc, std::shared_ptr<SubprocessProtocol> protocol)
      : net_(net), proc_(std::move(proc)), protocol_(std::move(protocol)), loop_ref_(net.loop.anchor()) {}

  // A pipe's protocol: forwards to the SubprocessProtocol with the fd number.
  struct PipeProtocol final : Protocol {
    std::weak_ptr<SubprocessTransportImpl> owner;
    int fd;
    PipeProtocol(std::weak_ptr<SubprocessTransportImpl> o, int f) : owner(std::move(o)), fd(f) {}
    void data_received(std::string_view data) override {
      if (auto o = owner.lock())
        if (o->protocol_) o->protocol_->pipe_data_received(fd, data);
    }
    void connection_lost(std::exception_ptr exc) override {
      if (auto o = owner.lock()) o->pipe_lost(fd, exc);
    }
    void pause_writing() override {
      if (auto o = owner.lock())
        if (o->protocol_) o->protocol_->pause_writing();
    }
    void resume_writing() override {
      if (auto o = owner.lock())
        if (o->protocol_) o->protocol_->resume_writing();
    }
  };

  void start(const int fds[3]) {
    self_ = std::static_pointer_cast<SubprocessTransportImpl>(BaseTransport::shared_from_this());
    std::weak_ptr<SubprocessTransportImpl> weak = self_;
    for (int i = 0; i < 3; ++i) {
      if (fds[i] < 0) continue;
      auto kind = i == 0 ? StreamTransportImpl::write_pipe : StreamTransportImpl::read_pipe;
      auto t = std::make_shared<StreamTransportImpl>(net_, fds[i], kind);
      ++open_pipes_;
      pipes_[i] = t;
      t->start(std::make_shared<PipeProtocol>(weak, i), t, nullptr, /*call_soon=*/false);
    }
    proc_->on_exit = [weak] {
      if (auto o = weak.lock()) o->process_exited();
    };
    protocol_->connection_made(*this);
    if (proc_->returncode) process_exited();
  }

  int get_pid() const noexcept override { return proc_->pid; }
  std::optional<int> get_returncode() const noexcept override { return proc_->returncode; }
  Transport* get_pipe_transport(int fd) const noexcept override {
    return fd >= 0 && fd < 3 ? pipes_[fd].get() : nullptr;
  }
  void send_signal(int sig) override { proc_->send_signal(sig); }
  void terminate() override { proc_->terminate(); }
  void kill() override { proc_->kill(); }
  std::shared_ptr<SubprocessProtocol> get_protocol() const override { return protocol_; }
  void set_protocol(std::shared_ptr<SubprocessProtocol> protocol) override { protocol_ = std::move(protocol); }
  void close() override {
    if (closing_) return;
    closing_ = true;
    for (auto& p : pipes_)
      if (p) p->close();
    // asyncio: a child still running when its transport closes is killed.
    if (!proc_->returncode) {
      try {
        proc_->kill();
      } catch (const OSError&) {
      }
    }
  }
  bool is_closing() const noexcept override { return closing_; }
  using BaseTransport::get_extra_info;  // and (name, default)
  std::any get_extra_info(std::string_view name) const override {
    if (name == "subprocess") return proc_->pid;
    return {};
  }
  EventLoop& get_loop() const override { return loop_ref_.get_or_raise("transport"); }

 private:
  void pipe_lost(int fd, std::exception_ptr exc) {
    if (protocol_) protocol_->pipe_connection_lost(fd, exc);
    --open_pipes_;
    try_finish();
  }
  void process_exited() {
    if (exited_) return;
    exited_ = true;
    if (protocol_) protocol_->process_exited();
    try_finish();
  }
  // connection_lost once the process has exited and every pipe is closed.
  void try_finish() {
    if (open_pipes_ > 0 || !exited_ || lost_) return;
    lost_ = true;
    auto keep = std::move(self_);
    auto proto = std::move(protocol_);
    if (proto) proto->connection_lost(nullptr);
  }

  NetState& net_;
  std::shared_ptr<Process> proc_;
  std::shared_ptr<SubprocessProtocol> protocol_;
  aio::detail::LoopRef loop_ref_;  // get_loop(): whether the loop still exists
  std::shared_ptr<StreamTransportImpl> pipes_[3];
  std::shared_ptr<SubprocessTransportImpl> self_;
  int open_pipes_ = 0;
  bool exited_ = false;
  bool lost_ = false;
  bool closing_ = false;
};

}  // namespace net::detail

namespace {
using SubprocessResult = std::pair<std::shared_ptr<SubprocessTransport>, std::shared_ptr<SubprocessProtocol>>;

SubprocessResult start_subprocess(SubprocessProtocolFactory& factory, std::vector<std::string>& argv,
                                  const SubprocessOptions& options, bool shell) {
  auto& net = net::detail::net_state(get_running_loop());
  std::shared_ptr<SubprocessProtocol> protocol = factory();
  if (!protocol) throw TypeError("the protocol factory returned null");
  auto sp = spawn_child(net, argv, options, shell);
  auto t = std::make_shared<net::detail::SubprocessTransportImpl>(net, sp.proc, protocol);
  t->start(sp.fds);
  return SubprocessResult(t, protocol);
}
}  // namespace

Task<std::pair<std::shared_ptr<SubprocessTransport>, std::shared_ptr<SubprocessProtocol>>> subprocess_exec(
    SubprocessProtocolFactory factory, std::vector<std::string> argv, SubprocessOptions options) {
  co_return start_subprocess(factory, argv, options, false);
}

Task<std::pair<std::shared_ptr<SubprocessTransport>, std::shared_ptr<SubprocessProtocol>>> subprocess_shell(
    SubprocessProtocolFactory factory, std::string cmd, SubprocessOptions options) {
  std::vector<std::string> argv;
  argv.push_back("/bin/sh");
  argv.push_back("-c");
  argv.push_back(std::move(cmd));
  co_return start_subprocess(factory, argv, options, true);
}

Task<std::shared_ptr<Process>> create_subprocess_exec(std::vector<std::string> argv, SubprocessOptions options) {
  auto spawning = spawn(std::move(argv), std::move(options), false);
  co_return co_await spawning;
}

Task<std::shared_ptr<Process>> create_subprocess_shell(std::string cmd, SubprocessOptions options) {
  std::vector<std::string> argv;
  argv.push_back("/bin/sh");
  argv.push_back("-c");
  argv.push_back(std::move(cmd));
  auto spawning = spawn(std::move(argv), std::move(options), true);
  co_return co_await spawning;
}

}  // namespace aio
