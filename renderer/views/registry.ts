import type { Component } from 'vue';
import AssumptionsView from './AssumptionsView.vue';
import CompareView from './CompareView.vue';
import ExplorerView from './ExplorerView.vue';
import MatrixView from './MatrixView.vue';
import MeasurementsView from './MeasurementsView.vue';
import QuantLabView from './QuantLabView.vue';
import ServingView from './ServingView.vue';
import type { ViewId } from './view-ids';

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
