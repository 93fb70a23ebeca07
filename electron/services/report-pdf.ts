/**
 * The PDF report: the HTML report printed by headless Chromium (the CLI and tests; the desktop
 * app prints the same HTML with Electron's webContents.printToPDF). Offline, no script, every
 * request refused: the page is the report's own self-contained HTML and nothing else.
 */
import { escapeHtml } from '../../core/report/html-escape';
import { launchHeadlessChromium } from './chromium';

/** Chromium's page-number placeholders for print header and footer templates (Page.printToPDF). */
const FOOTER_TEMPLATE = (title: string): string =>
  `<div style="font: 8px system-ui, sans-serif; color: #5b6470; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span>${escapeHtml(title)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

interface PdfOptions {
  /** Printed small in every page's footer beside the page number. */
  readonly footer?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Prints an HTML document to PDF (A4, backgrounds kept, the document's @page margins).
 * @throws HeadroomError NOT_AVAILABLE when Chromium (or playwright-core) is missing
 */
export async function printHtmlToPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const browser = await launchHeadlessChromium(options.env);
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    // setContent makes no request for the page itself; anything else would be a leak.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: FOOTER_TEMPLATE(options.footer ?? ''),
    });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
