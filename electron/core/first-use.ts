/**
 * A package loaded the first time it is used rather than when the module naming it is loaded: a command line
 * command that never lays out a template doesn't pay for juice, Markdown and html-to-text (together about a third
 * of a second of start-up on a 2-core machine).
 */
import { createRequire } from 'node:module';

const load = createRequire(__filename);

/** Returns a getter for package `id`; the package is required on the getter's first call. */
export function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(id) as T);
}
