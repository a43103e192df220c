// Draws a Vega-Lite spec as a PNG on the server: Vega-Lite compiles to Vega, Vega's headless view
// writes SVG, resvg rasterises it. Only DejaVu Sans is loaded so text looks the same on every host
// and resvg does not scan the system's fonts on each render.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { logger, None, parse, type Spec, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { AppError } from '../../src/errors.ts';

/** The one family every chart's text uses; resvg maps it to the files below. */
export const FONT_FAMILY = 'DejaVu Sans';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(FONT_DIR, f));
// Without the files (a slimmer host image) resvg falls back to whatever the system has.
const fontFilesPresent = FONT_FILES.every((f) => existsSync(f));

/**
 * Renders the spec to SVG with Vega's headless view (no canvas, no network: data is inline). `plot`
 * is the size inside the spec's padding; with autosize none the SVG is exactly plot plus padding.
 */
export async function specToSvg(
  spec: TopLevelSpec,
  plot: { width: number; height: number },
): Promise<string> {
  const vega: Spec = { ...compile(spec, { logger: logger(None) }).spec, ...plot, autosize: 'none' };
  const view = new View(parse(vega), { renderer: 'none', logLevel: None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises the SVG at its own size on a white background. */
async function svgToPng(svg: string): Promise<Uint8Array> {
  const image = await renderAsync(svg, {
    background: '#ffffff',
    font: {
      loadSystemFonts: !fontFilesPresent,
      fontFiles: fontFilesPresent ? FONT_FILES : [],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  return new Uint8Array(image.asPng());
}

/** Spec to PNG bytes; a failure inside Vega or resvg becomes one coded error for the chat user. */
export async function renderPng(
  spec: TopLevelSpec,
  plot: { width: number; height: number },
): Promise<Uint8Array> {
  try {
    return await svgToPng(await specToSvg(spec, plot));
  } catch (err) {
    throw new AppError('INTERNAL', 'I could not draw the chart.', { cause: err });
  }
}
