import type { Chart, Plugin } from 'chart.js';
import { placeLabels } from './label-layout';

/** A vertical marker at a context length (the longest context that fits for one format). */
interface ContextMarker {
  readonly contextTokens: number;
  readonly label: string;
  readonly color: string;
}

/** Height of one marker label at the 11 px font (px). */
const LABEL_LINE_PX = 14;
/** Half the thickness kept clear around a capacity line (its 2 px stroke and its dashes). */
const LINE_CLEARANCE_PX = 3;
/**
 * Width of the halo drawn under each label in the panel's colour (px): the label stays readable
 * where it crosses a curve or another marker's dotted line (the cartographer's text halo).
 */
const HALO_PX = 4;

/**
 * Draws each marker as a dotted vertical line from the x axis up, labelled near the top; the
 * labels stay clear of the capacity lines (y values in the y axis' unit) and of each other
 * (label-layout.ts), each on a halo of `surface` (the panel's colour).
 */
export function contextMarkerPlugin(
  markers: () => readonly ContextMarker[],
  surface: () => string,
  capacities: () => readonly number[] = () => [],
): Plugin<'line'> {
  return {
    id: 'headroomContextMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const xScale = chart.scales['x'];
      const yScale = chart.scales['y'];
      if (!xScale || !yScale) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.lineWidth = 1.5;
      ctx.setLineDash([2, 3]);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      const shown = markers()
        .map((marker) => ({ marker, x: xScale.getPixelForValue(marker.contextTokens) }))
        .filter(({ x }) => x >= chartArea.left && x <= chartArea.right);
      const spans = shown.map(({ marker, x }) => {
        const width = ctx.measureText(marker.label).width;
        const alignRight = x + 4 + width > chartArea.right;
        return alignRight
          ? { left: x - 4 - width, right: x - 4, alignRight }
          : { left: x + 4, right: x + 4 + width, alignRight };
      });
      const bands = capacities().map((value) => {
        const y = yScale.getPixelForValue(value);
        return { top: y - LINE_CLEARANCE_PX, bottom: y + LINE_CLEARANCE_PX };
      });
      const tops = placeLabels(spans, bands, chartArea, LABEL_LINE_PX);
      // Every line first, then every label on its halo: no line is drawn over a label.
      for (const { marker, x } of shown) {
        ctx.strokeStyle = marker.color;
        ctx.beginPath();
        ctx.moveTo(x, chartArea.bottom);
        ctx.lineTo(x, chartArea.top);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      ctx.lineWidth = HALO_PX;
      ctx.lineJoin = 'round';
      ctx.strokeStyle = surface();
      shown.forEach(({ marker }, i) => {
        const top = tops[i];
        const span = spans[i]!;
        if (top === null || top === undefined) return;
        ctx.textAlign = span.alignRight ? 'right' : 'left';
        const textX = span.alignRight ? span.right : span.left;
        ctx.fillStyle = marker.color;
        ctx.strokeText(marker.label, textX, top);
        ctx.fillText(marker.label, textX, top);
      });
      ctx.restore();
    },
  };
}
