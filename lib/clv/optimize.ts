/**
 * Unconstrained minimisation for the model fits. The models optimise over log-parameters
 * (theta = ln p), so "unconstrained" is all they need.
 *
 * - bfgs: quasi-Newton BFGS (Nocedal & Wright 2006, Alg. 6.1) with a backtracking Armijo line search,
 *   gradients from the caller (analytic) or central differences.
 * - nelderMead: derivative-free simplex (Lagarias et al. 1998 coefficients), the fallback.
 * - minimize: BFGS, then Nelder-Mead and BFGS again if BFGS did not converge.
 * - fitWithStarts: minimize from several starting points, keep the best.
 * - hessian / standardErrors: numeric second derivatives and delta-method standard errors.
 *
 * Objective values that throw or are not finite count as +Infinity, so a line search simply steps
 * back from them; NaN never propagates. Convergence is reported as it is: converged is true only
 * when the gradient is small at the returned point.
 */

/** An objective over a parameter vector. May throw or return non-finite values (treated as +Infinity). */
export type Objective = (theta: Float64Array) => number;

/**
 * Value and gradient together: writes d f / d theta into `gradient` and returns f(theta).
 * Faster than numeric gradients when the caller can supply it.
 */
export type ObjectiveWithGradient = (theta: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  /** Maximum BFGS iterations (Nelder-Mead gets 200 per dimension). Default 500. */
  maxIterations?: number;
  /** Converged when the gradient's max-norm is below this. Default 1e-7. */
  gradientTolerance?: number;
  /**
   * Relative change of the objective under which a stalled search counts as converged, provided the
   * gradient max-norm is also below sqrt(gradientTolerance). Default 1e-12.
   */
  tolerance?: number;
  /** Analytic value + gradient; when absent, central differences of f are used. */
  valueAndGradient?: ObjectiveWithGradient;
  /** Longest step (Euclidean norm in theta) one line search may take. Default 3 (a factor e^3 in p). */
  maxStep?: number;
  /**
   * Optima already found (by earlier starts): a run whose iterate comes within `radius` (max-norm)
   * of one of them, with a value no better, stops early as a duplicate (message says so).
   */
  knownOptima?: { points: ReadonlyArray<ArrayLike<number>>; values: ReadonlyArray<number>; radius: number };
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Max-norm of the gradient at x. */
  gradientNorm: number;
  message: string;
  /** True when the run stopped early because it was heading to an optimum already found. */
  duplicate?: boolean;
}

interface Counter {
  evaluations: number;
}

const FD_STEP = 6e-6; // ~ cbrt(machine epsilon): central differences of a smooth f

/** f(theta) with exceptions and non-finite values mapped to +Infinity. */
function safeValue(f: Objective, theta: Float64Array, counter: Counter): number {
  counter.evaluations++;
  try {
    const value = f(theta);
    return Number.isFinite(value) ? value : Infinity;
  } catch {
    return Infinity;
  }
}

/**
 * Central-difference gradient; falls back to a one-sided difference where one side is infinite.
 * Returns false when the gradient cannot be computed.
 */
function numericGradient(
  f: Objective,
  theta: Float64Array,
  f0: number,
  out: Float64Array,
  counter: Counter,
): boolean {
  const point = Float64Array.from(theta);
  for (let i = 0; i < theta.length; i++) {
    const base = theta[i] as number;
    const h = FD_STEP * Math.max(1, Math.abs(base));
    point[i] = base + h;
    const up = safeValue(f, point, counter);
    point[i] = base - h;
    const down = safeValue(f, point, counter);
    point[i] = base;
    if (Number.isFinite(up) && Number.isFinite(down)) out[i] = (up - down) / (2 * h);
    else if (Number.isFinite(up)) out[i] = (up - f0) / h;
    else if (Number.isFinite(down)) out[i] = (f0 - down) / h;
    else return false;
  }
  return true;
}

