/**
 * Enumeration by elimination, the heart of the minimum-probe sweep: offer every remaining
 * candidate, the server picks one, remove it, repeat until the server refuses. The same
 * engine enumerates cipher suites (the server's pick is the ServerHello's suite) and groups
 * (the pick is the HelloRetryRequest's group or the ServerKeyExchange's curve).
 *
 * A refusal must be proven. A refusal alert proves it. A stack's own way of saying no (another
 * alert, or a ServerHello followed by a close) proves it only where the step allows a control
 * hello: the same hello offering just an item known to be accepted, sent right after, and
 * answered with a pick. Anything else ambiguous climbs the fallback ladder (ladder.ts); what
 * stays ambiguous is reported inconclusive, never "not offered".
 */
import { classify, describeAnswer, type Answer, type Hello } from './answer.js';
import { climb, climbAlertPath, currentRung, sameShape, type LadderState, type Rung } from './ladder.js';
import { helloLength, probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import type { ProtocolName } from '../model/scan.js';
import type { Reason } from '../model/errors.js';

export interface EliminationConfig {
  protocol: ProtocolName;
  candidates: readonly number[];
  /** The hello offering `offer`, shaped by `rung`. */
  spec: (offer: readonly number[], rung: Rung) => HelloSpec;
  /** The item the server chose, or null if the outcome does not say. */
  pick: (o: Hello) => number | null;
  /** Items that end the enumeration when picked (already known, kept in the list on purpose). */
  terminal?: ReadonlySet<number>;
  /** Called with every accepted outcome (certificates, DH parameters, extensions) and the rung it was asked with. */
  onPicked?: (o: Hello, rung: Rung) => void;
  /** An outcome already obtained for the first offer, shaped by the ladder's current rung (the version probe). */
  first?: ProbeOutcome;
  /** Items already known to be accepted (picked by an earlier step); reported first. */
  known?: readonly number[];
  /** Checked before each probe: true ends the loop early (the result is then not complete). */
  stop?: () => boolean;
  /**
   * The part of `offer` that a refusal of its hello proves refused (default: all of it). Offered
   * items outside it stay in question and are offered again; an offer with nothing refutable is
   * reported inconclusive.
   */
  refutes?: (offer: readonly number[], rung: Rung) => readonly number[];
  /**
   * A non-refusal alert or a ServerHello cut short may be confirmed as a refusal by a control
   * hello (see the module comment). Only for group steps, whose offers differ from the control
   * by a few bytes of one list; the control is padded to the same length where the rung pads.
   */
  confirmByControl?: boolean;
  /** An optimisation pass: once something was picked, anything but a pick ends the loop (incomplete). */
  onlyPicks?: boolean;
  /** How a hello is asked (default probe(); the TLS 1.3 signature step reads the encrypted flight). */
  ask?: (spec: HelloSpec) => Promise<ProbeOutcome>;
  /**
   * An ambiguous answer leaves the rest inconclusive at once, with no retry and no climb: for a
   * step whose hellos the version's other steps have already shown the server takes.
   */
  noLadder?: boolean;
}

export interface EliminationResult {
  /** Picked items in the order the server picked them. */
  accepted: number[];
  inconclusive: number[];
  /** The first answer said the server wants a lower version. */
  lowerVersion: number | null;
  /** Every candidate was either picked or refused by a proven refusal. */
  complete: boolean;
  /** Every probe failed to connect: the endpoint is unreachable. */
  unreachable: { code: string; why: string } | null;
  /** At least one probe got a TLS answer (ServerHello or alert). */
  answered: boolean;
  violations: string[];
  /** What each answer that was not a pick showed, in order; the last one explains an inconclusive or refused version. */
  reasons: Reason[];
  /** Some picks were made from a chunk, not from every remaining candidate: their order is only chunk-wise. */
  partialOrder: boolean;
  /** The alert of the last proven refusal, if any (protocol_version says the version itself is refused). */
  refusedWith: number | null;
  /**
   * A hello of this run was answered with a pick while an item the server accepted stood before
   * it in the offer (that item picked later in this run, from a hello of the same shape): the
   * server put its own order over the client's, proven without a reversed hello.
   */
  overrodeOffer: boolean;
}

/** Runs the elimination loop with the fallback ladder. */
export function eliminate(ctx: EndpointContext, ladder: LadderState, c: EliminationConfig): Promise<EliminationResult> {
  return new Elimination(ctx, ladder, c).run();
}

type Step = 'next' | 'stop';

/** One asked hello: what it offered, on which rung, as which spec. */
interface Asked {
  offer: number[];
  rung: Rung;
  hello: HelloSpec;
}

class Elimination {
  readonly res: EliminationResult;
  #remaining: number[];
  /** The last ambiguous answer was already retried once. */
  #retried = false;
  #answers = 0;
  #connectFailures = 0;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly ladder: LadderState,
    private readonly c: EliminationConfig,
  ) {
    this.res = { accepted: [...(c.known ?? [])], inconclusive: [], lowerVersion: null, complete: true, unreachable: null, answered: false, violations: [], reasons: [], partialOrder: false, refusedWith: null, overrodeOffer: false };
    this.#remaining = [...c.candidates];
  }

  /** Every pick of this run with the hello it answered. */
  readonly #picks: { item: number; asked: Asked }[] = [];

  private ask(spec: HelloSpec): Promise<ProbeOutcome> {
    return this.c.ask ? this.c.ask(spec) : probe(this.ctx, spec);
  }

  async run(): Promise<EliminationResult> {
    const res = await this.loop();
    res.overrodeOffer = this.overrodeOffer();
    return res;
  }

  /** Whether some pick passed over an item this run later saw picked from a hello of the same shape. */
  private overrodeOffer(): boolean {
    const shapeOf = new Map(this.#picks.map((p) => [p.item, p.asked.rung]));
    return this.#picks.some(({ item, asked }) => {
      const before = asked.offer.slice(0, asked.offer.indexOf(item));
      return before.some((x) => {
        const rung = shapeOf.get(x);
        return rung !== undefined && sameShape(rung, asked.rung);
      });
    });
  }

  private async loop(): Promise<EliminationResult> {
    let first = this.c.first;
    while (this.#remaining.length > 0) {
      if (this.c.stop?.()) return this.incomplete();
      const rung = currentRung(this.ladder);
      const offer = chunk(this.#remaining, rung, (o) => helloLength(this.ctx, this.c.spec(o, rung)));
      if (first === undefined && this.c.refutes !== undefined && this.c.refutes(offer, rung).length === 0) {
        // Nothing a refusal could prove (no key share can be sent for any of it): no probe.
        this.refuse(offer, []);
        continue;
      }
      const asked: Asked = { offer, rung, hello: this.c.spec(offer, rung) };
      // `first` was asked with this loop's first offer at the rung the ladder is on when it starts.
      const outcome = first ?? (await this.ask(asked.hello));
      first = undefined;
      const answer = classify(this.c.protocol, outcome, this.c.pick);
      this.#answers++;
      if (answer.type !== 'unreachable' && answer.type !== 'ambiguous') this.res.answered = true;
      if (this.c.onlyPicks === true && this.res.accepted.length > 0 && answer.type !== 'picked') return this.incomplete();
      if ((await this.handle(answer, asked)) === 'stop') break;
    }
    return this.res;
  }

  private handle(answer: Answer, asked: Asked): Step | Promise<Step> {
    switch (answer.type) {
      case 'picked':
        return this.picked(answer, asked);
      case 'refused':
        this.#retried = false;
        this.res.refusedWith = answer.alert;
        this.res.reasons.push({ code: 'REFUSED_ALERT', text: `alert ${answer.alert}` });
        this.refuse(asked.offer, this.c.refutes?.(asked.offer, asked.rung));
        return 'next';
      case 'odd-alert':
        return this.oddAlert(answer, asked);
      case 'no-choice':
        return this.noChoice(answer, asked);
      case 'lower-version':
        return this.lowerVersion(answer.version);
      case 'violation':
        this.res.violations.push(`${this.c.protocol}: ${answer.why}`);
        return this.giveUp();
      case 'unreachable':
        return this.unreachable(answer);
      case 'ambiguous':
        return this.ambiguous({ code: answer.code, text: answer.why }, asked.offer);
    }
  }

  private picked(answer: Extract<Answer, { type: 'picked' }>, asked: Asked): Step {
    this.#retried = false;
    const terminal = this.c.terminal?.has(answer.item) === true;
    if (!asked.offer.includes(answer.item) && !terminal) {
      this.res.violations.push(`${this.c.protocol}: server picked 0x${answer.item.toString(16).padStart(4, '0')}, which was not offered as a ${this.c.protocol} candidate`);
      return this.giveUp();
    }
    this.c.onPicked?.(answer.outcome, asked.rung);
    if (asked.offer.length < this.#remaining.length) this.res.partialOrder = true;
    // A terminal item picked again: the server takes it over everything still on offer.
    if (terminal && this.res.accepted.includes(answer.item)) return 'stop';
    this.res.accepted.push(answer.item);
    this.#picks.push({ item: answer.item, asked });
    this.#remaining = this.#remaining.filter((x) => x !== answer.item);
    return 'next';
  }

  /** A non-refusal alert: a refusal if a control hello says so, else the alert path; its last rung's alert is a refusal. */
  private async oddAlert(answer: Extract<Answer, { type: 'odd-alert' }>, asked: Asked): Promise<Step> {
    if (await this.confirmedByControl(`alert ${answer.alert}`, asked)) return 'next';
    if (climbAlertPath(this.ladder, this.#remaining.length)) {
      this.res.reasons.push({ code: 'EODD_ALERT', text: `alert ${answer.alert}` });
      return 'next';
    }
    // The same kind of answer to the plainest hello: a refusal of this offer.
    this.res.reasons.push({ code: 'REFUSED_ALERT', text: `alert ${answer.alert} to the plain hello as well` });
    this.#retried = false;
    this.refuse(asked.offer, this.c.refutes?.(asked.offer, asked.rung));
    return 'next';
  }

  private async noChoice(answer: Extract<Answer, { type: 'no-choice' }>, asked: Asked): Promise<Step> {
    if (await this.confirmedByControl(answer.why, asked)) return 'next';
    return this.ambiguous({ code: 'ENO_CHOICE', text: answer.why }, asked.offer);
  }

  /**
   * The same hello offering only an item already accepted, padded to the same length, right
   * after a non-standard "no": when the server picks from it, the hello's shape and the server's
   * state were fine, so what it objected to was the offer. Recorded as the 'control-hello' workaround.
   */
  private async confirmedByControl(why: string, asked: Asked): Promise<boolean> {
    const known = this.res.accepted[0];
    if (this.c.confirmByControl !== true || known === undefined) return false;
    const control: HelloSpec = { ...this.c.spec([known], asked.rung), padTo: helloLength(this.ctx, asked.hello) };
    const answer = classify(this.c.protocol, await this.ask(control), this.c.pick);
    if (answer.type !== 'picked' || (answer.item !== known && this.c.terminal?.has(answer.item) !== true)) {
      this.res.reasons.push({ code: 'ECONTROL_REFUSED', text: `${why}; a control hello offering only 0x${known.toString(16).padStart(4, '0')} got ${describeAnswer(answer)} too` });
      return false;
    }
    this.#retried = false;
    this.ladder.workarounds.add('control-hello');
    this.res.reasons.push({ code: 'REFUSED_CONTROL', text: `${why}, while the same hello offering only 0x${known.toString(16).padStart(4, '0')} was answered right after` });
    this.refuse(asked.offer, this.c.refutes?.(asked.offer, asked.rung));
    return true;
  }

  private lowerVersion(version: number): Step {
    if (this.res.accepted.length === 0 && this.#answers === 1) {
      this.res.lowerVersion = version;
      this.res.answered = true;
      return 'stop';
    }
    this.res.violations.push(`${this.c.protocol}: server switched to version 0x${version.toString(16)} mid-enumeration`);
    return this.giveUp();
  }

  private unreachable(answer: Extract<Answer, { type: 'unreachable' }>): Step {
    this.#connectFailures++;
    // One more try: a refused connection under load is not a verdict.
    if (answer.code !== 'EABORTED' && this.#connectFailures < 2) return 'next';
    if (!this.res.answered) this.res.unreachable = { code: answer.code, why: answer.why };
    this.res.reasons.push({ code: answer.code, text: answer.why });
    return this.giveUp();
  }

  /** Retry once, then climb the ladder; at the top, give up on this offer. */
  private ambiguous(reason: Reason, offer: readonly number[]): Step {
    this.res.reasons.push(reason);
    if (this.c.noLadder === true) return this.giveUp();
    if (!this.#retried) {
      this.#retried = true;
      this.ladder.workarounds.add('retry');
      return 'next';
    }
    if (climb(this.ladder, this.#remaining.length)) {
      this.#retried = true; // the retry was spent; the next ambiguity climbs again
      return 'next';
    }
    this.res.inconclusive.push(...offer);
    this.res.complete = false;
    this.#remaining = this.#remaining.filter((x) => !offer.includes(x));
    this.#retried = false;
    return 'next';
  }

  /** Everything still in question stays inconclusive. */
  private giveUp(): Step {
    this.res.inconclusive.push(...this.#remaining);
    this.res.complete = false;
    return 'stop';
  }

  private incomplete(): EliminationResult {
    this.res.complete = false;
    return this.res;
  }

  /**
   * The candidates left after a refusal of `offer`: the refuted part goes; with nothing refutable,
   * the whole offer goes as inconclusive, so that the loop always moves on.
   */
  private refuse(offer: readonly number[], refuted: readonly number[] = offer): void {
    const gone = offer.filter((x) => refuted.includes(x));
    if (gone.length === 0) {
      this.res.inconclusive.push(...offer);
      this.res.complete = false;
      this.res.reasons.push({ code: 'ENO_KEY_SHARE', text: 'a refusal of a hello that proves nothing about what it offered (no key share could be sent for it)' });
      this.#remaining = this.#remaining.filter((x) => !offer.includes(x));
      return;
    }
    this.#remaining = this.#remaining.filter((x) => !gone.includes(x));
  }
}

/** The first chunk of `remaining` for this rung; small rungs shrink it until the hello is <= 255 bytes. */
function chunk(remaining: readonly number[], rung: Rung, measure: (o: readonly number[]) => number): number[] {
  let n = Math.min(remaining.length, rung.maxItems);
  if (rung.small) {
    while (n > 4 && measure(remaining.slice(0, n)) > 255) n -= 2;
  }
  return remaining.slice(0, n);
}
