/**
 * The plaintext check of a TLS port: one more connection sends a plaintext request (an HTTP/1.1
 * GET, or the HTTP/2 preface where the port declares gRPC or h2c) and reads what comes back. A
 * TLS-only port closes, resets or answers with a TLS alert; a port that also takes plaintext
 * (Istio's PERMISSIVE mode, a server multiplexing HTTP and HTTPS) answers as an application.
 * What the bytes mean is wire/foreign.ts's `plaintextAnswer`; this module only asks.
 */
import type { PlaintextFinding } from '../model/scan.js';
import { TOOL_VERSION } from '../model/tool.js';
import { concat } from '../wire/bytes.js';
import { H2_PREFACE, plaintextAnswer, plaintextHttpRequest, type PlaintextAnswer } from '../wire/foreign.js';
import { connection, type EndpointContext } from './probe.js';
import { exchange, ProbeError, type ExchangeEnd } from './transport.js';

/** Bytes read of a plaintext answer: a status line, headers and the start of a body. */
const PLAINTEXT_BYTES = 4096;

/** appProtocols and port names (Istio's, Kubernetes') whose clients speak HTTP/2 from the first byte. */
const H2_PROTOCOLS = /^(grpc|grpc-web|h2c|http2|kubernetes\.io\/h2c)(-|$)/i;

/** Whether a port declared as `appProtocol` (or named so) is asked with the HTTP/2 preface. */
function speaksH2(appProtocol: string | undefined): boolean {
  return appProtocol !== undefined && H2_PROTOCOLS.test(appProtocol);
}

/** The finding of a connection that ended with no answer to read. */
function unanswered(sent: PlaintextFinding['sent'], end: Exclude<ExchangeEnd, { how: 'decided' }>, timeoutMs: number): PlaintextFinding {
  // Silence until the timeout proves nothing; a close or a reset is a refusal.
  if (end.how === 'timeout') return { accepted: null, sent, protocol: null, evidence: `no answer within ${timeoutMs} ms` };
  return { accepted: false, sent, protocol: null, evidence: `closed the connection without an answer (${end.error.code})` };
}

/** Sends a plaintext request to a TLS port and reports whether an application answered it. */
export function plaintextCheck(ctx: EndpointContext, appProtocol?: string): Promise<PlaintextFinding> {
  const h2 = speaksH2(appProtocol);
  const sent = h2 ? 'HTTP/2' : 'HTTP/1.1';
  const payload = h2 ? H2_PREFACE : plaintextHttpRequest(ctx.sni ?? ctx.address, `fipscan/${TOOL_VERSION}`);
  let bytes: Uint8Array = new Uint8Array(0);
  let answer: PlaintextAnswer | null = null;
  const take = (chunk: Uint8Array): boolean => {
    bytes = concat([bytes, chunk]).subarray(0, PLAINTEXT_BYTES);
    answer = plaintextAnswer(bytes, bytes.length >= PLAINTEXT_BYTES);
    return answer !== null;
  };
  return ctx.limit(async () => {
    ctx.probes++;
    let end: ExchangeEnd;
    try {
      end = await exchange({ ...connection(ctx), timeoutMs: ctx.timeoutMs, maxBytes: PLAINTEXT_BYTES, signal: ctx.signal }, payload, take);
    } catch (err) {
      return { accepted: null, sent, protocol: null, evidence: `no connection: ${err instanceof ProbeError ? err.code : String(err)}` };
    }
    const found = answer ?? plaintextAnswer(bytes, true);
    if (found) return { accepted: found.accepted, sent, protocol: found.protocol, evidence: found.evidence };
    return end.how === 'decided' ? { accepted: null, sent, protocol: null, evidence: 'no answer' } : unanswered(sent, end, ctx.timeoutMs);
  });
}
