// The fairness figures: deviation of booking shares from target shares, Gini coefficients.

/** Gini coefficient of non-negative values: 0 = all equal, → 1 = one takes all. */
export function gini(values) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 0 || mean === 0) return 0;
  let sum = 0;
  for (const a of values) for (const b of values) sum += Math.abs(a - b);
  return sum / (2 * n * n * mean);
}

/**
 * Per person: target share = open capacity × weight over the sum of the same (capacity as
 * generated, before any booking), booking share = confirmed bookings over all confirmed.
 */
export function fairness(people, bookingsByPerson) {
  const totalTarget = people.reduce((sum, p) => sum + p.capacity * p.weight, 0);
  const totalBooked = people.reduce((sum, p) => sum + (bookingsByPerson.get(p.id) ?? 0), 0);
  const rows = people.map((p) => {
    const booked = bookingsByPerson.get(p.id) ?? 0;
    const target = (p.capacity * p.weight) / totalTarget;
    const share = totalBooked > 0 ? booked / totalBooked : 0;
    return { person: p.name, weight: p.weight, capacity: p.capacity, booked, target, share, deviation: share - target };
  });
  return {
    rows,
    totalBooked,
    maxDeviationPp: Math.max(...rows.map((r) => Math.abs(r.deviation))) * 100,
    giniBookings: gini(rows.map((r) => r.booked)),
    // What the plain Gini would be if bookings followed capacity × weight exactly.
    giniTarget: gini(rows.map((r) => r.target)),
    // Bookings per unit of weighted capacity: 0 when every person is booked exactly in
    // proportion to capacity × weight (the engine's goal), whatever the weights.
    giniWeighted: gini(rows.map((r) => r.booked / (r.capacity * r.weight))),
  };
}
