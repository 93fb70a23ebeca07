import type { Chart, Plugin } from 'chart.js';

/** A capacity to mark on one bar of a horizontal bar chart (value in the axis' unit). */
interface CapacityMark {
  readonly value: number;
  readonly label: string;
}

interface CapacityPluginOptions {
  readonly marks: readonly (CapacityMark | null)[];
  readonly color: string;
}

/**
 * Draws each bar's capacity as a dashed vertical line across its row, with its label, on a
 * horizontal (indexAxis 'y') stacked bar chart: memory used against memory available.
 */
export function capacityPlugin(options: () => CapacityPluginOptions): Plugin<'bar'> {
  return {
    id: 'headroomCapacity',
    afterDatasetsDraw(chart: Chart<'bar'>) {
      const { marks, color } = options();
      const xScale = chart.scales['x'];
      const yScale = chart.scales['y'];
      if (!xScale || !yScale) return;
      const { ctx } = chart;
      const rowHeight = yScale.height / Math.max(1, chart.data.labels?.length ?? 1);
      ctx.save();
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 3]);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'bottom';
      marks.forEach((mark, row) => {
        if (!mark) return;
        const x = xScale.getPixelForValue(mark.value);
        const y = yScale.getPixelForValue(row);
        const top = y - rowHeight * 0.5;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, y + rowHeight * 0.5);
        ctx.stroke();
        // The label sits above the row's bar, ending at the line (or starting there near the left);
        // a row with the same capacity as the row above leaves it to that row's label.
        if (row > 0 && marks[row - 1]?.label === mark.label) return;
        const textWidth = ctx.measureText(mark.label).width;
        const alignLeft = x - textWidth < chart.chartArea.left;
        ctx.textAlign = alignLeft ? 'left' : 'right';
        ctx.fillText(mark.label, x, top + 1);
      });
      ctx.restore();
    },
  };
}
