// Subprocesses: communicate() with a filter, reading a child's output line by
// line, exit codes.
#include <cstdio>
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
