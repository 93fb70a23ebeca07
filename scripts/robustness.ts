/**
 * `npm run robustness`: runs every hostile input of issue 16 against the faces (the CLI as a
 * user runs it, browser mode over loopback) and writes the table to docs/robustness.md. A row
 * passes when it ends as README documents (exit 0/1/2, never 3; the HTTP answer expected),
 * within 5 s (MAX_ROW_MS), with no stack trace. Exits 1 if any row fails.
 *
 *   npm run robustness [-- --concurrency 2]   (one row at a time by default: the machine is shared)
 */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { browserCases, startRobustnessServer } from './robustness-browser';
import type { CliCase } from './robustness-case';
import { cliCases } from './robustness-cli-cases';
import { makeFixtures, type Fixtures } from './robustness-fixtures';

/** Longest a row may take (issue 16 acceptance: "within 5 s"). */
export const MAX_ROW_MS = 5_000;
/** A run past this is killed and counted as a hang. */
const KILL_AFTER_MS = 20_000;
/** Longest result text in the table. */
const MAX_RESULT_CHARS = 120;
/** A V8 stack frame line ("    at fn (file.ts:1:2)"). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const OUTPUT = 'docs/robustness.md';

export interface Row {
  readonly group: string;
  readonly face: 'CLI' | 'browser';
  readonly input: string;
  readonly expected: string;
  readonly result: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly problem?: string;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** `headroom <args>` as a user runs it in a checkout (tsx), killed after KILL_AFTER_MS. */
function runCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args], {
      // No row may reach the real Hub: a closed local port unless the row sets its own.
      env: { ...process.env, HF_ENDPOINT: 'http://127.0.0.1:9', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** One line of text for a table cell: the fixture folder as $DIR, no pipes, clipped. */
function cell(text: string, dir: string): string {
  const flat = text.replaceAll(dir, '$DIR').replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();
  return flat.length > MAX_RESULT_CHARS ? `${flat.slice(0, MAX_RESULT_CHARS)}…` : flat;
}

async function runCliCase(c: CliCase, f: Fixtures): Promise<Row> {
  let run = await runCli(c.args, c.env ?? {});
  // The build machines are shared: a row over time because of a neighbour's load runs once
  // more, and the faster run counts. A hang (killed) is never retried.
  if (run.code !== null && run.ms > MAX_ROW_MS) {
    const again = await runCli(c.args, c.env ?? {});
    if (again.ms < run.ms) run = again;
  }
  const firstError = run.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
  const result =
    run.code === null ? 'killed (hung)' : `exit ${run.code}${firstError ? `: ${firstError}` : ''}`;
  const problems = [
    run.code !== c.expectedExit ? `expected exit ${c.expectedExit}` : '',
    run.ms > MAX_ROW_MS ? `took ${(run.ms / 1000).toFixed(1)} s` : '',
    STACK_FRAME.test(run.stderr) || STACK_FRAME.test(run.stdout) ? 'stack trace' : '',
  ].filter((problem) => problem !== '');
  return {
    group: c.group,
    face: 'CLI',
    input: cell(c.input, f.dir),
    expected: `exit ${c.expectedExit}`,
    result: cell(result, f.dir),
    ms: run.ms,
    ok: problems.length === 0,
    ...(problems.length > 0 ? { problem: problems.join(', ') } : {}),
  };
}

/** Runs `work` over `items` with at most `limit` at once, results in order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function runBrowserRows(f: Fixtures): Promise<Row[]> {
  const server = await startRobustnessServer(f);
  try {
    const cases = browserCases(f);
    const runOne = async (c: (typeof cases)[number]): Promise<Row> => {
      const started = performance.now();
      let outcome: { result: string; ok: boolean };
      try {
        outcome = await c.run(server);
      } catch (thrown) {
        outcome = { result: `request failed: ${(thrown as Error).message}`, ok: false };
      }
      const ms = performance.now() - started;
      const late = !c.slow && ms > MAX_ROW_MS;
      const problem = [outcome.ok ? '' : `expected ${c.expected}`, late ? 'too slow' : '']
        .filter((p) => p !== '')
        .join(', ');
      return {
        group: 'browser mode',
        face: 'browser',
        input: cell(c.input, f.dir),
        expected: cell(c.expected, f.dir),
        result: cell(outcome.result, f.dir),
        ms,
        ok: problem === '',
        ...(problem ? { problem } : {}),
      };
    };
    // The slow-client row waits out a timeout: run it beside the others, not after them.
    const slow = cases.filter((c) => c.slow);
    const slowRows = Promise.all(slow.map(runOne));
    const rows: Row[] = [];
    for (const c of cases.filter((c) => !c.slow)) rows.push(await runOne(c));
    return [...rows, ...(await slowRows)];
  } finally {
    await server.close();
  }
}

/** The Markdown document: what ran, the summary, one table. */
export function renderDocument(rows: readonly Row[], skipped: readonly string[]): string {
  const failed = rows.filter((row) => !row.ok);
  const cliMs = rows
    .filter((row) => row.face === 'CLI')
    .map((row) => row.ms)
    .sort((a, b) => a - b);
  const median = cliMs[Math.floor(cliMs.length / 2)] ?? 0;
  const exits = [0, 1, 2, 3].map(
    (code) =>
      `${rows.filter((row) => row.result.startsWith(`exit ${code}`)).length} × exit ${code}`,
  );
  const lines = [
    '# Robustness: hostile inputs',
    '',
    'Generated by `npm run robustness` (scripts/robustness.ts); do not edit by hand. Every row is',
    'a hostile input given to a face: the CLI as a user runs it (`npx headroom …` through tsx), or',
    'browser mode over loopback (the real server and bridge, default limits). A row passes when it',
    'ends as README documents (exit 0 success, 1 no fit with `--fail-if-no-fit`, 2 bad input with',
    'a one-line message, 3 a Headroom bug, which no row should reach), within 5 s, with no stack',
    'trace (a row over 5 s on the shared build machine runs once more; the faster run counts).',
    '`LLAMA-8B@4090` stands for `--model meta-llama/Llama-3.1-8B --device nvidia-rtx-4090`;',
    '`$DIR` is the folder of hostile files the script makes (FIFOs, a socket, links to devices,',
    'headers that lie).',
    '',
    `**${rows.length} rows, ${rows.length - failed.length} pass, ${failed.length} fail.** CLI: ` +
      `${exits.join(', ')}; median ${(median / 1000).toFixed(1)} s, slowest ` +
      `${((cliMs.at(-1) ?? 0) / 1000).toFixed(1)} s (mostly tsx start-up).` +
      (skipped.length > 0 ? ` Skipped (need root): ${skipped.join('; ')}.` : ''),
    '',
    '| # | group | face | input | expected | result | pass |',
    '| -: | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row, i) =>
        `| ${i + 1} | ${row.group} | ${row.face} | \`${row.input.replaceAll('`', "'")}\` | ${row.expected} | ${row.result} | ${row.ok ? 'yes' : `**no: ${row.problem}**`} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const concurrencyIndex = process.argv.indexOf('--concurrency');
  const concurrency =
    concurrencyIndex > 0 ? Math.max(1, Number(process.argv[concurrencyIndex + 1]) || 1) : 1;
  const fixtures = await makeFixtures();
  try {
    const all = cliCases(fixtures);
    const runnable = all.filter((c) => !c.needsRoot || fixtures.root);
    const skipped = all.filter((c) => !runnable.includes(c)).map((c) => c.input);
    let done = 0;
    const cliRows = await pool(runnable, concurrency, async (c) => {
      const row = await runCliCase(c, fixtures);
      done++;
      if (!row.ok || done % 20 === 0)
        process.stderr.write(
          `  ${done}/${runnable.length}${row.ok ? '' : ` FAIL ${row.input}: ${row.result} (${row.problem})`}\n`,
        );
      return row;
    });
    const browserRows = await runBrowserRows(fixtures);
    const rows = [...cliRows, ...browserRows];
    // Formatted as `npm run lint` checks it, so a regenerated file passes prettier --check.
    const options = (await prettier.resolveConfig(OUTPUT)) ?? {};
    await writeFile(
      OUTPUT,
      await prettier.format(renderDocument(rows, skipped), { ...options, parser: 'markdown' }),
    );
    const failed = rows.filter((row) => !row.ok);
    process.stdout.write(
      `robustness: ${rows.length} rows, ${failed.length} failed; wrote ${OUTPUT}\n`,
    );
    for (const row of failed) {
      process.stdout.write(`  FAIL ${row.face} ${row.input}: ${row.result} (${row.problem})\n`);
    }
    return failed.length === 0 ? 0 : 1;
  } finally {
    await fixtures.close();
    await rm(fixtures.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
