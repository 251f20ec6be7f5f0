/**
 * BG/BB (discrete-time) fitting for the command line, on a recency/frequency table.
 */
import { fitBgbb } from '../clv/bgbb';
import type { FitOptions, FitResult } from '../clv/model';
import type { DiscreteData } from './inputs';

/** Fits BG/BB on recency/frequency patterns (weighted rows). */
export function fitDiscrete(data: DiscreteData, options: FitOptions = {}): FitResult {
  return fitBgbb({ x: data.x, tx: data.tx, n: data.n, weight: data.weight }, options);
}
