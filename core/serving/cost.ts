/**
 * What a setup costs. Prices are the user's (no built-in price pretends to be current).
 * Cost per 1M tokens = price per hour / (tokens/s × 3600) × 10^6.
 */

/**
 * @param usdPerHour the whole setup's price per hour
 * @param tokensPerSecond tokens it produces per second
 * @returns USD per million tokens; Infinity when it produces none
 * @example costPerMillionTokens(2, 1000) // 0.5555…
 */
export function costPerMillionTokens(usdPerHour: number, tokensPerSecond: number): number {
  return tokensPerSecond > 0 ? (usdPerHour / (tokensPerSecond * 3600)) * 1e6 : Infinity;
}
