import { useSearchParams } from 'react-router';
import type { z } from 'zod';

type Filter<S extends Record<string, z.ZodType>> = { [K in keyof S]?: z.output<S[K]> };

/**
 * A list's filter kept in the URL's query string, so a reload or a shared link shows the same list.
 * Each value is checked with the field's schema from the list's own input contract: a value it
 * refuses (an edited URL, say) is left out rather than sent.
 */
export function useUrlFilter<S extends Record<string, z.ZodType>>(fields: S): [Filter<S>, (key: keyof S & string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const filter: Filter<S> = {};
  for (const key of Object.keys(fields) as Array<keyof S & string>) {
    const raw = params.get(key);
    if (!raw) continue;
    const parsed = fields[key]!.safeParse(raw);
    if (parsed.success) filter[key] = parsed.data as z.output<S[typeof key]>;
  }
  const setField = (key: keyof S & string, value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  return [filter, setField];
}
