// aio::Lock: two tasks update a shared balance; the lock keeps each
// read-modify-write whole even though the task suspends in the middle.
#include <cstdio>

#include "aio/aio.hpp"

aio::Task<void> deposit(aio::Lock& lock, int& balance, const char* who, int amount) {
  auto guard = co_await lock.scoped();  // async with lock:
  int seen = balance;
  std::printf("%s reads %d\n", who, seen);
  co_await aio::sleep(0.1);  // another task runs here, but cannot enter
  balance = seen + amount;
  std::printf("%s writes %d\n", who, balance);
}  // released here, also on exceptions and cancellation

aio::Task<void> amain() {
  aio::Lock lock;
  int balance = 0;
  auto a = aio::create_task(deposit(lock, balance, "alice", 10));
  auto b = aio::create_task(deposit(lock, balance, "bob", 5));
  co_await a;
  co_await b;
  std::printf("balance %d, locked %s\n", balance, lock.locked() ? "yes" : "no");
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
