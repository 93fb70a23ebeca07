/**
 * A `torchrun` command for a training plan: how many processes on how many machines. Arguments
 * from PyTorch's "torchrun (Elastic Launch)" docs (torch.distributed.run): --nnodes,
 * --nproc-per-node.
 */
import { HeadroomError } from '../errors';
import { provenance, requireTrainingPlan, verdictNotes } from './common';
import { shellCommand } from '../shell';
import { trainingCodeNotes } from './training-notes';
import type { LaunchInput, LaunchSettings } from './types';

/** The script torchrun starts, a placeholder the person replaces. */
const TORCHRUN_SCRIPT_PLACEHOLDER = 'train.py';

/**
 * The settings: one `torchrun` command, one process per GPU of each node.
 * @throws HeadroomError BAD_ARGUMENT for an inference plan or one without GPUs
 */
export function torchrunSettings(input: LaunchInput): LaunchSettings {
  const plan = requireTrainingPlan(input.plan, 'torchrun');
  const s = plan.scenario;
  const gpusPerNode = s.devices.length;
  if (gpusPerNode === 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'torchrun starts one process per GPU: plan with --device (and --gpus).',
    );
  }
  const comments = [
    provenance(input),
    `Replace ${TORCHRUN_SCRIPT_PLACEHOLDER} with your training script.`,
  ];
  const notes = [...verdictNotes(plan), ...trainingCodeNotes(plan, 'torchrun')];
  if (s.nodes > 1) {
    const line = `Run on each of the ${s.nodes} nodes with the same rendezvous: add --rdzv-backend=c10d --rdzv-endpoint=HOST:PORT (and --rdzv-id).`;
    comments.push(line);
    notes.push(line);
  }
  const text = [
    ...comments.map((comment) => `# ${comment}`),
    shellCommand(
      ['torchrun'],
      [
        ['--nnodes', s.nodes],
        ['--nproc-per-node', gpusPerNode],
      ],
      { separator: '=', trailing: [TORCHRUN_SCRIPT_PLACEHOLDER] },
    ),
    '',
  ].join('\n');
  return { engine: 'torchrun', syntax: 'shell', fileName: 'torchrun.sh', text, notes };
}
