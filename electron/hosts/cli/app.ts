/** Commands about the app itself: the browser host. */
import { startWebHost } from '../web';
import { createService } from '../../core/service';
import { UsageError, type CliCommand } from './types';

export const appCommands: CliCommand[] = [
  {
    name: 'serve',
    usage: '[--port PORT]',
    summary: 'Serve the Postroom window in your browser, on 127.0.0.1 only.',
    details: 'The first line printed is the address to open, with a one-time token. Stop with Ctrl+C.',
    options: { port: { type: 'string' } },
    async run(ctx) {
      const port = ctx.values.port === undefined ? 0 : Number(ctx.values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${String(ctx.values.port)}".`);
      const service = createService({ dataDir: ctx.dataDir, host: 'browser' });
      service.tasks.start(); // the engine (and whatever else runs on its own), as the desktop app does
      const host = await startWebHost({ service, port });
      ctx.io.out(`Postroom is running at ${host.url}`);
      ctx.io.out(`Data folder: ${ctx.dataDir}. Press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        if (ctx.io.stopSignal.aborted) resolve();
        ctx.io.stopSignal.addEventListener('abort', () => resolve(), { once: true });
      });
      await host.close();
      await service.close();
      return 0;
    },
  },
];
