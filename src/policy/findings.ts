/**
 * The findings of one evaluation: violations, warnings and inconclusive items, deduplicated and
 * kept in the order found, and the verdict they add up to. A violation fails; otherwise anything
 * inconclusive (or a scan error) is 'error', because an endpoint that could not be fully scanned
 * is never passed.
 */
import type { ProtocolName, ScanError } from '../model/scan.js';
import type { Evaluation, RuleId, Violation } from '../model/verdict.js';
import type { Policy } from './types.js';

/** Cap on the items an EINCONCLUSIVE message names before "and N more". */
const INCONCLUSIVE_NAMED = 8;

/** The findings of one evaluation, deduplicated, in the order found. */
export class Findings {
  readonly violations: Violation[] = [];
  readonly warnings: Violation[] = [];
  readonly inconclusive: Violation[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly policy: Policy) {}

  violation(rule: RuleId, protocol: ProtocolName | null, item: string | null, message: string): void {
    this.add(this.violations, { rule, protocol, item, message, source: this.policy.sources[rule] });
  }

  warning(rule: RuleId, protocol: ProtocolName | null, item: string | null, message: string): void {
    this.add(this.warnings, { rule, protocol, item, message, source: this.policy.sources[rule] });
  }

  /** Something the policy judges that the scan could not prove; `code` says why (model/errors.ts). */
  unproven(protocol: ProtocolName | null, item: string, message: string, code: string): void {
    this.add(this.inconclusive, { rule: 'inconclusive', protocol, item, message, source: this.policy.sources.inconclusive, code });
  }

  private add(list: Violation[], v: Violation): void {
    const key = JSON.stringify([list === this.violations, list === this.warnings, v]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push(v);
  }

  evaluation(scanError: ScanError | null): Evaluation {
    const { violations, warnings } = this;
    // A failed scan explains its own gaps; listing each of them again would only be noise.
    if (scanError !== null) return { verdict: 'error', error: scanError, violations, warnings, inconclusive: [] };
    const inconclusive = this.inconclusive;
    if (violations.length > 0) return { verdict: 'fail', error: null, violations, warnings, inconclusive };
    if (inconclusive.length > 0) {
      const named = inconclusive.slice(0, INCONCLUSIVE_NAMED).map((v) => v.item ?? v.message);
      const more = inconclusive.length > INCONCLUSIVE_NAMED ? ` and ${inconclusive.length - INCONCLUSIVE_NAMED} more` : '';
      const message = `The scan could not prove compliance with ${this.policy.id}: ${named.join(', ')}${more} could not be judged.`;
      return { verdict: 'error', error: { code: 'EINCONCLUSIVE', message }, violations, warnings, inconclusive };
    }
    return { verdict: 'pass', error: null, violations, warnings, inconclusive };
  }
}
