import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { CONFIG_FILE, WEIGHTS_FILE } from '../io/modelFiles.js';

/** Options for {@link startExplorerServer}. */
export interface ExplorerServerOptions {
  /** The built page (npm run build:web). */
  siteDir: string;
  /** Model directory served at model/ (config.json + weights.safetensors). */
  modelDir?: string;
  /** Files served from memory under data/ (the model's test split as IDX). */
  data?: Record<string, Uint8Array>;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

/** A running server. */
export interface ExplorerServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// Cross-origin isolation (SharedArrayBuffer, so onnxruntime-web can run wasm threads).
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

/**
 * Serves the explorer page with the headers that make it cross-origin isolated, a model directory at
 * `model/` and in-memory data files at `data/`. Static files only: the page needs nothing else.
 *
 * @example
 * const s = await startExplorerServer({ siteDir: 'dist/explorer', modelDir: 'runs/mnist' });
 * console.log(s.url);
 */
export async function startExplorerServer(o: ExplorerServerOptions): Promise<ExplorerServer> {
  const site = path.resolve(o.siteDir);
  if (!existsSync(path.join(site, 'index.html'))) throw new VaekitError(`${site} has no index.html; build the page with: npm run build:web`, 'E_ARG');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      rel = '';
    }
    const send = (status: number, body: Uint8Array | string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { ...ISOLATION, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'GET only\n');
    const mem = rel.startsWith('/data/') ? o.data?.[rel.slice('/data/'.length)] : undefined;
    if (mem) return send(200, mem, 'application/octet-stream');
    let file: string | undefined;
    if (rel === '/model/config.json' || rel === '/model/weights.safetensors') file = o.modelDir ? path.join(o.modelDir, rel === '/model/config.json' ? CONFIG_FILE : WEIGHTS_FILE) : undefined;
    else if (rel === '/' || rel === '/index.html') file = path.join(site, 'index.html');
    else {
      const p = path.resolve(site, `.${rel}`);
      if (p.startsWith(site + path.sep)) file = p; // never outside the site
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) return send(404, `not found: ${rel}\n`);
    res.writeHead(200, { ...ISOLATION, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new VaekitError(`cannot listen on port ${o.port ?? 0}: ${e.message}`, 'E_ARG')));
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
