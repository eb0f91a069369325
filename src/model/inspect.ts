/**
 * What an inspection produces: subjects (the host, a binary, a running process), each with
 * facts (what was found: Go version, linked libraries) and checks (a judgement with the
 * evidence behind it). Plain data, shared by the inspectors, the report and the CLI.
 */

/**
 * `n/a`: the check does not apply (a C program has no Go build settings). `info`: not a
 * judgement, something to know (a non-FIPS kernel that nothing here requires). Only `fail`
 * makes a subject fail.
 */
export type CheckStatus = 'ok' | 'fail' | 'n/a' | 'info';

/** One piece of evidence: where it was found and what it says. */
export interface Evidence {
  /** The file and line, the ELF section, or the file offset: `etc/ssl/openssl.cnf:12`, `.symtab`. */
  source: string;
  /** The symbol, build setting, line or string found there. */
  detail: string;
}

export interface Check {
  /** Stable identifier, e.g. `go.boringcrypto`, `kernel.fips`. */
  id: string;
  /** What was judged: a path, `pid 42`, or the host root. */
  subject: string;
  status: CheckStatus;
  evidence: Evidence[];
  /** One sentence saying what the status means for this subject. */
  message: string;
}

export interface Fact {
  name: string;
  value: string;
}

export type SubjectKind = 'host' | 'binary' | 'process';

export interface Subject {
  kind: SubjectKind;
  /** `host /`, the binary's path, or `pid 42 (/usr/bin/envoy)`. */
  name: string;
  /** The file inspected (the binary, the process's executable); null for the host. */
  path: string | null;
  pid: number | null;
  facts: Fact[];
  checks: Check[];
  /** Set when the subject could not be inspected at all; its checks are then empty. */
  error: { code: string; message: string } | null;
}

export type SubjectVerdict = 'pass' | 'fail' | 'error';

/** fail beats error beats pass: a subject with a failed check fails even if another part erred. */
export function subjectVerdict(subject: Subject): SubjectVerdict {
  if (subject.checks.some((c) => c.status === 'fail')) return 'fail';
  if (subject.error) return 'error';
  return 'pass';
}

export interface InspectRun {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  subjects: Subject[];
}

/** A check from its parts; `evidence` defaults to none. */
export function check(id: string, subject: string, status: CheckStatus, message: string, evidence: Evidence[] = []): Check {
  return { id, subject, status, evidence, message };
}
