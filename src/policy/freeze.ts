/**
 * Policies are frozen all the way down, built-in and parsed alike: one policy object is shared
 * by every endpoint's evaluation and by the report that names it (and its digest), so nothing
 * along the way may change the rules a verdict was judged by.
 */

/** Freezes `value` and everything reachable from it; returns it, for use in an initializer. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
