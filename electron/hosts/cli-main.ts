/** The bundled entry point of the command line (dist/cli.cjs), started by bin/postroom.js. */
import { main } from './cli';

void main();
