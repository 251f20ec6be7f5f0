/** Neumaier's compensated sum: the equity bridge's parts must add up to the change in equity to the cent. */
export class Sum {
  private total = 0;
  private compensation = 0;
  add(value: number): this {
    const t = this.total + value;
    if (Math.abs(this.total) >= Math.abs(value)) this.compensation += this.total - t + value;
    else this.compensation += value - t + this.total;
    this.total = t;
    return this;
  }
  get value(): number {
    return this.total + this.compensation;
  }
}

/** Compensated sum of an array (skipping NaN). */
export function sumOf(values: ArrayLike<number>): number {
  const s = new Sum();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) s.add(v);
  }
  return s.value;
}
