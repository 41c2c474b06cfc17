/**
 * The `vaekit` command line: builds the commander program from the per-command files and turns every way
 * a command can end into an exit code — 0 success, 1 a user error (`vaekit: <message>`, no stack) or a bug
 * (with its stack), 2 a usage error (with the usage text), or the code of a {@link CliExit} (130 on Ctrl-C).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isVaekitError } from '../errors.js';
import { asFsError } from '../node/fsError.js';
import { registerCompare } from './compare.js';
import { registerImpute } from './impute.js';
import { registerEncode } from './encode.js';
import { registerEval } from './eval.js';
import { registerExplore } from './explore.js';
import { registerExport } from './export.js';
import { registerInterpolate } from './interpolate.js';
import { registerManifold } from './manifold.js';
import { CliExit } from './options.js';
import { registerPlotCurves } from './plotCurves.js';
import { registerPlotLatent } from './plotLatent.js';
import { registerReconstruct } from './reconstruct.js';
import { registerSample } from './sample.js';
import { registerScore } from './score.js';
import { registerTrain } from './train.js';
import { registerTraverse } from './traverse.js';

/** Exit code of usage errors (unknown flag, bad value, missing argument). */
export const USAGE_EXIT = 2;

/**
 * The program with every command. Settings made here (exitOverride, help after errors) are inherited by the
 * subcommands, which the register functions create with `.command()`.
 *
 * @example
 * await buildProgram().parseAsync(['sample', '--model', 'runs/x', '--out', 's.png'], { from: 'user' });
 */
export function buildProgram(): Command {
  const program = new Command('vaekit')
    .description('Variational autoencoders: train, evaluate and draw them from the command line')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError(true)
    .configureHelp({ showGlobalOptions: false })
    .allowExcessArguments(false);
  registerTrain(program);
  registerSample(program);
  registerReconstruct(program);
  registerEncode(program);
  registerEval(program);
  registerScore(program);
  registerManifold(program);
  registerTraverse(program);
  registerInterpolate(program);
  registerImpute(program);
  registerCompare(program);
  registerExport(program);
  registerExplore(program);
  const plot = program.command('plot').description('charts: latent means, training curves');
  registerPlotLatent(plot);
  registerPlotCurves(plot);
  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code; prints errors itself.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : USAGE_EXIT; // commander already printed it
  if (e instanceof CliExit) {
    if (e.message) process.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  const err = asFsError(e); // a file-system error that escaped a command: one line naming the path
  if (isVaekitError(err)) {
    process.stderr.write(`vaekit: ${err.message}\n`);
    return 1;
  }
  const trace = e instanceof Error ? (e.stack ?? String(e)) : String(e);
  process.stderr.write(`vaekit: internal error (a bug in vaekit; please report it with this trace):\n${trace}\n`);
  return 1;
}

/** The version in vaekit's package.json, the nearest one above this file (src/cli, dist/cli or a bundle). */
function packageVersion(): string {
  for (let up = '../'; up.length <= 4 * 3; up += '../') {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'vaekit' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
  }
  return 'unknown';
}
