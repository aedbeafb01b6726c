/** The `never` check of an exhaustive `switch`: a new state or kind fails to compile wherever it is not handled. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled case: ${String(x)}`);
}
