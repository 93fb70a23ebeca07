import { describe, expect, it } from 'vitest';
import { placeLabels } from '../../../renderer/charts/label-layout';

const LINE = 14;
const AREA = { top: 0, bottom: 200 };

describe('chart labels never cover a capacity line or each other (issue 17)', () => {
  it('moves a label below a capacity line that crosses its first slot', () => {
    // A capacity line at y = 8 (the top of the plot, where the first label would go).
    const [top] = placeLabels([{ left: 10, right: 90 }], [{ top: 5, bottom: 11 }], AREA, LINE);
    expect(top).not.toBeNull();
    expect(top! >= 11 + 2 || top! + LINE <= 5 - 2).toBe(true);
  });

  it('stacks labels over the same columns and lets labels over other columns share a slot', () => {
    const tops = placeLabels(
      [
        { left: 10, right: 90 },
        { left: 50, right: 130 },
        { left: 300, right: 380 },
      ],
      [],
      AREA,
      LINE,
    );
    expect(tops[1]! - tops[0]!).toBeGreaterThanOrEqual(LINE);
    expect(tops[2]).toBe(tops[0]);
  });

  it('leaves a label out rather than drawing it over a line when no slot is free', () => {
    // The whole plot is one capacity band: nowhere to go.
    expect(placeLabels([{ left: 0, right: 10 }], [{ top: 0, bottom: 200 }], AREA, LINE)).toEqual([
      null,
    ]);
  });

  it('keeps every placed label clear of every band', () => {
    const bands = [40, 41, 90, 150].map((y) => ({ top: y - 3, bottom: y + 3 }));
    const labels = Array.from({ length: 8 }, (_, i) => ({ left: i * 20, right: i * 20 + 100 }));
    const tops = placeLabels(labels, bands, AREA, LINE);
    for (const top of tops) {
      if (top === null) continue;
      expect(top).toBeGreaterThanOrEqual(AREA.top);
      expect(top + LINE).toBeLessThanOrEqual(AREA.bottom);
      for (const band of bands) expect(top >= band.bottom || top + LINE <= band.top).toBe(true);
    }
  });
});
