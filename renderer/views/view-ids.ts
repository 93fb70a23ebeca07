/** The views of the workbench, in navigation order (the first is the start screen). */
export const VIEW_IDS = [
  'compare',
  'matrix',
  'explorer',
  'assumptions',
  'serving',
  'measurements',
  'quantlab',
] as const;

export type ViewId = (typeof VIEW_IDS)[number];
