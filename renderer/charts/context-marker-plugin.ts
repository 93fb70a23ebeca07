import type { Chart, Plugin } from 'chart.js';

/** A vertical marker at a context length (the longest context that fits for one format). */
interface ContextMarker {
  readonly contextTokens: number;
  readonly label: string;
  readonly color: string;
}

/** Draws each marker as a dotted vertical line from the x axis up, labelled at the top. */
export function contextMarkerPlugin(markers: () => readonly ContextMarker[]): Plugin<'line'> {
  return {
    id: 'headroomContextMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const xScale = chart.scales['x'];
      if (!xScale) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.lineWidth = 1.5;
      ctx.setLineDash([2, 3]);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      markers().forEach((marker, i) => {
        const x = xScale.getPixelForValue(marker.contextTokens);
        if (x < chartArea.left || x > chartArea.right) return;
        ctx.strokeStyle = marker.color;
        ctx.fillStyle = marker.color;
        ctx.beginPath();
        ctx.moveTo(x, chartArea.bottom);
        ctx.lineTo(x, chartArea.top);
        ctx.stroke();
        const width = ctx.measureText(marker.label).width;
        const alignRight = x + 4 + width > chartArea.right;
        ctx.textAlign = alignRight ? 'right' : 'left';
        ctx.fillText(marker.label, alignRight ? x - 4 : x + 4, chartArea.top + 4 + i * 14);
      });
      ctx.restore();
    },
  };
}
