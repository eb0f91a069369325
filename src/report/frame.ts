/**
 * A report cut into its endpoint entries and the text around them, so that a fleet scan can
 * write each endpoint's entry as soon as it is judged and the rest (whose counts need every
 * endpoint) at the end, without the run's reports in memory: json (json.ts renderJsonFrame has
 * this shape), junit and the table render their frames here, and their whole-run renderers are
 * `joinFrame` of the same pieces, so a streamed report is the very bytes of a rendered one.
 */

/** The text of a report around its endpoint entries. */
export interface ReportFrame {
  /** The whole report when it has no endpoints. */
  empty: string;
  /** Everything before the first entry. */
  open: string;
  /** Between two entries. */
  separator: string;
  /** After the last entry, to the end of the report. */
  close: string;
}

/** The report made of `frame` and `entries` (in order), as it is written piece by piece. */
export function joinFrame(frame: ReportFrame, entries: readonly string[]): string {
  return entries.length === 0 ? frame.empty : `${frame.open}${entries.join(frame.separator)}${frame.close}`;
}
