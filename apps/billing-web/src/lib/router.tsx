import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny History API router: three pages do not need a routing library.
 * Paths inside the app are written without the base ("/plans"); the base
 * ("/billing", Vite's `base`) is added to hrefs and stripped from location.
 */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function href(to: string): string {
  return `${BASE}${to === '/' ? '' : to}` || '/';
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = href(to);
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

export interface Location {
  /** Path inside the app: "/", "/plans", "/checkout/success". */
  path: string;
  query: URLSearchParams;
}

export function parseLocation(full: string): Location {
  const url = new URL(full, 'http://x');
  let path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  path = `/${path.replace(/^\/+|\/+$/g, '')}`;
  return { path, query: url.searchParams };
}

export function useLocation(): Location {
  const full = useSyncExternalStore(subscribe, snapshot, snapshot);
  return parseLocation(full);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An in-app link: a real <a href> (open in new tab works), navigated without a reload. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handle} {...rest} />;
}