/** Returns f and fills the gradient: analytic when available, else numeric. False if it failed. */
function evaluateWithGradient(
  f: Objective,
  options: MinimizeOptions,
  theta: Float64Array,
  gradient: Float64Array,
  counter: Counter,
): number {
  if (options.valueAndGradient) {
    counter.evaluations++;
    try {
      const value = options.valueAndGradient(theta, gradient);
      if (!Number.isFinite(value)) return Infinity;
      for (let i = 0; i < gradient.length; i++) if (!Number.isFinite(gradient[i] as number)) return Infinity;
      return value;
    } catch {
      return Infinity;
    }
  }
  const value = safeValue(f, theta, counter);
  if (!Number.isFinite(value)) return Infinity;
  return numericGradient(f, theta, value, gradient, counter) ? value : Infinity;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (u[i] as number) * (v[i] as number);
  return s;
}

/**
 * Fills H with the inverse of the forward-difference Hessian of the analytic gradient at x (where f
 * has gradient g), shifted by a multiple of the identity where needed to make it positive definite.
 * Returns false, leaving H untouched, if that fails.
 */
function startingInverseHessian(
  valueAndGradient: ObjectiveWithGradient,
  x: Float64Array,
  g: Float64Array,
  H: Float64Array,
  counter: Counter,
): boolean {
  const n = x.length;
  const point = Float64Array.from(x);
  const shifted = new Float64Array(n);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const base = point[i] as number;
    const h = 1e-5 * Math.max(1, Math.abs(base));
    point[i] = base + h;
    counter.evaluations++;
    let value: number;
    try {
      value = valueAndGradient(point, shifted);
    } catch {
      return false;
    }
    point[i] = base;
    if (!Number.isFinite(value)) return false;
    rows.push(Array.from(shifted, (v, j) => (v - (g[j] as number)) / h));
  }
  const symmetric = rows.map((row, i) => row.map((v, j) => 0.5 * (v + ((rows[j] as number[])[i] as number))));
  // Not positive definite far from the optimum: add tau * I until it is (Nocedal & Wright Alg. 3.3).
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, Math.abs((symmetric[i] as number[])[i] as number));
  if (!(maxDiagonal > 0) || !Number.isFinite(maxDiagonal)) return false;
  let inverse = invertSpd(symmetric);
  let tau = 1e-3 * maxDiagonal;
  for (let attempt = 0; inverse === null && attempt < 40; attempt++) {
    const shiftedMatrix = symmetric.map((row, i) => row.map((v, j) => (i === j ? v + tau : v)));
    inverse = invertSpd(shiftedMatrix);
    tau *= 2;
  }
  if (inverse === null) return false;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = (inverse[i] as number[])[j] as number;
  return true;
}

/** Index of a known optimum within the radius of x and no worse than value fx, or -1. */
function nearKnownOptimum(x: Float64Array, fx: number, known: MinimizeOptions['knownOptima']): number {
  if (!known) return -1;
  for (let k = 0; k < known.points.length; k++) {
    const point = known.points[k] as ArrayLike<number>;
    const value = known.values[k] as number;
    if (fx < value - 1e-9 * Math.max(1, Math.abs(value))) continue; // already better: not a duplicate
    let distance = 0;
    for (let i = 0; i < x.length; i++) distance = Math.max(distance, Math.abs((x[i] as number) - (point[i] as number)));
    if (distance <= known.radius) return k;
  }
  return -1;
}

