/**
 * Where chart labels go so that none covers a capacity line or another label (issue 17: the
 * Explorer's "max context" labels sat on the capacity line). Pure geometry in canvas pixels,
 * y growing downwards.
 */

/** A label's horizontal extent once aligned at its anchor. */
interface LabelSpan {
  readonly left: number;
  readonly right: number;
}

/** A horizontal stripe no label may cross (a capacity line and a little air around it). */
interface Band {
  readonly top: number;
  readonly bottom: number;
}

/** The plot area the labels stay inside. */
interface PlotArea {
  readonly top: number;
  readonly bottom: number;
}

interface Placed extends LabelSpan {
  readonly top: number;
}

/** Air between a label and whatever it must not touch (px). */
const GAP_PX = 2;

const crosses = (top: number, bottom: number, band: Band): boolean =>
  top < band.bottom && bottom > band.top;

/**
 * The top of each label: the highest slot (stepping by the line height from the top of the
 * plot) that crosses no band and no label already placed over the same columns; null when no
 * slot is left, so the label is better left out than drawn over a line.
 * @param labels spans in drawing order (earlier labels get the higher slots)
 * @param bands the lines to keep clear, as pixel stripes
 * @param area the plot's vertical bounds
 * @param lineHeightPx one label's height
 * @example placeLabels([{ left: 0, right: 50 }], [{ top: 0, bottom: 10 }], { top: 0, bottom: 100 }, 14) // [14]
 */
export function placeLabels(
  labels: readonly LabelSpan[],
  bands: readonly Band[],
  area: PlotArea,
  lineHeightPx: number,
): (number | null)[] {
  const placed: Placed[] = [];
  return labels.map((label) => {
    for (let top = area.top + GAP_PX; top + lineHeightPx <= area.bottom; top += lineHeightPx) {
      const bottom = top + lineHeightPx;
      const onLine = bands.some((band) =>
        crosses(top, bottom, { top: band.top - GAP_PX, bottom: band.bottom + GAP_PX }),
      );
      const onLabel = placed.some(
        (other) =>
          other.left < label.right + GAP_PX &&
          other.right > label.left - GAP_PX &&
          crosses(top, bottom, { top: other.top, bottom: other.top + lineHeightPx }),
      );
      if (!onLine && !onLabel) {
        placed.push({ ...label, top });
        return top;
      }
    }
    return null;
  });
}
