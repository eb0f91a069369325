/**
 * How code outside the registry names an entry: by its IANA name, looked up once at module load,
 * so that a misspelt name fails when the module loads rather than sending a wrong codepoint.
 */

/** A function from an entry's name to its codepoint; an unknown name throws (a programming error). */
export function idByName<T extends { readonly id: number }>(entries: readonly T[], nameOf: (entry: T) => string, what: string): (name: string) => number {
  const byName: ReadonlyMap<string, number> = new Map(entries.map((e) => [nameOf(e), e.id]));
  return (name) => {
    const id = byName.get(name);
    if (id === undefined) throw new RangeError(`unknown ${what} name ${JSON.stringify(name)}`);
    return id;
  };
}
