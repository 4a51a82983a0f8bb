// Subprocesses: communicate() with a filter, reading a child's output line by
// line, exit codes.
#include <cstdio>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

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
}

int main() { aio::run(amain()); }
