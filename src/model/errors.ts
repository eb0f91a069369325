/**
 * The catalogue of every code fipscan reports: why an endpoint could not be scanned (a report's
 * `error.code`), why one hello got no decisive answer, why an item stays inconclusive (a
 * protocol's `reasonCode`, an inconclusive finding's `code`), and why a command stopped (usage,
 * files, inspection). Each has a stable code, a one-line meaning and a hint saying what to do;
 * the README lists them all and `fipscan explain CODE` prints one. A code a program branches on
 * never changes; the wording may.
 */

/** Where a code shows up. */
export type ErrorKind =
  /** The endpoint could not be scanned (or judged): a report's `error.code`, verdict `error`. */
  | 'endpoint'
  /** One connection got no decisive answer; named inside a reason, retried or climbed past. */
  | 'connection'
  /** Why a version, suite, group or scheme is inconclusive: `reasonCode`, an inconclusive finding's `code`. */
  | 'inconclusive'
  /** How a server answered: why a version is not offered, or offered with nothing (a protocol's `reasonCode`). */
  | 'answer'
  /** The command itself stopped: bad usage, an unreadable file (exit 64, 69 or 73). */
  | 'usage'
  /** A binary, process or host could not be inspected (`fipscan inspect`). */
  | 'inspect';

export interface ErrorInfo {
  readonly code: string;
  readonly kind: ErrorKind;
  /** What it means, in one line. */
  readonly message: string;
  /** What to do about it, in one line. */
  readonly hint: string;
}

function entry(code: string, kind: ErrorKind, message: string, hint: string): ErrorInfo {
  return Object.freeze({ code, kind, message, hint });
}

