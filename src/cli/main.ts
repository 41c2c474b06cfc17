/**
 * Entry of the `vaekit` executable (bin/vaekit.js imports the compiled file): runs the CLI on the process
 * arguments and exits with its code.
 *
 * @example
 * // node --import tsx src/cli/main.ts sample --model runs/x --out samples.png
 */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
