/**
 * Little's law (Little 1961, "A Proof for the Queuing Formula L = λW", Operations Research
 * 9(3)): in steady state the mean number in a system equals the arrival rate times the mean
 * time each spends in it, L = λ × W. For a server: requests in flight = requests/s × seconds
 * per request.
 */

/**
 * Requests in flight at steady state.
 * @param arrivalsPerSecond λ, requests per second
 * @param secondsInSystem W, mean seconds from arrival to the last token
 * @example concurrencyOf(20, 2.5) // 50
 */
export function concurrencyOf(arrivalsPerSecond: number, secondsInSystem: number): number {
  return arrivalsPerSecond * secondsInSystem;
}

/**
 * The arrival rate a concurrency sustains.
 * @example arrivalRateOf(50, 2.5) // 20
 */
export function arrivalRateOf(concurrency: number, secondsInSystem: number): number {
  return secondsInSystem > 0 ? concurrency / secondsInSystem : Infinity;
}
