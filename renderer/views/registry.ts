import { defineAsyncComponent, type Component } from 'vue';
import CompareView from './CompareView.vue';
import type { ViewId } from './view-ids';

/*
 * Compare is the start screen and loads with the page; every other view is a chunk of its own,
 * fetched when first opened (issue 17: the Quant lab's kernels, the Explorer's and Serving charts stay out
 * of the first load; STYLE.md 15).
 */
const MatrixView = defineAsyncComponent(() => import('./MatrixView.vue'));
const ExplorerView = defineAsyncComponent(() => import('./ExplorerView.vue'));
const AssumptionsView = defineAsyncComponent(() => import('./AssumptionsView.vue'));
const QuantLabView = defineAsyncComponent(() => import('./QuantLabView.vue'));
const MeasurementsView = defineAsyncComponent(() => import('./MeasurementsView.vue'));
const ServingView = defineAsyncComponent(() => import('./ServingView.vue'));

/** The views the navigation offers, in order (VIEW_IDS order): Compare answers the question first; the lab is a tool of its own, last. */
export const VIEWS = [
  { id: 'compare', title: 'Compare', component: CompareView },
  { id: 'matrix', title: 'Options matrix', component: MatrixView },
  { id: 'explorer', title: 'Explorer', component: ExplorerView },
  { id: 'assumptions', title: 'Assumptions', component: AssumptionsView },
  { id: 'serving', title: 'Serving', component: ServingView },
  { id: 'measurements', title: 'Measurements', component: MeasurementsView },
  { id: 'quantlab', title: 'Quant lab', component: QuantLabView },
] as const satisfies readonly {
  id: ViewId;
  title: string;
  component: Component;
}[];

export type { ViewId };
