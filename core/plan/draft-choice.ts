/** `--draft mtp`: draft with the model's own multi-token-prediction layers, not a second model. */
export const MTP_DRAFT = 'mtp';
