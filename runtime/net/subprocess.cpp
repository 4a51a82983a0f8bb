// Child processes: posix_spawn with pipes, and a pidfd the loop watches to
// learn of the exit (Python 3.12's PidfdChildWatcher): no SIGCHLD handler,
// no helper thread.
#include "aio/net/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "aio/gather.hpp"
#include "internal.hpp"
#include "stream_transport.hpp"

extern char** environ;

namespace aio {
namespace net::detail {
namespace {

class ChildWatcher final : public IoWatcher, public LoopResource {
 public:
  ChildWatcher(NetState& net, Process& proc) : net_(net), proc_(proc) {
    net_.resources.insert(this);
    io_.set(net_.loop, [this] { reap(); }, "child watcher");
    net_.selector.add(proc_.pidfd, Selector::readable, Selector::Mode::edge, this);
  }
  ~ChildWatcher() override {
    if (detached_) return;
    net_.resources.erase(this);
    net_.selector.remove(proc_.pidfd);
  }
  void loop_closing() noexcept override {
    detached_ = true;
    io_.reset();
  }
  void io_ready(unsigned) noexcept override { io_.schedule(); }

 private:
  void reap() {
    if (proc_.returncode) return;
    int status = 0;
    pid_t r;
    do r = ::waitpid(proc_.pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == proc_.pid) {
      proc_.exited(status);
    } else if (r < 0 && errno == ECHILD) {
      // Reaped by someone else (a SIGCHLD handler of the program): unknown.
      proc_.exited(255 << 8);
    }
  }
  NetState& net_;
  Process& proc_;
  IoHandle io_;
  bool detached_ = false;
};

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

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
}

Task<int> Process::wait() {
  while (!returncode) co_await exited_event.wait();
  co_return *returncode;
}

void Process::send_signal(int sig) {
  if (returncode) throw ProcessLookupError(ESRCH, "[Errno 3] No such process (it has exited already)");
  // pidfd_send_signal cannot hit a recycled pid.
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0 && ::kill(pid, sig) < 0)
    throw_os_error(errno, "kill(" + std::to_string(pid) + ")");
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
  co_await in;
  std::string o = co_await out;
  std::string e = co_await err;
  co_await wait();
  co_return std::make_pair(std::move(o), std::move(e));
}

namespace {

Task<std::shared_ptr<Process>> spawn(std::vector<std::string> argv, SubprocessOptions options, bool search_path) {
  using namespace net::detail;
  EventLoop& loop = get_running_loop();
  NetState& net = net_state(loop);
  ignore_sigpipe();
  if (argv.empty()) throw ValueError("create_subprocess_exec() needs a program to run");

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  SpawnCleanup cleanup{&fa, &attr, {}};

  Pipe pin, pout, perr;
  auto setup = [&](Stdio how, int target, bool child_reads, Pipe& p) {
    switch (how) {
      case Stdio::inherit:
        break;
      case Stdio::pipe:
        p = make_pipe(child_reads);
        cleanup.close_fds.push_back(p.child);
        posix_spawn_file_actions_adddup2(&fa, p.child, target);
        break;
      case Stdio::devnull:
        posix_spawn_file_actions_addopen(&fa, target, "/dev/null", child_reads ? O_RDONLY : O_WRONLY, 0);
        break;
      case Stdio::stdout_:
        if (target != 2) throw ValueError("Stdio::stdout_ is only for stderr");
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        break;
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
  // The child starts with default signal dispositions and an empty mask
  // (Python's restore_signals): we ignore SIGPIPE, it must not.
  sigset_t def, empty;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  if (options.env) {
    for (auto& e : *options.env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
  }
  pid_t pid = -1;
  int rc = search_path ? posix_spawnp(&pid, cargv[0], &fa, &attr, cargv.data(), options.env ? cenv.data() : environ)
                       : posix_spawn(&pid, cargv[0], &fa, &attr, cargv.data(), options.env ? cenv.data() : environ);
  if (rc != 0) {
    for (int fd : {pin.parent, pout.parent, perr.parent})
      if (fd >= 0) ::close(fd);
    throw_os_error(rc, "cannot run '" + argv[0] + "'",
                   rc == ENOENT ? "no such program: check the name and PATH" : "");
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

Task<std::shared_ptr<Process>> create_subprocess_exec(std::vector<std::string> argv, SubprocessOptions options) {
  auto spawning = spawn(std::move(argv), std::move(options), true);
  co_return co_await spawning;
}

Task<std::shared_ptr<Process>> create_subprocess_shell(std::string cmd, SubprocessOptions options) {
  std::vector<std::string> argv;
  argv.push_back("/bin/sh");
  argv.push_back("-c");
  argv.push_back(std::move(cmd));
  auto spawning = spawn(std::move(argv), std::move(options), false);
  co_return co_await spawning;
}

}  // namespace aio
