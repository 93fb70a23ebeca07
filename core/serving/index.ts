/** Serving capacity and cost (issue 19): pure functions from a model, devices and a workload. */
export * from './capacity-line';
export * from './cost';
export * from './cost-search';
export * from './deployment';
export * from './kv-capacity';
export * from './littles-law';
export * from './load';
export * from './serving-plan';
export * from './serving-request';
export * from './bounds';
