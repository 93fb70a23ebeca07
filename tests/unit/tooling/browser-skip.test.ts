import { describe, expect, it } from 'vitest';
import { browserRequired, missingBrowserLine, type BrowserTool } from '../../helpers/chromium';

const CHROMIUM: BrowserTool = { name: 'chromium', available: false, install: 'Chromium at /x' };
const POPPLER: BrowserTool = { name: 'poppler', available: false, install: 'pdftotext' };

describe('browser tests without a browser (issue 15)', () => {
  it('says nothing when every tool is present', () => {
    expect(missingBrowserLine([{ ...CHROMIUM, available: true }])).toBeNull();
  });

  it('names what to install, and the variable that makes it a failure, in one line', () => {
    const line = missingBrowserLine([CHROMIUM, POPPLER])!;
    expect(line).toMatch(/^end-to-end browser tests SKIPPED: no Chromium at \/x, no pdftotext\./);
    expect(line).toContain('HEADROOM_REQUIRE_BROWSER=1');
    expect(line).not.toContain('\n');
    expect(missingBrowserLine([{ ...CHROMIUM, available: true }, POPPLER])).toMatch(
      /^PDF report tests SKIPPED: no pdftotext/,
    );
  });

  it('requires the browser when HEADROOM_REQUIRE_BROWSER is set to anything but 0', () => {
    expect(browserRequired({})).toBe(false);
    expect(browserRequired({ HEADROOM_REQUIRE_BROWSER: '0' })).toBe(false);
    expect(browserRequired({ HEADROOM_REQUIRE_BROWSER: '1' })).toBe(true);
  });
});
