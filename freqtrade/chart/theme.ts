// The look every chart shares: one font, thin lines, a light grid, UTC dates, and a fixed canvas so
// the image has the same size in every chat whatever the labels say.
import type { Config } from 'vega-lite';
import type { Axis } from 'vega-lite/types_unstable/axis.js';
import type { PositionFieldDef } from 'vega-lite/types_unstable/channeldef.js';
import { FONT_FAMILY } from './png.ts';

/** Canvas in pixels and the margins around the plot area that hold the title, axes and legend. */
const CANVAS = { width: 1000, height: 560 };
export const PADDING = { left: 84, right: 28, top: 64, bottom: 34 };
export const PLOT = {
  width: CANVAS.width - PADDING.left - PADDING.right,
  height: CANVAS.height - PADDING.top - PADDING.bottom,
};

export const COLORS = {
  equity: '#2563eb',
  drawdown: '#dc2626',
  reference: '#9ca3af',
  text: '#1f2937',
  muted: '#6b7280',
  grid: '#eceff3',
  domain: '#c9ced6',
};

export const THEME: Config = {
  font: FONT_FAMILY,
  background: '#ffffff',
  // The image goes to chat as a PNG; ARIA labels in the SVG would only slow the render.
  aria: false,
  view: { stroke: null },
  title: {
    anchor: 'start',
    frame: 'group',
    fontSize: 17,
    fontWeight: 'bold',
    color: COLORS.text,
    subtitleFontSize: 12,
    subtitleColor: COLORS.muted,
    subtitlePadding: 6,
    offset: 14,
  },
  axis: {
    labelFontSize: 11,
    labelColor: COLORS.muted,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    titleColor: COLORS.text,
    gridColor: COLORS.grid,
    gridWidth: 1,
    domainColor: COLORS.domain,
    tickColor: COLORS.domain,
    tickSize: 4,
    labelPadding: 4,
  },
  legend: { labelFontSize: 11, labelColor: COLORS.text, symbolStrokeWidth: 2, symbolType: 'stroke' },
  line: { strokeWidth: 1.5 },
};

// Freqtrade's timestamps are UTC; the utc scale keeps labels in UTC whatever the host's zone is.
// A tick on a year or month boundary names it; any other tick reads "Jan 05" rather than d3's "Fri 05".
const TIME_LABELS = {
  year: '%Y',
  quarter: '%b',
  month: '%b',
  week: '%b %d',
  date: '%b %d',
  hours: '%H:%M',
  minutes: '%H:%M',
  seconds: '%H:%M:%S',
  milliseconds: '%H:%M:%S',
};

/**
 * The x channel: field `t` (ms, UTC) over exactly [start, end], the backtest's own range. With
 * `labels: false` the axis draws only its grid, for a panel stacked above another.
 */
export function timeX(start: number, end: number, labels: boolean): PositionFieldDef<string> {
  return {
    field: 't',
    type: 'temporal',
    scale: { type: 'utc', domain: [start, end], nice: false },
    axis: {
      title: null,
      format: TIME_LABELS,
      tickCount: 10,
      labelOverlap: true,
      labels,
      ticks: labels,
      domain: labels,
    },
  };
}

/** The y axis: fixed extent so the plot starts at the same x whatever the width of the labels. */
export function valueAxis(title: string, tickCount: number, format?: string): Axis {
  return {
    title,
    ...(format === undefined ? {} : { format }),
    tickCount,
    minExtent: 56,
    maxExtent: 56,
    titlePadding: 8,
    domain: false,
    ticks: false,
  };
}
