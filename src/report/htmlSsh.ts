/**
 * The evidence of an SSH endpoint in the HTML report: the server's identification line and its
 * parts, then one table per KEXINIT category in the server's order (key exchange, host keys,
 * ciphers, MACs, compression), each name with the policy's word on it; a category whose
 * directions differ gets a table per direction. Markers and compression are marked neutral:
 * never judged. Last, the KEXINIT as the server sent it, in hex, folded: the evidence every list
 * was read from.
 */
import type { JsonSsh, JsonSshAlgorithm, JsonSshDirections } from './sshJson.js';
import { jsonSshMark } from './sshJson.js';
import { SSH_CATEGORIES, type SshCategoryInfo } from './sshNames.js';
import { html, type Html } from './htmlEscape.js';
import { kv, mark, plural, table } from './htmlParts.js';

/** A name's mark with the policy's word, or neutral with why it is not judged. */
function policyMark(a: JsonSshAlgorithm): Html {
  switch (jsonSshMark(a)) {
    case 'allow':
      return mark('allowed');
    case 'warn':
      return mark('warned');
    case 'deny':
      return mark('denied');
    case 'marker':
      return mark('neutral', 'marker, not judged');
    case 'not-judged':
      return mark('neutral', 'not judged');
  }
}

function namesTable(caption: string, names: readonly JsonSshAlgorithm[]): Html {
  const rows = names.map((a, i) => html`<tr><td class="num">${i + 1}</td><td class="name">${a.name}</td><td>${policyMark(a)}</td></tr>`);
  if (rows.length === 0) rows.push(html`<tr><td></td><td colspan="2" class="muted">none offered</td></tr>`);
  return table(caption, ['#', 'algorithm', 'policy'], rows, 'ssh');
}

/** One category: a table, or one per direction when they differ. */
function category(ssh: JsonSsh, c: SshCategoryInfo): Html {
  const lists = ssh[c.key];
  if (Array.isArray(lists)) return namesTable(`${c.title}, in the server's order`, lists);
  if (lists.symmetric) return namesTable(`${c.title}, both directions, in the server's order`, lists.clientToServer);
  return html`${namesTable(`${c.title}, client to server, in the server's order`, lists.clientToServer)}${namesTable(`${c.title}, server to client, in the server's order`, lists.serverToClient)}`;
}

/** The identification line and what the server said before it. */
function identification(ssh: JsonSsh): Html {
  const rows: [string, Html | string][] = [
    ['identification', html`<code>${ssh.identification}</code>`],
    ['protocol version', ssh.protoVersion],
    ['software', ssh.software],
    ['comments', ssh.comments ?? html`<span class="muted">none</span>`],
  ];
  if (ssh.preamble.length > 0) rows.push(['lines before it', html`${ssh.preamble.map((line) => html`<span class="item">${line}</span>`)}`]);
  rows.push(['first KEX packet follows', ssh.firstKexPacketFollows ? 'yes' : 'no']);
  return html`<h4>SSH server</h4>${kv(rows)}`;
}

/** The KEXINIT payload as sent, folded. */
function kexinit(ssh: JsonSsh): Html {
  return html`<details class="kexinit"><summary>KEXINIT as the server sent it (${plural(ssh.kexinitHex.length / 2, 'byte')}, hex)</summary><code class="hash">${ssh.kexinitHex}</code></details>`;
}

/** The evidence of an SSH endpoint, in reading order. */
export function renderSshEvidence(ssh: JsonSsh): Html {
  return html`${identification(ssh)}${SSH_CATEGORIES.map((c) => category(ssh, c))}${kexinit(ssh)}`;
}

/** A one-line account of the offer, for the summary of its <details>. */
export function sshEvidenceSummary(ssh: JsonSsh): string {
  const judged = (list: readonly JsonSshAlgorithm[]) => list.filter((a) => a.marker !== true).length;
  const union = (d: JsonSshDirections) => new Set([...d.clientToServer, ...d.serverToClient].map((a) => a.name)).size;
  return `${ssh.software}; ${plural(judged(ssh.kex), 'key exchange')}, ${plural(ssh.hostKey.length, 'host key')}, ${plural(union(ssh.cipher), 'cipher')}, ${plural(union(ssh.mac), 'MAC')}`;
}