/** BFGS on theta with backtracking (Armijo) line search. */
export function bfgs(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-7;
  const ftol = options.tolerance ?? 1e-12;
  const maxStep = options.maxStep ?? 3;
  const counter: Counter = { evaluations: 0 };

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = evaluateWithGradient(f, options, x, g, counter);
  if (!Number.isFinite(fx)) {
    return {
      x: Array.from(x),
      value: Infinity,
      iterations: 0,
      evaluations: counter.evaluations,
      converged: false,
      gradientNorm: Infinity,
      message: 'the objective could not be evaluated at the starting point',
    };
  }
  // Inverse Hessian approximation, row-major n x n: with an analytic gradient, the inverse of a
  // finite-difference Hessian at the start when that is positive definite (n extra evaluations, far
  // fewer iterations); otherwise the identity, rescaled after the first step.
  const H = new Float64Array(n * n);
  let scaledStart = false;
  if (options.valueAndGradient) scaledStart = startingInverseHessian(options.valueAndGradient, x, g, H, counter);
  if (!scaledStart) for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const direction = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  let iterations = 0;
  let message = `stopped after ${maxIterations} iterations without converging`;
  let converged = false;
  let stalls = 0;
  let firstStep = true;
  let duplicate = false;

  while (iterations < maxIterations) {
    const gradientNorm = maxAbs(g);
    if (gradientNorm <= gtol) {
      converged = true;
      message = `converged after ${iterations} iterations (gradient ${gradientNorm.toExponential(2)})`;
      break;
    }
    iterations++;
    // direction = -H g, reset to steepest descent if it is not a descent direction.
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += (H[i * n + j] as number) * (g[j] as number);
      direction[i] = -sum;
    }
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        direction[i] = -(g[i] as number);
      }
      slope = dot(direction, g);
    }
    const directionNorm = Math.sqrt(dot(direction, direction));
    let step = Math.min(1, maxStep / directionNorm);
    if (firstStep && !scaledStart) step = Math.min(step, 0.1 / Math.max(1e-12, maxAbs(direction))); // gentle first step
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] as number) + step * (direction[i] as number);
      fNew = evaluateWithGradient(f, options, xNew, gNew, counter);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= Number.isFinite(fNew) ? 0.5 : 0.2;
    }
    if (!accepted) {
      const gradientOk = gradientNorm <= Math.sqrt(gtol);
      converged = gradientOk;
      message = gradientOk
        ? `converged after ${iterations} iterations (line search cannot improve further; gradient ${gradientNorm.toExponential(2)})`
        : `the line search failed after ${iterations} iterations (gradient ${gradientNorm.toExponential(2)})`;
      iterations--;
      break;
    }
    firstStep = false;
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const change = fx - fNew;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (iterations === 1 && !scaledStart) {
        // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20) before the first update.
        const scale = sy / dot(y, y);
        for (let i = 0; i < n * n; i++) H[i] = (H[i] as number) * scale;
      }
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += (H[i * n + j] as number) * (y[j] as number);
        Hy[i] = sum;
      }
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const si = s[i] as number;
          const sj = s[j] as number;
          H[i * n + j] =
            (H[i * n + j] as number) - rho * ((Hy[i] as number) * sj + si * (Hy[j] as number)) + (rho * rho * yHy + rho) * si * sj;
        }
      }
    }
    const swap = g;
    g = gNew;
    gNew = swap;
    x = Float64Array.from(xNew);
    fx = fNew;
    const duplicateOf = nearKnownOptimum(x, fx, options.knownOptima);
    if (duplicateOf >= 0) {
      converged = false;
      duplicate = true;
      message = `stopped after ${iterations} iterations: heading to the optimum an earlier start already found`;
      break;
    }
    if (Math.abs(change) <= ftol * Math.max(1, Math.abs(fx))) {
      stalls++;
      if (stalls >= 3 && maxAbs(g) <= Math.sqrt(gtol)) {
        converged = true;
        message = `converged after ${iterations} iterations (objective stalled; gradient ${maxAbs(g).toExponential(2)})`;
        break;
      }
    } else stalls = 0;
  }
  return {
    x: Array.from(x),
    value: fx,
    iterations,
    evaluations: counter.evaluations,
    converged,
    gradientNorm: maxAbs(g),
    message,
    duplicate,
  };
}

