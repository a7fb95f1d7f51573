/** One path segment from a caller-supplied id: encoded, and rejected when no URL could carry it. */
export function pathSegment(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
  }
  // URL parsers resolve "." and ".." (even percent-encoded) as dot segments: the request would reach another route.
  if (value === '.' || value === '..') throw new TypeError(`${name} cannot be "${value}"`);
  return encodeURIComponent(value);
}
