#pragma once
/// Child processes with pipes (asyncio.create_subprocess_exec / _shell and
/// asyncio.subprocess.Process).
///
///     auto proc = co_await aio::create_subprocess_exec({"ls", "-l"}, {.stdout_ = aio::Stdio::pipe});
///     auto [out, err] = co_await proc->communicate();
///     int status = co_await proc->wait();
///
/// The exit is noticed through a pidfd watched by the loop (no SIGCHLD
/// handler, no thread). returncode is the exit status, or -N when signal N
/// killed the process (Python's convention). A child still running when its
/// loop closes is reaped by a thread of its own, as asyncio 3.11's
/// ThreadedChildWatcher does (its Process then never gets a returncode).
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aio/net/streams.hpp"
#include "aio/selector.hpp"
#include "aio/sync/event.hpp"
#include "aio/task.hpp"

namespace aio {

/// What a child's stdin, stdout or stderr is connected to: asyncio.subprocess.PIPE
/// (`pipe`), DEVNULL (`devnull`), STDOUT (`stdout_`, for stderr only), None
/// (`inherit`), or a descriptor of ours (`fd(n)`: Python's `stdout=n` or
/// `stdout=file`).
///
///     o.stdout_ = aio::Stdio::pipe;        // read it from proc->stdout
///     o.stdout_ = aio::Stdio::fd(log_fd);  // the child writes to log_fd's file
///
/// A descriptor is duplicated into the child; the caller keeps it and may
/// close it once the call returns (the child has its copy). One that is not
/// open raises OSError (EBADF) before anything is spawned.
class Stdio {
 public:
  enum class Kind { inherit, pipe, devnull, stdout_, fd };
  static const Stdio inherit;
  static const Stdio pipe;
  static const Stdio devnull;
  static const Stdio stdout_;
  /// The child gets a copy of our descriptor `n` (a file, one end of a pipe
  /// to another child, a socket).
  static constexpr Stdio fd(int n) noexcept { return Stdio(Kind::fd, n); }

  constexpr Stdio() noexcept = default;  // inherit
  constexpr Kind kind() const noexcept { return kind_; }
  /// The descriptor given to fd(); -1 for the other kinds.
  constexpr int fileno() const noexcept { return fd_; }
  friend constexpr bool operator==(const Stdio&, const Stdio&) noexcept = default;

 private:
  constexpr Stdio(Kind kind, int fd) noexcept : kind_(kind), fd_(fd) {}
  Kind kind_ = Kind::inherit;
  int fd_ = -1;
};
inline constexpr Stdio Stdio::inherit{Kind::inherit, -1};
inline constexpr Stdio Stdio::pipe{Kind::pipe, -1};
inline constexpr Stdio Stdio::devnull{Kind::devnull, -1};
inline constexpr Stdio Stdio::stdout_{Kind::stdout_, -1};

struct SubprocessOptions {
  Stdio stdin_ = Stdio::inherit;
  Stdio stdout_ = Stdio::inherit;
  /// Stdio::stdout_ sends stderr where stdout goes.
  Stdio stderr_ = Stdio::inherit;
  /// Working directory of the child ("" for ours).
  std::string cwd;
  /// The child's environment ("NAME=value" entries); ours when unset.
  std::optional<std::vector<std::string>> env;
  /// Close every descriptor but 0, 1 and 2 in the child (Python's
  /// close_fds=True, asyncio's default), also those opened without
  /// O_CLOEXEC; false leaves those to the child.
  bool close_fds = true;
  /// Descriptors of ours the child keeps, under the same numbers, even with
  /// close_fds (Python's pass_fds); inheritable in the child whether or not
  /// they are O_CLOEXEC here. As in Python, a non-empty list turns close_fds
  /// on (with a "RuntimeWarning: pass_fds overriding close_fds." on stderr
  /// when it was off). ValueError for a negative one, OSError (EBADF) for
  /// one that is not open.
  std::vector<int> pass_fds;
  /// Run the child in a new session, setsid() (Python's start_new_session):
  /// a terminal's job control and its hangup no longer reach it.
  bool start_new_session = false;
  /// setpgid(0, pgid) in the child (Python 3.11's process_group): 0 makes it
  /// the leader of a new process group, so killpg(pid, sig) reaches it and its
  /// own children. A negative value is the same as unset, as in Python. With
  /// start_new_session the child already leads a group, and this fails with
  /// PermissionError (EPERM), as it does in Python.
  std::optional<int> process_group;
  /// The program to run in place of argv[0] (Python's executable), looked up
  /// on PATH the same way; argv[0] is still what the child sees as its name.
  /// For the shell forms it replaces /bin/sh and becomes argv[0] too.
  std::string executable;
  // Not here, because posix_spawn cannot do them: umask (glibc has no
  // posix_spawnattr_setumask, and changing ours around the spawn would race
  // with other threads creating files), user / group / extra_groups (no
  // setuid, setgid or setgroups action: POSIX_SPAWN_RESETIDS only resets the
  // effective ids to the real ones). Python makes these calls between its
  // fork and exec.
  std::size_t limit = kDefaultStreamLimit;
};

/// asyncio.subprocess.Process.
class Process {
 public:
  ~Process();
  int pid = -1;
  /// Set once the process has exited (and wait() noticed it).
  std::optional<int> returncode;
  /// The pipes, for the streams given Stdio::pipe (null otherwise).
  std::shared_ptr<StreamWriter> stdin;
  std::shared_ptr<StreamReader> stdout;
  std::shared_ptr<StreamReader> stderr;

