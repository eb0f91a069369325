/**
 * The sections of one SSH endpoint in the terminal report: the header naming the server's
 * identification line, then one section per KEXINIT category in the server's order (key
 * exchange, host keys, ciphers, MACs, compression), each name with its mark as the Groups
 * section shows groups, then the verdict with every violation and warning. Cipher, MAC and
 * compression lists take one line when both directions offer the same, else a client→server
 * and a server→client line. Markers and compression are shown neutral: never judged.
 */
import type { SshFindings } from '../model/scan.js';
import type { EndpointReport } from './model.js';
import { sanitize } from './sanitize.js';
import { SSH_CATEGORIES, directionsOf, sameBothWays, sshNameMark, type SshCategoryInfo } from './sshNames.js';
import { BODY, SECTION, header, labelledFlow, mark, verdict, type SectionContext } from './tableParts.js';
import { flow, truncateMiddle } from './text.js';

const DIRECTION_WIDTH = 15;
const MARKER = ' (marker)';

/** One name with its mark, cut to fit a line after `indent` columns. */
function markedName(name: string, category: SshCategoryInfo, ctx: SectionContext, indent: number): string {
  const kind = sshNameMark(ctx.policy.ssh, category, name);
  const suffix = kind === 'marker' ? MARKER : '';
  const room = Math.max(8, ctx.width - indent - 2 - suffix.length);
  return `${mark(kind === 'marker' ? 'not-judged' : kind, ctx.paint)} ${truncateMiddle(sanitize(name), room)}${suffix}`;
}

/** One category: a line of marked names, or one per direction when the directions differ. */
function categorySection(ssh: SshFindings, category: SshCategoryInfo, ctx: SectionContext): string[] {
  const d = directionsOf(ssh, category.key);
  const names = (list: readonly string[], indent: number) => list.map((n) => markedName(n, category, ctx, indent));
  const shown = (list: readonly string[], indent: number) => (list.length === 0 ? ['none'] : names(list, indent));
  if (sameBothWays(d)) return [`${SECTION}${category.title}`, ...flow(shown(d.clientToServer, BODY.length), ctx.width, BODY, '  ')];
  const indent = BODY.length + DIRECTION_WIDTH;
  return [
    `${SECTION}${category.title}`,
    ...labelledFlow('client→server', DIRECTION_WIDTH, shown(d.clientToServer, indent), ctx.width),
    ...labelledFlow('server→client', DIRECTION_WIDTH, shown(d.serverToClient, indent), ctx.width),
  ];
}

/** Every section of an SSH endpoint; one whose offer could not be read gets only its header and verdict. */
export function sshSections(endpoint: EndpointReport, ctx: SectionContext): string[] {
  const { result } = endpoint;
  const ssh = result.ssh;
  if (!ssh) return [...header(result, ctx), '', ...verdict(endpoint, ctx)];
  const blocks = [...SSH_CATEGORIES.map((c) => categorySection(ssh, c, ctx)), verdict(endpoint, ctx)];
  return [...header(result, ctx), ...blocks.flatMap((b) => ['', ...b])];
}
