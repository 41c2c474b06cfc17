/** `vaekit export`: encoder.onnx and decoder.onnx for any ONNX runtime. */
import path from 'node:path';
import { type Command } from 'commander';
import { DECODER_FILE, ENCODER_FILE, exportOnnx } from '../io/exportOnnx.js';
import { loadModelDir } from '../node/modelDir.js';
import { addJsonOption } from './options.js';
import { print, printJson, writeOutput } from './output.js';

interface ExportFlags {
  model: string;
  out?: string;
  json?: boolean;
}

/**
 * Adds `vaekit export --model DIR [--out DIR]` (default: the model directory).
 *
 * @example
 * registerExport(program);
 */
export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description(`write ${ENCODER_FILE} (x -> mu, logvar) and ${DECODER_FILE} (z -> mean, likelihood parameters): weights inside, batch dimension "batch", config.json in the metadata`)
    .requiredOption('--model <dir>', 'model directory (config.json + weights.safetensors)')
    .option('--out <dir>', 'output directory (default: the model directory)');
  addJsonOption(cmd).action((o: ExportFlags) => exportCommand(o));
}

function exportCommand(o: ExportFlags): void {
  const { encoder, decoder } = exportOnnx(loadModelDir(o.model));
  const dir = o.out ?? o.model;
  const files = { encoder: path.join(dir, ENCODER_FILE), decoder: path.join(dir, DECODER_FILE) };
  writeOutput(files.encoder, encoder);
  writeOutput(files.decoder, decoder);
  if (o.json) printJson({ ...files, encoderBytes: encoder.length, decoderBytes: decoder.length });
  else print(`wrote ${files.encoder} (${encoder.length} bytes) and ${files.decoder} (${decoder.length} bytes)`);
}
