import { REQUIRE_BROWSER_ENV, browserRequired, browserTools, missingBrowserLine } from './chromium';

/**
 * Vitest global setup for the e2e project: one loud line when the browser tools are missing
 * (the tests then skip), or a failure when HEADROOM_REQUIRE_BROWSER=1 (CI) asks for them.
 */
export default function setup(): void {
  const line = missingBrowserLine(browserTools({ poppler: true }));
  if (line === null) return;
  if (browserRequired()) {
    throw new Error(
      `${REQUIRE_BROWSER_ENV}=1: ${line.replace(/ SKIPPED:/, ' cannot run:').replace(/ \S+=1 \(set by.*$/, '')}`,
    );
  }
  console.warn(`\n⚠ ${line}\n`);
}
