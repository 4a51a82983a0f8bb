// aio_conformance NAME: run one scenario twin (see harness.hpp); --list names them all.
#include <cstdio>
#include <cstring>

#include "harness.hpp"

int main(int argc, char** argv) {
  auto& scenarios = conformance::registry();
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& [name, fn] : scenarios) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s NAME | --list\n", argv[0]);
    return 2;
  }
  auto it = scenarios.find(argv[1]);
  if (it == scenarios.end()) {
    std::fprintf(stderr, "no scenario named %s (try --list)\n", argv[1]);
    return 2;
  }
  int status = 0;
  try {
    it->second();
  } catch (...) {
    std::fflush(stdout);
    std::fprintf(stderr, "scenario %s raised %s\n", argv[1], conformance::fmt_exc().c_str());
    status = 1;
  }
  conformance::forget_loops();
  std::fflush(stdout);
  return status;
}
