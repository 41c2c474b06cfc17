/**
 * SVG → PNG for Node, via @resvg/resvg-js (Rust resvg, prebuilt native binaries inside the npm package).
 * Node-only, so it lives in src/node/; the charts themselves (src/viz/) are plain strings.
 *
 * Text needs fonts: resvg reads the system fonts (on Linux, whatever fontconfig dirs hold, e.g.
 * /usr/share/fonts/truetype/dejavu). The charts ask for "DejaVu Sans, Helvetica, Arial, sans-serif";
 * on a machine with no fonts at all, shapes still render and text is silently left out (resvg's behaviour).
 */
import { createRequire } from 'node:module';
import { VaekitError } from '../errors.js';

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined;

/** Load the native module on first use, so importing vaekit/node works where the binary is missing. */
function loadResvg(): ResvgModule {
  if (!resvg) {
    try {
      resvg = createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new VaekitError(
        `svgToPng needs @resvg/resvg-js with a prebuilt binary for ${process.platform}-${process.arch} (${why}); ` +
          'run `npm install @resvg/resvg-js`, or save the .svg and convert it elsewhere',
        'E_DEPENDENCY',
      );
    }
  }
  return resvg;
}

/**
 * Rasterize an SVG string to PNG bytes (RGBA, white background). `width` scales the picture to that many
 * pixels wide keeping the aspect ratio; default: the SVG's own width.
 *
 * @example
 * await writeFile('latent.png', svgToPng(scatterSvg({ x, y, labels }), 1280)); // 2× for sharp text
 */
export function svgToPng(svg: string, width?: number): Uint8Array {
  if (width !== undefined && !(Number.isInteger(width) && width > 0)) {
    throw new VaekitError(`svgToPng: width must be a positive integer number of pixels, got ${width}`, 'E_ARG');
  }
  const { Resvg } = loadResvg();
  let png: Buffer;
  try {
    const r = new Resvg(svg, {
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
      logLevel: 'off',
    });
    png = r.render().asPng();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new VaekitError(`svgToPng: could not render the SVG (${why}); check that it is well-formed XML with an <svg> root`, 'E_DATA');
  }
  // a plain Uint8Array view of the Buffer, so callers see the same type in Node and the browser
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
