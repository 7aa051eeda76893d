export { dashboard } from './dashboard.js';
export type { DashboardOptions } from './dashboard.js';
export { escapeHtml } from './html.js';
