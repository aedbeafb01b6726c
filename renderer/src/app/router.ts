/**
 * A small hash router: `#/recipients/lists/12?q=anna` → path ['recipients','lists','12'], query {q:'anna'}.
 * Hash routes work the same under app:// and `postroom serve`, and survive a reload.
 */
import { useSyncExternalStore } from 'react';

export interface Route {
  path: string[];
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [p = '', q = ''] = raw.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

let cachedHash: string | undefined;
let cachedRoute: Route = parse('');
function snapshot(): Route {
  if (location.hash !== cachedHash) {
    cachedHash = location.hash;
    cachedRoute = parse(location.hash);
  }
  return cachedRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

/** `href('recipients', 'lists', 12)` → `#/recipients/lists/12` */
export function href(...parts: Array<string | number>): string {
  return '#/' + parts.map((p) => encodeURIComponent(String(p))).join('/');
}

export function navigate(to: string): void {
  location.hash = to.startsWith('#') ? to : href(...to.split('/').filter(Boolean));
}
