/**
 * Scans one SSH endpoint (`ssh://host[:port]`): one connection reads the server's identification
 * line and its KEXINIT (probe/ssh.ts), which lists every key exchange, host key, cipher, MAC and
 * compression algorithm it offers, in its order (RFC 4253 §7.1). Nothing is negotiated, so one
 * probe proves the whole offer; the policy judges it like a TLS endpoint's suites.
 */
import type { ScanResult, SshFindings } from '../model/scan.js';
import { TOOL_VERSION } from '../model/tool.js';
import { hex } from '../wire/bytes.js';
import { connection, type EndpointContext } from './probe.js';
import { probeSsh, type SshProbeOutcome } from './ssh.js';

type Offer = Extract<SshProbeOutcome, { kind: 'kexinit' }>;

/** The KEXINIT's lists as the result model holds them. */
function sshFindings(o: Offer): SshFindings {
  const l = o.kexinit.lists;
  return {
    identification: o.identification.line,
    protoVersion: o.identification.protoVersion,
    software: o.identification.softwareVersion,
    comments: o.identification.comments,
    preamble: o.preamble,
    kex: [...l.kexAlgorithms],
    hostKey: [...l.serverHostKeyAlgorithms],
    cipher: { clientToServer: [...l.encryptionClientToServer], serverToClient: [...l.encryptionServerToClient] },
    mac: { clientToServer: [...l.macClientToServer], serverToClient: [...l.macServerToClient] },
    compression: { clientToServer: [...l.compressionClientToServer], serverToClient: [...l.compressionServerToClient] },
    firstKexPacketFollows: o.kexinit.firstKexPacketFollows,
    kexinitHex: hex(o.payload),
  };
}

/** Reads the server's offer into `result` (its `ssh`, or the `error` that says why it could not). */
export async function scanSsh(ctx: EndpointContext, result: ScanResult): Promise<void> {
  const { address, port, preamble } = connection(ctx);
  ctx.probes++;
  const outcome = await probeSsh({ address, port, preamble, timeoutMs: ctx.timeoutMs, signal: ctx.signal, clientVersion: TOOL_VERSION });
  if (outcome.kind === 'kexinit') {
    result.ssh = sshFindings(outcome);
    return;
  }
  result.ssh = null;
  result.error = { code: outcome.error.code, message: outcome.error.message, ...(outcome.otherProtocol ? { protocol: outcome.otherProtocol } : {}) };
}
