/*
 * LD_PRELOAD shim for the fixture servers that cannot be told where to listen.
 * gnutls-serv binds every address getaddrinfo(NULL, AI_PASSIVE) returns (0.0.0.0 and ::) and has no
 * option to pick one, but the test suite may only ever listen on loopback. This shim moves every
 * IPv4 bind() to 127.0.0.1 (keeping the port), refuses IPv6 binds (gnutls-serv skips a listener
 * whose bind fails), and prints the port the kernel chose, because gnutls-serv -p 0 reports "port 0".
 * It also asks the kernel to kill the server when the test process dies, so a crashed or
 * SIGKILLed test leaves no orphan listening on the machine.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((constructor)) static void die_with_parent(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  /* The parent may have died between fork and this constructor; it told us its pid. */
  const char *expected = getenv("FIPSCAN_PARENT_PID");
  if (expected != NULL && atol(expected) != (long)getppid()) _exit(1);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static int (*real_bind)(int, const struct sockaddr *, socklen_t);
  if (real_bind == NULL) real_bind = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
  if (addr != NULL && addr->sa_family == AF_INET6) {
    errno = EADDRNOTAVAIL;
    return -1;
  }
  if (addr == NULL || addr->sa_family != AF_INET || len < (socklen_t)sizeof(struct sockaddr_in))
    return real_bind(fd, addr, len);
  struct sockaddr_in loopback;
  memcpy(&loopback, addr, sizeof loopback);
  loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = real_bind(fd, (const struct sockaddr *)&loopback, sizeof loopback);
  if (rc == 0) {
    struct sockaddr_in bound;
    socklen_t bound_len = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0) {
      char line[64];
      int n = snprintf(line, sizeof line, "fipscan-loopback-bind 127.0.0.1:%u\n", (unsigned)ntohs(bound.sin_port));
      if (n > 0 && write(2, line, (size_t)n) < 0) { /* the port line is best effort */ }
    }
  }
  return rc;
}
