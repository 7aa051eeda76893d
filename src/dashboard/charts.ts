import { html, type SafeHtml } from './html.js';

/** Horizontal bars for a ranking (countries, browsers, …): inline SVG, no script. */
export function barChart(entries: [string, number][], options: { label: string; max?: number } = { label: '' }): SafeHtml {
  const rows = entries.slice(0, options.max ?? 8);
  if (rows.length === 0) return html`<p class="muted">none</p>`;
  const top = Math.max(...rows.map(([, n]) => n), 1);
  const height = rows.length * 22;
  return html`<svg class="bars" viewBox="0 0 320 ${height}" width="320" height="${height}" role="img" aria-label="${options.label}">
${rows.map(
  ([name, n], i) =>
    html`<g transform="translate(0 ${i * 22})"><text x="0" y="15">${name}</text><rect x="120" y="3" height="14" width="${Math.max(1, Math.round((n / top) * 160))}"></rect><text x="${126 + Math.round((n / top) * 160)}" y="15">${n}</text></g>`,
)}
</svg>`;
}

/** One column per minute over the last hour, for one kind of activity. */
export function minuteChart(values: number[], label: string): SafeHtml {
  const top = Math.max(...values, 1);
  const width = values.length * 5;
  return html`<svg class="minutes" viewBox="0 0 ${width} 40" width="${width}" height="40" role="img" aria-label="${label}: ${values.reduce((a, b) => a + b, 0)} in the last hour">
${values.map((n, i) => {
  const h = n === 0 ? 0 : Math.max(1, Math.round((n / top) * 38));
  return html`<rect x="${i * 5}" y="${40 - h}" width="4" height="${h}"><title>${n}</title></rect>`;
})}
</svg>`;
}
