/** The rows in consecutive batches of at most `size`, in order: one INSERT or IN list per batch keeps within PostgreSQL's 65,535 parameters. */
export function inBatches<T>(rows: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
  return batches;
}
