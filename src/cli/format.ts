/** A plain text table: columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function when(epochMs: number | null): string {
  return epochMs === null ? '-' : new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
}

/** `{ chrome: 2, firefox: 1 }` → `chrome 2, firefox 1`. */
export function counts(record: Record<string, number>): string {
  return (
    Object.entries(record)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ') || '-'
  );
}
