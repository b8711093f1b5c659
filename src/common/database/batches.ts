/** Runs `batch` until one handles fewer than `size` rows (the last one); returns how many in all. */
export async function inBatches(size: number, batch: (size: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await batch(size);
    total += handled;
    if (handled < size) return total;
  }
}
