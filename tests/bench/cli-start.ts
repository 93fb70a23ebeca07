/**
 * `npm run bench`: how long the built `headroom` command takes to answer, beside Node's own
 * start (`node -e 0`) measured in the same run, interleaved, so the ratios hold on a busy
 * machine. Targets (issue 15): `plan` ≤ 2× Node's start, `--version` ≤ 1.3×.
 *
 * Needs the bundled CLI (out/cli/headroom.js, built by `npm install` or `npm run build:cli`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const CLI = resolve('out/cli/headroom.js');
/** Rounds of each command; the median is reported (one slow round does not move it). */
const ROUNDS = Number(process.env['HEADROOM_BENCH_ROUNDS'] ?? 21);

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The most this case may take, as a multiple of `node -e 0` (null: the baseline). */
  readonly targetRatio: number | null;
}

const CASES: readonly Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], targetRatio: null },
  { name: 'headroom --version', args: [CLI, '--version'], targetRatio: 1.3 },
  {
    name: 'headroom plan --model meta-llama/Llama-3.1-8B --device nvidia-rtx-4090',
    args: [CLI, 'plan', '--model', 'meta-llama/Llama-3.1-8B', '--device', 'nvidia-rtx-4090'],
    targetRatio: 2,
  },
];

function runOnce(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
  }
  return ms;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): number {
  if (!existsSync(CLI)) {
    console.error(`cli-start: ${CLI} is missing; run npm run build:cli first`);
    return 1;
  }
  const times = CASES.map(() => [] as number[]);
  for (const c of CASES) runOnce(c.args); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, c] of CASES.entries()) times[index]!.push(runOnce(c.args));
  }
  const baseline = median(times[0]!);
  let failed = 0;
  console.log(`CLI start-up, median of ${ROUNDS} interleaved runs:`);
  for (const [index, c] of CASES.entries()) {
    const ms = median(times[index]!);
    const ratio = ms / baseline;
    const verdict =
      c.targetRatio === null
        ? 'baseline'
        : ratio <= c.targetRatio
          ? `≤ ${c.targetRatio}× ✓`
          : `> ${c.targetRatio}× ✗`;
    if (c.targetRatio !== null && ratio > c.targetRatio) failed++;
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×  ${verdict}  ${c.name}`);
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
