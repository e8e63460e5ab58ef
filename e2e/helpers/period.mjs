// The dashboard's quarters as the tests name them: the address form `2026Q1` and the days
// the dashboard asks the API for.

/** `from` and `to` of a quarter `2026Q1`, as the dashboard asks /stats for them. */
export function quarterDays(period) {
  const [year, q] = period.split("Q").map(Number);
  const first = (q - 1) * 3 + 1;
  const last = [31, 30, 30, 31][q - 1];
  const pad = (n) => String(n).padStart(2, "0");
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${last}` };
}
