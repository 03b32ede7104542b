/**
 * What a rental may be and what it costs, the one rule rental and payment both apply: rental
 * prices a reservation before it calls payment (the price is stored and travels in its
 * events even when payment never answers), and payment prices a charge that arrives without
 * an `amount`, as its public API allows. Each reads its rate from RATE_PER_HOUR; both default
 * to the same value and must be configured alike.
 */

/** The rent hours a reservation may ask for, inclusive. */
export const RENT_HOURS = { min: 1, max: 720 } as const;

/** Won per rental hour unless RATE_PER_HOUR says otherwise. */
export const DEFAULT_RATE_PER_HOUR = 1_000;

export const priceOf = (rentHour: number, ratePerHour: number) => rentHour * ratePerHour;
