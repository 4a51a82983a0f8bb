// Subprocesses: communicate() with a filter, reading a child's output line by
// line, exit codes, a file as stdout, two children chained by a pipe.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

// The callback form (loop.subprocess_exec): output arrives in a protocol.
struct Printer : aio::SubprocessProtocol {
  aio::Event done;
  void pipe_data_received(int fd, std::string_view data) override {
    std::printf("fd %d: %.*s", fd, static_cast<int>(data.size()), data.data());
  }
  void process_exited() override { std::printf("process exited\n"); }
  void connection_lost(std::exception_ptr) override { done.set(); }
};

aio::Task<void> amain() {
  aio::SubprocessOptions pipes;
  pipes.stdin_ = aio::Stdio::pipe;
  pipes.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> sort{"sort"};
  auto proc = co_await aio::create_subprocess_exec(sort, pipes);
  std::optional<std::string> input = std::string("pear\napple\nfig\n");
  auto [out, err] = co_await proc->communicate(input);
  std::printf("sort said:\n%s(exit %d)\n", out.c_str(), *proc->returncode);

  aio::SubprocessOptions out_only;
  out_only.stdout_ = aio::Stdio::pipe;
  std::string script = "echo one; echo two; exit 7";
  auto shell = co_await aio::create_subprocess_shell(script, out_only);
  auto lines = shell->stdout->lines();
  while (auto line = co_await lines.next()) std::printf("line: %s", line->c_str());
  int code = co_await shell->wait();
  std::printf("shell exited with %d\n", code);

  // stdout=f: the child writes to a file of ours (we keep the descriptor).
  char path[] = "/tmp/aio_example_subprocess_XXXXXX";
  int file = ::mkostemp(path, O_CLOEXEC);
  aio::SubprocessOptions to_file;
  to_file.stdout_ = aio::Stdio::fd(file);
  std::vector<std::string> note{"echo", "written by a child"};
  auto writer = co_await aio::create_subprocess_exec(note, to_file);
  co_await writer->wait();
  char buf[64] = {};
  ssize_t n = ::pread(file, buf, sizeof buf - 1, 0);
  std::printf("the file holds: %.*s", static_cast<int>(n > 0 ? n : 0), buf);
  ::close(file);
  ::unlink(path);

  // printf | tr: the first child's stdout is the second's stdin.
  int chain[2];
  if (::pipe2(chain, O_CLOEXEC) != 0) co_return;
  aio::SubprocessOptions first, second;
  first.stdout_ = aio::Stdio::fd(chain[1]);
  second.stdin_ = aio::Stdio::fd(chain[0]);
  second.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> producer{"printf", "from one child to another\\n"};
  std::vector<std::string> upper{"tr", "a-z", "A-Z"};
  auto p1 = co_await aio::create_subprocess_exec(producer, first);
  auto p2 = co_await aio::create_subprocess_exec(upper, second);
  ::close(chain[0]);  // the children have their copies; ours would keep tr
  ::close(chain[1]);  // from ever seeing EOF
  auto [chained, unused] = co_await p2->communicate();
  co_await p1->wait();
  std::printf("chained: %s", chained.c_str());

  auto printer = std::make_shared<Printer>();
  aio::SubprocessProtocolFactory factory = [printer] { return printer; };
  std::vector<std::string> echo{"echo", "from subprocess_exec"};
  auto starting = aio::subprocess_exec(factory, echo, out_only);
  auto [transport, protocol] = co_await starting;
  co_await printer->done.wait();
  std::printf("returncode %d\n", *transport->get_returncode());
  transport->close();
}

int main() { aio::run(amain()); }
