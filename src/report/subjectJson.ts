/**
 * An inspected subject (host, binary, process) as JSON: the `subjects[]` entry of a
 * `fipscan-inspect/v1` document and the `workloads[].process` of a `fipscan/v1` scan report.
 * Kept apart from the inspect table so the JSON writers do not load the table code.
 */
import { subjectVerdict, type CheckStatus, type Subject, type SubjectVerdict } from '../model/inspect.js';

export interface JsonInspectCheck {
  id: string;
  subject: string;
  status: CheckStatus;
  message: string;
  evidence: { source: string; detail: string }[];
}

export interface JsonInspectSubject {
  kind: Subject['kind'];
  name: string;
  path: string | null;
  pid: number | null;
  verdict: SubjectVerdict;
  error: { code: string; message: string } | null;
  facts: { name: string; value: string }[];
  checks: JsonInspectCheck[];
}

/** One subject as a `subjects[]` entry (also a scan report's `workloads[].process`). */
export function toJsonSubject(s: Subject): JsonInspectSubject {
  return {
    kind: s.kind, name: s.name, path: s.path, pid: s.pid, verdict: subjectVerdict(s), error: s.error,
    facts: s.facts.map((f) => ({ name: f.name, value: f.value })),
    checks: s.checks.map((c) => ({ id: c.id, subject: c.subject, status: c.status, message: c.message, evidence: c.evidence.map((e) => ({ source: e.source, detail: e.detail })) })),
  };
}