/** Nelder-Mead simplex (standard coefficients 1, 2, 0.5, 0.5). Stops when the simplex is flat. */
export function nelderMead(
  f: Objective,
  x0: ArrayLike<number>,
  options: { maxIterations?: number; tolerance?: number; initialStep?: number } = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-10;
  const initialStep = options.initialStep ?? 0.5;
  const counter: Counter = { evaluations: 0 };
  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let k = 0; k <= n; k++) {
    const p = Float64Array.from(x0);
    if (k > 0) p[k - 1] = (p[k - 1] as number) + initialStep;
    points.push(p);
    values.push(safeValue(f, p, counter));
  }
  const order = points.map((_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, coefficient: number): Float64Array => {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = (centroid[i] as number) + coefficient * ((from[i] as number) - (centroid[i] as number));
    return p;
  };
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    order.sort((i, j) => (values[i] as number) - (values[j] as number));
    const best = order[0] as number;
    const worst = order[n] as number;
    const bestValue = values[best] as number;
    const worstValue = values[worst] as number;
    if (Number.isFinite(worstValue) && Math.abs(worstValue - bestValue) <= tolerance * Math.max(1, Math.abs(bestValue))) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = points[order[k] as number] as Float64Array;
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (p[i] as number) / n;
    }
    const worstPoint = points[worst] as Float64Array;
    const reflected = trial(worstPoint, -1);
    const fr = safeValue(f, reflected, counter);
    const secondWorst = values[order[n - 1] as number] as number;
    if (fr < bestValue) {
      const expanded = trial(worstPoint, -2);
      const fe = safeValue(f, expanded, counter);
      points[worst] = fe < fr ? expanded : reflected;
      values[worst] = Math.min(fe, fr);
    } else if (fr < secondWorst) {
      points[worst] = reflected;
      values[worst] = fr;
    } else {
      const contracted = fr < worstValue ? trial(worstPoint, -0.5) : trial(worstPoint, 0.5);
      const fc = safeValue(f, contracted, counter);
      if (fc < Math.min(fr, worstValue)) {
        points[worst] = contracted;
        values[worst] = fc;
      } else {
        const bestPoint = points[best] as Float64Array;
        for (const k of order.slice(1)) {
          const p = points[k] as Float64Array;
          for (let i = 0; i < n; i++) p[i] = (bestPoint[i] as number) + 0.5 * ((p[i] as number) - (bestPoint[i] as number));
          values[k] = safeValue(f, p, counter);
        }
      }
    }
  }
  order.sort((i, j) => (values[i] as number) - (values[j] as number));
  const bestIndex = order[0] as number;
  return {
    x: Array.from(points[bestIndex] as Float64Array),
    value: values[bestIndex] as number,
    iterations,
    evaluations: counter.evaluations,
    converged,
    gradientNorm: NaN, // filled in by minimize, which measures it
    message: converged ? `simplex converged after ${iterations} iterations` : `simplex stopped after ${iterations} iterations`,
  };
}

/** Max-norm of the (analytic or numeric) gradient at theta; Infinity if it cannot be computed. */
export function gradientNormAt(f: Objective, theta: ArrayLike<number>, options: MinimizeOptions = {}): number {
  const g = new Float64Array(theta.length);
  const value = evaluateWithGradient(f, options, Float64Array.from(theta), g, { evaluations: 0 });
  return Number.isFinite(value) ? maxAbs(g) : Infinity;
}

/**
 * Minimises f from x0: BFGS first; if it does not converge, Nelder-Mead from BFGS's best point and
 * BFGS again from there. The result reports the total work and whether the gradient is small.
 */
