#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "http/server.h"

namespace gatehouse::http {
namespace {
// Self-pipe: the handler may run on any thread and may only do
// async-signal-safe work, so it just writes a byte the waiter reads.
int g_pipe[2] = {-1, -1};

void OnSignal(int) {
  int saved = errno;
  char b = 1;
  [[maybe_unused]] ssize_t n = write(g_pipe[1], &b, 1);
  errno = saved;
}
}  // namespace

void WaitForTerminationSignal() {
  if (pipe(g_pipe) != 0) {
    // Without a pipe, fall back to sigwait-style blocking on this thread only.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    return;
  }
  struct sigaction sa = {}, old_term = {}, old_int = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGINT, &sa, &old_int);
  char b;
  while (read(g_pipe[0], &b, 1) < 0 && errno == EINTR) {
  }
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGINT, &old_int, nullptr);
  close(g_pipe[0]);
  close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

}  // namespace gatehouse::http