  /// Wait for the process to exit; its return code.
  Task<int> wait();
  /// Send `input` to stdin (then close it), read stdout and stderr to EOF,
  /// wait for the exit. Returns (stdout, stderr) ("" for streams not piped).
  Task<std::pair<std::string, std::string>> communicate(std::optional<std::string> input);
  Task<std::pair<std::string, std::string>> communicate() { return communicate(std::nullopt); }
  /// ProcessLookupError if the process was already reaped.
  void send_signal(int sig);
  void terminate();  // SIGTERM
  void kill();       // SIGKILL

  // For the implementation.
  void exited(int status);
  std::function<void()> on_exit;  // called once, after returncode is set
  int pidfd = -1;
  Event exited_event;
  std::unique_ptr<IoWatcher> watcher;
};

/// asyncio.SubprocessProtocol: the callback form of a child process.
class SubprocessProtocol : public BaseProtocol {
 public:
  virtual void connection_made(class SubprocessTransport& transport) {}
  /// Output from the child: fd 1 (stdout) or 2 (stderr).
  virtual void pipe_data_received(int fd, std::string_view data) {}
  /// A pipe closed (fd 0, 1 or 2).
  virtual void pipe_connection_lost(int fd, std::exception_ptr exc) {}
  /// The child exited (get_returncode() is set). connection_lost follows
  /// once every pipe is closed too.
  virtual void process_exited() {}
};

/// asyncio.SubprocessTransport.
class SubprocessTransport : public BaseTransport {
 public:
  virtual int get_pid() const noexcept = 0;
  virtual std::optional<int> get_returncode() const noexcept = 0;
  /// The transport of pipe 0 (stdin), 1 (stdout) or 2 (stderr), or null.
  virtual Transport* get_pipe_transport(int fd) const noexcept = 0;
  virtual void send_signal(int sig) = 0;
  virtual void terminate() = 0;
  virtual void kill() = 0;
  /// The protocol receiving the child's events (asyncio's
  /// BaseTransport.get_protocol); null once connection_lost has been called.
  virtual std::shared_ptr<SubprocessProtocol> get_protocol() const = 0;
  /// Send the events from now on to `protocol` (asyncio's
  /// BaseTransport.set_protocol); its connection_made is not called.
  virtual void set_protocol(std::shared_ptr<SubprocessProtocol> protocol) = 0;
};

using SubprocessProtocolFactory = std::function<std::shared_ptr<SubprocessProtocol>()>;

/// loop.subprocess_exec: run `argv` with `protocol_factory()`'s protocol
/// receiving its output.
Task<std::pair<std::shared_ptr<SubprocessTransport>, std::shared_ptr<SubprocessProtocol>>> subprocess_exec(
    SubprocessProtocolFactory protocol_factory, std::vector<std::string> argv, SubprocessOptions options);
/// loop.subprocess_shell: the same with /bin/sh -c `cmd`.
Task<std::pair<std::shared_ptr<SubprocessTransport>, std::shared_ptr<SubprocessProtocol>>> subprocess_shell(
    SubprocessProtocolFactory protocol_factory, std::string cmd, SubprocessOptions options);

/// Run `program` with `args` (argv[0] is `program`; found on PATH).
/// FileNotFoundError if it does not exist.
Task<std::shared_ptr<Process>> create_subprocess_exec(std::vector<std::string> argv, SubprocessOptions options);
/// Run `cmd` with /bin/sh -c.
Task<std::shared_ptr<Process>> create_subprocess_shell(std::string cmd, SubprocessOptions options);

// Overloads rather than default arguments: g++ 12 destroys a defaulted
// class-type argument of a coroutine wrongly when the call sits inside a
// co_await expression (a bad free); here the default is made in a plain
// function before the coroutine starts.
inline Task<std::shared_ptr<Process>> create_subprocess_exec(std::vector<std::string> argv) {
  return create_subprocess_exec(std::move(argv), SubprocessOptions{});
}
inline Task<std::shared_ptr<Process>> create_subprocess_shell(std::string cmd) {
  return create_subprocess_shell(std::move(cmd), SubprocessOptions{});
}

}  // namespace aio
