/** The import worker's script, as the build made it (see ../worker-files.ts); undefined: import on the calling thread. */
import { builtWorkerFile } from '../worker-files';

export function importWorkerFile(): Promise<string | undefined> {
  return Promise.resolve(builtWorkerFile('import-worker') ?? undefined);
}
