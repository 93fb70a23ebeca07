/**
 * Display words only: the labels a Plan's statuses are shown with. Numbers are formatted by
 * core's one formatter per quantity (core/units/: bytes, numbers, duration), as the CLI and
 * reports format them.
 */
import type { VerdictStatus } from '../core/plan/types';

/** The words of each verdict, short enough for a badge and a matrix cell. */
export const VERDICT_LABELS: Readonly<Record<VerdictStatus, string>> = {
  fits: 'fits',
  tight: 'tight',
  'needs-offload': 'offload',
  'does-not-fit': 'no fit',
  'no-device': 'no device',
};

/** The bound of a decode speed, in words. */
export const BOUND_LABELS = {
  'memory-bandwidth': 'memory-bandwidth bound',
  host: 'host bound (eager kernel launches)',
  compute: 'compute bound',
} as const;