export function minimize(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const first = bfgs(f, x0, options);
  if (first.converged || first.duplicate) return first;
  const start = Number.isFinite(first.value) ? first.x : Array.from(x0);
  const simplex = nelderMead(f, start, { maxIterations: 200 * x0.length });
  const polished = bfgs(f, simplex.value < first.value ? simplex.x : start, options);
  const candidates = [first, polished].filter((r) => Number.isFinite(r.value));
  const simplexBest = Number.isFinite(simplex.value) && simplex.value < Math.min(first.value, polished.value);
  let best: MinimizeResult;
  if (simplexBest) {
    const gradientNorm = gradientNormAt(f, simplex.x, options);
    best = {
      ...simplex,
      gradientNorm,
      converged: gradientNorm <= Math.sqrt(options.gradientTolerance ?? 1e-7),
    };
  } else {
    best = candidates.reduce((p, q) => (q.value < p.value ? q : p), first);
  }
  const iterations = first.iterations + simplex.iterations + polished.iterations;
  const evaluations = first.evaluations + simplex.evaluations + polished.evaluations;
  const how = best.converged ? 'converged' : 'did not converge';
  return {
    ...best,
    iterations,
    evaluations,
    message: `${how} after ${iterations} iterations with the Nelder-Mead fallback (${best.message}; BFGS first: ${first.message})`,
  };
}

export interface MultiStartResult extends MinimizeResult {
  /** How many starting points were tried. */
  starts: number;
  /** Index of the start that gave the best value. */
  bestStart: number;
}

/**
 * Minimises from every start and keeps the lowest value (a converged run wins over a non-converged
 * one only by value: the best optimum is what matters). A later start whose path comes within 0.1
 * (max-norm in theta) of an optimum an earlier start converged to, without being better, stops there
 * as a duplicate. Iterations and evaluations are totals.
 */
export function fitWithStarts(
  f: Objective,
  starts: ReadonlyArray<ArrayLike<number>>,
  options: MinimizeOptions & { onProgress?: (fraction: number) => void } = {},
): MultiStartResult {
  if (starts.length === 0) throw new Error('fitWithStarts needs at least one starting point');
  let best: MinimizeResult | null = null;
  let bestStart = 0;
  let iterations = 0;
  let evaluations = 0;
  const optima: number[][] = [];
  const optimumValues: number[] = [];
  starts.forEach((start, index) => {
    const result = minimize(f, start, { ...options, knownOptima: { points: optima, values: optimumValues, radius: 0.1 } });
    if (result.converged) {
      optima.push(result.x);
      optimumValues.push(result.value);
    }
    iterations += result.iterations;
    evaluations += result.evaluations;
    // A duplicate run is never better than the optimum it was heading to.
    const better = best === null || result.value < best.value || (!Number.isFinite(best.value) && Number.isFinite(result.value));
    if (!result.duplicate && better) {
      best = result;
      bestStart = index;
    }
    options.onProgress?.((index + 1) / starts.length);
  });
  const winner = best as unknown as MinimizeResult;
  return { ...winner, iterations, evaluations, starts: starts.length, bestStart };
}

/**
 * Numeric Hessian of f at x (symmetric, n x n as an array of rows). With an analytic gradient,
 * central differences of the gradient; otherwise second-order central differences of f.
 * Entries that cannot be computed are NaN (callers then decline to use the Hessian).
 */
