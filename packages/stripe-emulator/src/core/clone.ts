// Snapshots go through JSON rather than structuredClone: stored objects hold stripe's Decimal
// instances (their toJSON gives the wire string), and everything leaving the emulator is JSON anyway.
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
