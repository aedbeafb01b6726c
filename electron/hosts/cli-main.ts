/**
 * The bundled entry point of the command line (dist/cli.cjs), started by bin/postroom.js. Command modules are
 * loaded when their command runs; the help and the argument checks come from dist/cli-commands.json beside it.
 */
import { main } from './cli';
import { builtTable } from './cli/table';

void main(builtTable(__dirname));
