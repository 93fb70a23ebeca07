import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { fitAnswerLine, trainingFitLine } from '../../core/plan/answer-lines';
import { fitAnswer } from '../../core/plan/fit-answer';
import { planInputFromRequest } from '../../core/plan/plan-request';
import { trainingFit } from '../../core/plan/training-fit';
import { trainingInputFromRequest } from '../../core/training/from-options';
import { trainingScenario } from '../../core/training/scenario';
import { DEFAULT_TRAIN_TOKENS } from '../../renderer/stores/training-store';
import {
  FIRST_SCREEN,
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
} from './workbench-page';

/** The small screen the answer must fit on without scrolling (issue 17). */
const SMALL_SCREEN = { width: 1024, height: 700 };

/** In-page: whether an element (by CSS selector) lies wholly inside the viewport. */
const IN_VIEWPORT = (selector: string): string => `(() => {
  const element = document.querySelector(${JSON.stringify(selector)});
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
})()`;

describeWithBrowser('the answer first', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('leads Compare with the best format that fits, and shows it and a verdict at 1024×700', async () => {
    const { page, errors } = await openPage(workbench, { viewport: SMALL_SCREEN });
    await waitForView(page, 'compare-view');
    const answer = fitAnswer(
      planInputFromRequest({ ...FIRST_SCREEN, weightsFormat: 'bf16' }),
      'auto',
    );
    if (!answer) throw new Error('one RTX 4090 has an answer');
    const expected = fitAnswerLine(answer, 'NVIDIA GeForce RTX 4090 24GB', 'GiB');
    expect(expected).toMatch(/^Best that fits on NVIDIA GeForce RTX 4090 24GB with /);
    await pollPage(
      page,
      `document.querySelector('[data-testid="answer-line"]')?.textContent.trim() === ${JSON.stringify(expected)}`,
    );
    // The training answer, from the same search the CLI's core runs.
    const fit = trainingFit(
      trainingInputFromRequest({
        modelId: FIRST_SCREEN.modelId,
        deviceIds: FIRST_SCREEN.deviceIds,
        scenario: trainingScenario({ trainTokens: DEFAULT_TRAIN_TOKENS }),
        unit: 'GiB',
      }),
    );
    await pollPage(
      page,
      `document.querySelector('[data-testid="training-answer"]')?.textContent.trim() === ${JSON.stringify(`Training on NVIDIA GeForce RTX 4090 24GB: ${trainingFitLine(fit!)}`)}`,
    );
    await expect(page.evaluate(IN_VIEWPORT('[data-testid="answer-line"]'))).resolves.toBe(true);
    await expect(
      page.evaluate(IN_VIEWPORT('[data-testid="plan-card"] [data-status]')),
    ).resolves.toBe(true);
    // Training sits under its own header, collapsed: its card is not among the inference cards.
    await expect(page.getByTestId('training-card').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-1024x700.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect(page.evaluate(IN_VIEWPORT('[data-testid="answer-line"]'))).resolves.toBe(true);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-1440x900.png') });
    expect(errors).toEqual([]);
  });

  it('says what makes QLoRA of a 70B model fit on one 48 GB card: full checkpointing + 2k sequence', async () => {
    const { page, errors } = await openPage(workbench, { viewport: SMALL_SCREEN });
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search models').fill('llama-3.1-70b');
    await page.getByRole('button', { name: /meta-llama\/Llama-3\.1-70B/ }).click();
    await page.getByRole('button', { name: 'Remove NVIDIA GeForce RTX 4090 24GB' }).click();
    await page.getByLabel('Search catalog devices').fill('a6000');
    await page.getByRole('button', { name: 'Add NVIDIA RTX A6000 48GB' }).click();
    await page.getByTestId('training-section').locator('summary').click();
    await page.getByTestId('training-finetune').selectOption('qlora');
    await pollPage(
      page,
      `document.querySelector('[data-testid="training-answer"]')?.textContent.trim() === 'Training on NVIDIA RTX A6000 48GB: Fits with: full checkpointing + 2k sequence'`,
    );
    // The inference answer names the engine its best format runs on, and what BF16 needs.
    const answer = fitAnswer(
      planInputFromRequest({
        ...FIRST_SCREEN,
        modelId: 'meta-llama/Llama-3.1-70B',
        deviceIds: ['nvidia-rtx-a6000'],
        weightsFormat: 'bf16',
      }),
      'auto',
    );
    const expected = fitAnswerLine(answer!, 'NVIDIA RTX A6000 48GB', 'GiB');
    expect(expected).toMatch(/needs \d+ GPUs for BF16$/);
    await pollPage(
      page,
      `document.querySelector('[data-testid="answer-line"]')?.textContent.trim() === ${JSON.stringify(expected)}`,
    );
    await page.evaluate('window.scrollTo(0, 0)');
    await expect(page.evaluate(IN_VIEWPORT('[data-testid="training-answer"]'))).resolves.toBe(true);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-answer-qlora-70b.png') });
    expect(errors).toEqual([]);
  });
});
