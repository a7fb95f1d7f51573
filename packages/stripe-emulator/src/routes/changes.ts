/**
 * Assigns each defined value that differs from the current one and returns the old values
 * (Stripe's `previous_attributes`), or null when nothing changed and no event is due.
 */
export function assignChanged<T extends object>(target: T, updates: { [K in keyof T]?: T[K] | undefined }): Partial<T> | null {
  const previous: Partial<T> = {};
  let changed = false;
  for (const key of Object.keys(updates) as Array<keyof T>) {
    const value = updates[key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(target[key])) continue;
    previous[key] = target[key];
    target[key] = value as T[keyof T];
    changed = true;
  }
  return changed ? previous : null;
}