/** Every code, by kind; README.md lists them in this order. */
export const ERRORS: readonly ErrorInfo[] = Object.freeze([
  // Endpoint errors: nothing (or not enough) was learned, so there is no pass or fail.
  entry('ECONNREFUSED', 'endpoint', 'Nothing listens on the port: the TCP connection was refused.', 'Check the port and that the service runs; from inside a pod, check the container port.'),
  entry('ETIMEDOUT_CONNECT', 'endpoint', 'No TCP connection within the timeout: a firewall drops the packets or the host is down.', 'Check the address and network policies; raise --timeout on a slow link.'),
  entry('EHOSTUNREACH', 'endpoint', 'The host cannot be reached (no route).', 'Check the address and the routing from where fipscan runs.'),
  entry('ENETUNREACH', 'endpoint', 'The network cannot be reached (no route).', 'Check the address family (IPv4/IPv6) and the routing.'),
  entry('EADDRNOTAVAIL', 'endpoint', 'The address cannot be connected to from this machine.', 'Check the address; a link-local IPv6 address needs its zone.'),
  entry('ENOTFOUND', 'endpoint', 'The host name does not resolve.', 'Check the name; inside a cluster use the service name with its namespace.'),
  entry('EAI_AGAIN', 'endpoint', 'The name server did not answer in time.', 'Try again; check the resolver configuration.'),
  entry('EBADPROXY', 'endpoint', 'The --proxy value is not an http://host:port address.', 'Give the proxy as http://host:port.'),
  entry('EPROXY', 'endpoint', 'The HTTP proxy refused or broke the CONNECT tunnel.', 'Check that the proxy allows CONNECT to this host and port.'),
  entry('ETIMEDOUT_PROXY', 'endpoint', 'The HTTP proxy did not open the tunnel within the timeout.', 'Check the proxy; raise --timeout.'),
  entry('ESTARTTLS', 'endpoint', 'The server refused or broke the STARTTLS dialogue before TLS.', 'Check --starttls names the protocol the port speaks, and that the server offers STARTTLS.'),
  entry('ETIMEDOUT_STARTTLS', 'endpoint', 'The STARTTLS dialogue did not finish within the timeout.', 'Check --starttls names the protocol the port speaks; raise --timeout.'),
  entry('ENOTTLS', 'endpoint', 'The port took the connection but never answered a TLS hello.', 'A plaintext service that waits for the client (see --starttls), or not TLS at all.'),
  entry('EOTHER_PROTOCOL', 'endpoint', 'The port answers in another protocol (HTTP, SSH, ...), named in the error.', 'Scan the TLS port instead; for SSH, scan ssh://HOST:PORT; for STARTTLS, see --starttls.'),
  entry('ETIMEDOUT_HANDSHAKE', 'endpoint', 'The server sent bytes but no decisive answer within the timeout.', 'A very slow server or link: raise --timeout.'),
  entry('EHELLO_REFUSED', 'endpoint', 'The server refused every hello of every version: nothing about its configuration was learned.', 'It may want another server name (--sni NAME) or a client certificate (--cert/--key).'),
  entry('EUNRECOGNIZED_NAME', 'endpoint', 'The server refuses the server name sent (alert unrecognized_name).', 'Give the name it serves with --sni NAME.'),
  entry('EDEADLINE', 'endpoint', 'The endpoint deadline ran out before the scan could prove anything.', 'Raise --deadline, or scan fewer endpoints at once (--concurrency).'),
  entry('EABORTED', 'endpoint', 'The scan of this endpoint was aborted.', 'Nothing to do: it was stopped on purpose.'),
  entry('EINTERRUPTED', 'endpoint', 'The run was interrupted (SIGINT/SIGTERM) before this endpoint was scanned.', 'Run again; the report lists what was finished.'),
  entry('EINCONCLUSIVE', 'endpoint', 'The scan could not prove items the policy judges, and found no violation: no verdict.', 'See each inconclusive finding and its code; scan again, or raise --timeout.'),
  entry('ENOTSSH', 'endpoint', 'An ssh:// target does not answer in SSH: the error says what it speaks (TLS, HTTP, silence).', 'For a TLS port, scan HOST:PORT without ssh://.'),
  entry('ESSH_BANNER', 'endpoint', 'The server speaks an SSH protocol version other than 2.0 (or 1.99).', 'SSH 1 is broken: disable it on the server.'),
  entry('EMALFORMED_SSH', 'endpoint', 'The SSH server sent a packet that cannot be read before its KEXINIT.', 'A broken server or a middlebox; see the message.'),
  entry('ESSH_DISCONNECT', 'endpoint', 'The SSH server disconnected before sending its KEXINIT (the reason is in the message).', 'It may refuse this client address (MaxStartups, AllowUsers, tcp wrappers).'),
  entry('ENO_SSH_RULES', 'endpoint', 'The policy has no SSH rules, so an SSH endpoint cannot be judged by it.', 'Use a built-in profile, or give the policy file an "ssh" section (fipscan policies show NAME).'),
  entry('ENOTSCANNED', 'endpoint', 'A listening port of the workload was not scanned.', 'Check the port is reachable from the pod; run the scan again.'),
  // One connection's failure: the sweep retries, climbs its fallback ladder, or records it as a reason.
  entry('ECONNRESET', 'connection', 'The server reset the connection.', 'Often how an intolerant stack refuses a hello; fipscan retries with plainer hellos.'),
  entry('EEOF', 'connection', 'The server closed the connection without an answer.', 'Often how an intolerant stack refuses a hello; fipscan retries with plainer hellos.'),
  entry('ECLOSE_NOTIFY', 'connection', 'The server sent close_notify without an answer.', 'Treated like a close: fipscan retries with plainer hellos.'),
  entry('ETOOLARGE', 'connection', 'The server sent more than 256 KiB without a decisive answer.', 'Not a TLS server as fipscan knows one; the answer is left inconclusive.'),
  entry('EMALFORMED_RECORD', 'connection', 'The server sent bytes that are not TLS records or messages.', 'Another protocol, or a broken server; see the error for the bytes.'),
  entry('ETRUNCATED', 'connection', 'A server message ended before its declared length.', 'A broken server; the answer is left inconclusive.'),
  entry('EMALFORMED', 'connection', 'A preamble or server message could not be read.', 'See the message; the answer is left inconclusive.'),
  entry('EBAD_KEY_SHARE', 'connection', 'The server chose a key share that is not valid for its group, or one no share was sent for.', 'A broken server; the TLS 1.3 flight is left unread.'),
  entry('EDECRYPT', 'connection', 'A TLS 1.3 record did not decrypt with the keys of the handshake.', 'A broken server, or a tampering middlebox; the TLS 1.3 flight is left unread.'),
  entry('EUNSUPPORTED_SUITE', 'connection', 'The server chose a TLS 1.3 suite this Node cannot decrypt.', 'Its CertificateVerify scheme is left inconclusive; a newer Node may read it.'),
  entry('ETLS', 'connection', 'A real client handshake (node:tls) failed without a named alert.', 'See the message; the handshake result is left out.'),
  entry('ERR_SSL_*', 'connection', 'A real client handshake (node:tls) failed: OpenSSL names the reason, often an alert.', 'With _ALERT_CERTIFICATE_REQUIRED or _BAD_CERTIFICATE, give a client certificate (--cert/--key).'),
  entry('ECLOSED_AFTER_HANDSHAKE', 'connection', 'The server closed the connection right after the handshake (it judged the client certificate).', 'Check the client certificate (--cert/--key/--ca).'),
  entry('ESOCKET', 'connection', 'A socket failed in a way the operating system did not name.', 'See the message.'),
  // Why an item is inconclusive: fipscan could prove neither acceptance nor refusal.
  entry('EODD_ALERT', 'inconclusive', 'The server answered with an alert that does not mean "refused" on every fallback rung.', 'Its own way of objecting; compare with the stack notes in the README.'),
  entry('ENO_CHOICE', 'inconclusive', 'The server engaged with the hello but never named its choice, and a control hello could not tell why.', 'Scan again; if it stays, report the server and stack.'),
  entry('ECONTROL_REFUSED', 'inconclusive', 'A hello was refused in a non-standard way, and so was the same hello offering an item already accepted.', 'The server refuses by state, not by offer; scan again with --concurrency 1.'),
  entry('ENO_KEY_SHARE', 'inconclusive', 'A refusal proved nothing: no key share could be sent for what was offered.', 'This Node cannot make a share for the group (ML-KEM needs Node 24, GOST none).'),
  entry('EUNKNOWN_PSK_IDENTITY', 'inconclusive', 'The server speaks SRP or PSK and refused the user name fipscan made up.', 'Its SRP/PSK suites cannot be proven without a real identity.'),
  entry('EPROTOCOL_VIOLATION', 'inconclusive', 'The server broke the protocol (picked what was not offered, switched versions).', 'See protocolViolations in the report: the server is broken.'),
  entry('ENO_NAMING_MESSAGE', 'inconclusive', 'The answer lacked the message that names the server\'s choice.', 'Scan again; if it stays, report the server and stack.'),
  entry('EREAL_SHARES_UNANSWERED', 'inconclusive', 'TLS 1.3 hellos with real key shares got no decisive answer.', 'Scan again, or raise --timeout.'),
  entry('EDOWNGRADE_SENTINEL', 'inconclusive', 'A server marked its TLS 1.2 answer as a TLS 1.3 downgrade, yet refused TLS 1.3 hellos.', 'A middlebox or front end may be in the way; scan the server directly.'),
  entry('ENO_ANSWER', 'inconclusive', 'No hello of this version got a conclusive answer.', 'See the reason; scan again, or raise --timeout.'),
  entry('ENOT_PROBED', 'inconclusive', 'The version was not probed (--protocols).', 'Probe every version for a verdict.'),
  entry('EUNPROVEN_ITEM', 'inconclusive', 'The answers to hellos offering this item proved neither acceptance nor refusal.', 'Scan again, or raise --timeout; the reason of its version says more.'),
  entry('EUNPROVEN_LIST', 'inconclusive', 'The list of items accepted is not proven complete.', 'Scan again, or raise --timeout.'),
  entry('EUNPROVEN_FEATURE', 'inconclusive', 'Whether the server supports or requires a feature the policy judges could not be proven.', 'Scan again, or raise --timeout.'),
  entry('EUNPROVEN_CERTIFICATE', 'inconclusive', 'No certificate was seen, or its key type, size, curve or signature hash could not be read.', 'Check the chain with openssl x509; report the certificate if it is valid.'),
  entry('EUNPROVEN_DH', 'inconclusive', 'The server accepts DHE suites, but no DH parameters were seen to measure.', 'Scan again; report the server if it stays.'),
  entry('EUNEXPECTED_ANSWER', 'inconclusive', 'The server answered a TLS hello in SSL 2.0.', 'A broken or very old server; the answer is left inconclusive.'),
  // How the server answered: the reasons behind "not offered".
  entry('REFUSED_ALERT', 'answer', 'Every hello of the version was refused with an alert that means "nothing acceptable" (or the same alert to the plainest hello).', 'Not offered: nothing to do.'),
  entry('REFUSED_CONTROL', 'answer', 'Refused in a non-standard way, proven by a control hello offering an accepted item, answered right after.', 'Not offered: nothing to do.'),
  entry('LOWER_VERSION', 'answer', 'The server answered the version\'s hello in an older version.', 'Not offered: nothing to do.'),
  entry('TLS_ANSWER_TO_SSLV2', 'answer', 'The server answered the SSL 2.0 CLIENT-HELLO in TLS.', 'SSL 2.0 not offered: nothing to do.'),
  entry('CLOSED_ON_SSLV2', 'answer', 'A server that speaks TLS closed the connection on the SSL 2.0 CLIENT-HELLO.', 'SSL 2.0 not offered: nothing to do.'),
  entry(
    'PLAINTEXT_ANSWER_TO_SSLV2',
    'answer',
    'A port that speaks TLS answered the SSL 2.0 CLIENT-HELLO in another protocol (HTTP): it hands what is not a TLS record to a plaintext application, as a PERMISSIVE mesh port does.',
    'SSL 2.0 not offered; the plaintext check says whether the port also takes plaintext.',
  ),
  entry('SSLV2_NO_CIPHERS', 'answer', 'The server speaks SSL 2.0 but listed no cipher kind.', 'SSL 2.0 is offered: disable it.'),
  entry('SSLV2_ERROR', 'answer', 'The server speaks SSL 2.0 but answered with an ERROR (no shared cipher).', 'SSL 2.0 is offered: disable it.'),
  // The command stopped.
  entry('EUSAGE', 'usage', 'The command line is not valid: an unknown option, a bad value, a missing argument.', 'See fipscan help COMMAND.'),
  entry('EBADTARGET', 'usage', 'A target is not HOST, HOST:PORT, [IPv6]:PORT or a URL.', 'Write targets as host:port; IPv6 in brackets.'),
  entry('EPOLICY', 'usage', 'The policy file is not a valid fipscan policy.', 'See fipscan policies show NAME --format json for a valid one.'),
  entry('EBADREPORT', 'usage', 'The report file is not a fipscan JSON report.', 'Give a report written with --format json.'),
  entry('EMERGE', 'usage', 'The reports cannot be merged (different policies, or one endpoint judged differently).', 'Merge reports of one run, made with the same policy.'),
  entry('EREADFILE', 'usage', 'A file named on the command line could not be read.', 'Check the path and its permissions.'),
  entry('EOUTPUT', 'usage', 'The --output file could not be written (exit 73).', 'Check the directory exists and is writable.'),
  entry('EK8S', 'usage', 'The Kubernetes API server could not be asked for the targets (exit 69).', 'Check the service account can list services and endpoints, or pass --k8s FILE.'),
  // Inspection.
  entry('EBADELF', 'inspect', 'Not an ELF file, or one whose headers, offsets or sizes cannot be trusted.', 'Check the path names a Linux binary or shared library.'),
  entry('EREAD', 'inspect', 'A file could not be opened or read.', 'Check the path and its permissions (--root for a mounted image).'),
  entry('ENOPROC', 'inspect', 'No such process, or its /proc entry could not be read.', 'Check the pid; another container\'s processes need shareProcessNamespace or kubectl debug --target.'),
]);

const BY_CODE: ReadonlyMap<string, ErrorInfo> = new Map(ERRORS.map((e) => [e.code, e]));

/**
 * The catalogue entry for a code: its own, or its family's (ERR_SSL_... from node:tls), or null
 * for a code the catalogue does not know (an operating-system code passed through).
 */
export function errorInfo(code: string): ErrorInfo | null {
  const own = BY_CODE.get(code);
  if (own) return own;
  if (code.startsWith('ERR_SSL_')) return BY_CODE.get('ERR_SSL_*') ?? null;
  return null;
}

/** A reason an item is inconclusive or refused: the catalogue code and the sentence that says what was seen. */
export interface Reason {
  code: string;
  text: string;
}