export function hessian(f: Objective, x: ArrayLike<number>, valueAndGradient?: ObjectiveWithGradient): number[][] {
  const n = x.length;
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  const point = Float64Array.from(x);
  const safe = (p: Float64Array): number => safeValue(f, p, { evaluations: 0 });
  if (valueAndGradient) {
    const up = new Float64Array(n);
    const down = new Float64Array(n);
    const rows: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const base = point[i] as number;
      const h = 1e-5 * Math.max(1, Math.abs(base));
      const at = (value: number, out: Float64Array): number => {
        point[i] = value;
        try {
          return valueAndGradient(point, out);
        } catch {
          return NaN;
        } finally {
          point[i] = base;
        }
      };
      const fu = at(base + h, up);
      const fd = at(base - h, down);
      const row = new Float64Array(n).fill(NaN);
      if (Number.isFinite(fu) && Number.isFinite(fd)) {
        for (let j = 0; j < n; j++) row[j] = ((up[j] as number) - (down[j] as number)) / (2 * h);
      }
      rows.push(row);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        (H[i] as number[])[j] = 0.5 * (((rows[i] as Float64Array)[j] as number) + ((rows[j] as Float64Array)[i] as number));
      }
    }
    return H;
  }
  const f0 = safe(point);
  const steps = Array.from(x, (v) => 1e-4 * Math.max(1, Math.abs(v)));
  for (let i = 0; i < n; i++) {
    const hi = steps[i] as number;
    const xi = point[i] as number;
    point[i] = xi + hi;
    const fp = safe(point);
    point[i] = xi - hi;
    const fm = safe(point);
    point[i] = xi;
    (H[i] as number[])[i] = (fp - 2 * f0 + fm) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = steps[j] as number;
      const xj = point[j] as number;
      const at = (di: number, dj: number): number => {
        point[i] = xi + di;
        point[j] = xj + dj;
        const value = safe(point);
        point[i] = xi;
        point[j] = xj;
        return value;
      };
      const value = (at(hi, hj) - at(hi, -hj) - at(-hi, hj) + at(-hi, -hj)) / (4 * hi * hj);
      (H[i] as number[])[j] = value;
      (H[j] as number[])[i] = value;
    }
  }
  return H;
}

/** Cholesky factor L (lower, row-major) of a symmetric matrix, or null if it is not positive definite. */
export function cholesky(A: number[][]): number[][] | null {
  const n = A.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (A[i] as number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= ((L[i] as number[])[k] as number) * ((L[j] as number[])[k] as number);
      if (!Number.isFinite(sum)) return null;
      if (i === j) {
        if (!(sum > 0)) return null;
        (L[i] as number[])[i] = Math.sqrt(sum);
      } else {
        (L[i] as number[])[j] = sum / ((L[j] as number[])[j] as number);
      }
    }
  }
  return L;
}

/** Inverse of a symmetric positive definite matrix via Cholesky, or null if it is not positive definite. */
export function invertSpd(A: number[][]): number[][] | null {
  const L = cholesky(A);
  if (L === null) return null;
  const n = A.length;
  const inverse: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    // Solve L y = e_col, then L^T x = y.
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= ((L[i] as number[])[k] as number) * (y[k] as number);
      y[i] = sum / ((L[i] as number[])[i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i] as number;
      for (let k = i + 1; k < n; k++) sum -= ((L[k] as number[])[i] as number) * ((inverse[k] as number[])[col] as number);
      (inverse[i] as number[])[col] = sum / ((L[i] as number[])[i] as number);
    }
  }
  return inverse;
}

/**
 * Standard errors of the natural parameters p = exp(theta) at an optimum theta of a negative
 * log-likelihood (unpenalised, total over customers): Cov(theta) = H_theta^{-1}, and by the delta
 * method se(p_i) = p_i sqrt(Cov(theta)_ii). (At a stationary point this equals the inverse Hessian in
 * natural-parameter space.) Null when the Hessian is not positive definite or not finite.
 */
export function standardErrors(
  negativeLogLikelihood: Objective,
  theta: ArrayLike<number>,
  valueAndGradient?: ObjectiveWithGradient,
): number[] | null {
  let H: number[][];
  try {
    H = hessian(negativeLogLikelihood, theta, valueAndGradient);
  } catch {
    return null;
  }
  const covariance = invertSpd(H);
  if (covariance === null) return null;
  const errors: number[] = [];
  for (let i = 0; i < theta.length; i++) {
    const variance = (covariance[i] as number[])[i] as number;
    const se = Math.exp(theta[i] as number) * Math.sqrt(variance);
    if (!Number.isFinite(se) || !(variance > 0)) return null;
    errors.push(se);
  }
  return errors;
}
