/**
 * BG/NBD: the beta-geometric / negative binomial distribution model of Fader, Hardie & Lee (2005),
 * "Counting your customers the easy way: an alternative to the Pareto/NBD model", Marketing Science
 * 24(2), 275-284 (equation numbers below refer to it).
 *
 * While active, a customer buys at Poisson rate lambda ~ Gamma(r, alpha) (rate parameter alpha);
 * after each repeat purchase they drop out with probability p ~ Beta(a, b).
 *
 * The same machinery serves MBG/NBD (Batislam, Denizel & Filiztekin 2007), where the customer may also
 * drop out right after the first purchase: everything below is written for a "dropout shift" k,
 * k = 0 for BG/NBD and k = 1 for MBG/NBD, so that an active customer with x repeat purchases has
 * survived x + k dropout opportunities. mbgnbd.ts builds its model from makeGeometricDropoutModel(1).
 */
import { ClvError } from './errors';
import { fitModel, validateRfmData } from './fit';
import type { FitOptions, FitResult, History, ModelName, Params, RfmData, TransactionModel } from './model';
import { digamma, lbeta, lgamma, logAddExp, logHyp2f1 } from './special';

export interface BgnbdParams extends Params {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Largest integer x for which the per-evaluation lookup tables are used (else lgamma per row). */
const TABLE_LIMIT = 1_000_000;

function checkParams(params: BgnbdParams, model: ModelName): void {
  for (const name of PARAM_NAMES) {
    const value = params[name];
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new ClvError('invalid-params', `${model}: parameter ${name} must be a finite number > 0, got ${value}.`, {
        model,
        param: name,
        value: String(value),
      });
    }
  }
}

function checkHistory(h: History, model: ModelName): void {
  const { x, tx, T } = h;
  if (!(x >= 0) || !Number.isFinite(x) || !(tx >= 0) || !Number.isFinite(tx) || !(T >= 0) || !Number.isFinite(T)) {
    throw new ClvError('invalid-input', `${model}: x, t_x and T must be finite and >= 0 (got ${x}, ${tx}, ${T}).`, {
      model,
    });
  }
  if (tx > T * (1 + 1e-12)) {
    throw new ClvError('invalid-input', `${model}: the last purchase (t_x = ${tx}) is after the end of observation (T = ${T}).`, {
      model,
    });
  }
}

function checkHorizon(t: number, model: ModelName): void {
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new ClvError('invalid-input', `${model}: the horizon t must be a finite number >= 0, got ${t}.`, { model });
  }
}

function checkCount(n: number, model: ModelName): void {
  if (!(n >= 0) || !Number.isInteger(n)) {
    throw new ClvError('invalid-input', `${model}: the number of transactions n must be an integer >= 0, got ${n}.`, {
      model,
    });
  }
}

/** ln(1 + e^u) without overflow. */
function log1pExp(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** Largest x, and whether every x is an integer small enough for the lookup tables. */
function scanCounts(counts: Float64Array): { maxX: number; tables: boolean } {
  let maxX = 0;
  let integer = true;
  for (let i = 0; i < counts.length; i++) {
    const x = counts[i] as number;
    if (x > maxX) maxX = x;
    if (!Number.isInteger(x)) integer = false;
  }
  return { maxX, tables: integer && maxX <= TABLE_LIMIT };
}

/** Distinct values of a column and, per row, the index of its value among them. */
function distinctValues(column: Float64Array): { values: Float64Array; index: Int32Array } {
  const positions = new Map<number, number>();
  const values: number[] = [];
  const index = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    let at = positions.get(v);
    if (at === undefined) {
      at = values.length;
      positions.set(v, at);
      values.push(v);
    }
    index[i] = at;
  }
  return { values: Float64Array.from(values), index };
}

/**
 * Merges rows with identical (x, t_x, T) by summing their weights, and drops zero-weight rows, so
 * the likelihood loop runs once per distinct history. Also returns the distinct T and t_x values, so
 * ln(alpha + T) is computed once per distinct value rather than once per row.
 */
function compressRows(data: RfmData) {
  const T = distinctValues(data.T);
  const tx = distinctValues(data.tx);
  const x = distinctValues(data.x);
  const nT = T.values.length;
  const nTx = tx.values.length;
  const rowOf = new Map<number, number>();
  const keep: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    const key = ((x.index[i] as number) * nTx + (tx.index[i] as number)) * nT + (T.index[i] as number);
    const row = rowOf.get(key);
    if (row === undefined) {
      rowOf.set(key, keep.length);
      keep.push(i);
      weights.push(w);
    } else {
      weights[row] = (weights[row] as number) + w;
    }
  }
  const n = keep.length;
  const out = {
    x: new Float64Array(n),
    weight: Float64Array.from(weights),
    iT: new Int32Array(n),
    iTx: new Int32Array(n),
    T: T.values,
    tx: tx.values,
  };
  keep.forEach((i, row) => {
    out.x[row] = data.x[i] as number;
    out.iT[row] = T.index[i] as number;
    out.iTx[row] = tx.index[i] as number;
  });
  return out;
}

/**
 * The log-likelihood (eq. 6; for k = 1 Batislam et al. eq. 3) and its gradient with respect to
 * (r, alpha, a, b), as one tight loop over the distinct rows. The parts that depend on a row only
 * through x (ln Γ(r+x) - ln Γ(r), ln B(a, b+x+k) - ln B(a, b), ln(b+x+k-1) and their derivatives)
 * come from tables built once per evaluation: by cumulative sums over x = 0..max x when the counts
 * are integers (the usual case), else per row from lgamma/digamma; ln(alpha+T), ln(alpha+t_x) once
 * per distinct value.
 */
function makeLikelihood(data: RfmData, k: number, model: ModelName) {
  const compressed = compressRows(data);
  const { x: X, weight: W, iT: IT, iTx: ITX } = compressed;
  const rows = X.length;
  const { maxX, tables } = scanCounts(X);
  const size = tables ? maxX + k + 2 : rows;
  const lgR = new Float64Array(size); // ln Γ(r+x) - ln Γ(r), by x
  const dR = new Float64Array(size); // ψ(r+x) - ψ(r)
  const lbB = new Float64Array(size); // ln B(a, b+m) - ln B(a, b), by m = x + k
  const dA = new Float64Array(size); // d/da of lbB
  const dB = new Float64Array(size); // d/db of lbB
  const logBm1 = new Float64Array(size); // ln(b+m-1), by m (unused for m = 0)
  const invBm1 = new Float64Array(size); // 1/(b+m-1)
  const distinctT = compressed.T;
  const distinctTx = compressed.tx;
  const logAT = new Float64Array(distinctT.length);
  const invAT = new Float64Array(distinctT.length);
  const logATx = new Float64Array(distinctTx.length);
  const invATx = new Float64Array(distinctTx.length);
  // Table indices of each row: x and m = x + k with integer tables, the row itself otherwise.
  // (Int32 indices: indexing typed arrays by doubles is slow in V8.)
  const IX = new Int32Array(rows);
  const IM = new Int32Array(rows);
  const M = new Int32Array(rows); // 1 when the row has a "dead" term (x + k > 0)
  for (let i = 0; i < rows; i++) {
    const x = X[i] as number;
    IX[i] = tables ? x : i;
    IM[i] = tables ? x + k : i;
    M[i] = x + k > 0 ? 1 : 0;
  }

  function buildTables(r: number, alpha: number, a: number, b: number): void {
    for (let j = 0; j < distinctT.length; j++) {
      const v = alpha + (distinctT[j] as number);
      logAT[j] = Math.log(v);
      invAT[j] = 1 / v;
    }
    for (let j = 0; j < distinctTx.length; j++) {
      const v = alpha + (distinctTx[j] as number);
      logATx[j] = Math.log(v);
      invATx[j] = 1 / v;
    }
    if (tables) {
      lgR[0] = 0;
      dR[0] = 0;
      lbB[0] = 0;
      dA[0] = 0;
      dB[0] = 0;
      for (let j = 0; j + 1 < size; j++) {
        const lb = Math.log(b + j);
        logBm1[j + 1] = lb;
        invBm1[j + 1] = 1 / (b + j);
        lgR[j + 1] = (lgR[j] as number) + Math.log(r + j);
        lbB[j + 1] = (lbB[j] as number) + lb - Math.log(a + b + j);
        dR[j + 1] = (dR[j] as number) + 1 / (r + j);
        const inv = 1 / (a + b + j);
        dA[j + 1] = (dA[j] as number) - inv;
        dB[j + 1] = (dB[j] as number) + 1 / (b + j) - inv;
      }
      return;
    }
    const lgammaR = lgamma(r);
    const psiR = digamma(r);
    const lbetaAB = lbeta(a, b);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    for (let i = 0; i < rows; i++) {
      const x = X[i] as number;
      const m = x + k;
      lgR[i] = lgamma(r + x) - lgammaR;
      dR[i] = digamma(r + x) - psiR;
      lbB[i] = lbeta(a, b + m) - lbetaAB;
      const psiABm = digamma(a + b + m);
      dA[i] = psiAB - psiABm;
      dB[i] = digamma(b + m) - psiB + psiAB - psiABm;
      logBm1[i] = m > 0 ? Math.log(b + m - 1) : 0;
      invBm1[i] = m > 0 ? 1 / (b + m - 1) : 0;
    }
  }

  /** Total LL; fills d LL / d (r, alpha, a, b) into gradient when given. */
  function evaluate(params: BgnbdParams, gradient?: Float64Array): number {
    checkParams(params, model);
    const { r, alpha, a, b } = params;
    buildTables(r, alpha, a, b);
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    const rOverAlpha = r / alpha;
    const invA = 1 / a;
    let total = 0;
    let gr = 0;
    let galpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const w = W[i] as number;
      const ix = IX[i] as number;
      const im = IM[i] as number;
      const it = IT[i] as number;
      const rx = r + (X[i] as number);
      const logT = logAT[it] as number;
      let ll = (lgR[ix] as number) + r * logAlpha - rx * logT + (lbB[im] as number);
      let dr = (dR[ix] as number) + logAlpha - logT;
      let dalpha = rOverAlpha - rx * (invAT[it] as number);
      let da = dA[im] as number;
      let db = dB[im] as number;
      if (M[i] === 1) {
        const itx = ITX[i] as number;
        const logRatio = logT - (logATx[itx] as number);
        const u = logA - (logBm1[im] as number) + rx * logRatio;
        // ln(1 + e^u) and the logistic pi = e^u / (1 + e^u) from one exponential.
        const e = Math.exp(-Math.abs(u));
        const pi = u > 0 ? 1 / (1 + e) : e / (1 + e);
        ll += (u > 0 ? u : 0) + Math.log1p(e);
        dr += pi * logRatio;
        dalpha += pi * rx * ((invAT[it] as number) - (invATx[itx] as number));
        da += pi * invA;
        db -= pi * (invBm1[im] as number);
      }
      total += w * ll;
      gr += w * dr;
      galpha += w * dalpha;
      ga += w * da;
      gb += w * db;
    }
    if (!Number.isFinite(total) || !Number.isFinite(gr + galpha + ga + gb)) {
      throw new ClvError('numeric', `${model}: the log-likelihood is not finite at these parameters.`, {
        model,
        ...params,
      });
    }
    if (gradient) {
      gradient[0] = gr;
      gradient[1] = galpha;
      gradient[2] = ga;
      gradient[3] = gb;
    }
    return total;
  }
  return { evaluate, rows };
}

/**
 * ln of the ratio "dead at T" / "alive at T" terms of the likelihood for a customer with m = x + k
 * dropout opportunities survived: ln(a/(b+m-1)) + (r+x) ln((alpha+T)/(alpha+t_x)).
 */
function logDeadToAlive(params: BgnbdParams, h: History, k: number): number {
  const { r, alpha, a, b } = params;
  const m = h.x + k;
  if (m <= 0) return -Infinity;
  return Math.log(a) - Math.log(b + m - 1) + (r + h.x) * (Math.log(alpha + h.T) - Math.log(alpha + h.tx));
}

/**
 * Expected purchases in the next t of a customer known to be alive now, with posterior
 * lambda ~ Gamma(rr, aa) and p ~ Beta(a, bb) (dropout after each purchase):
 *   (a+bb-1)/(a-1) [1 - (aa/(aa+t))^rr 2F1(rr, bb; a+bb-1; t/(aa+t))]       (FHL 2005 eq. 9-10).
 * a = 1 and a + bb = 1 are removable singularities of this closed form; next to them the value is
 * the average of the two neighbours at distance 1e-6 (error ~1e-10 relative).
 */
function expectedWhileAlive(rr: number, aa: number, a: number, bb: number, t: number, nearSingular = true): number {
  if (t === 0) return 0;
  const h = 1e-6;
  if (nearSingular && Math.abs(a - 1) < h) {
    return 0.5 * (expectedWhileAlive(rr, aa, 1 - h, bb, t, false) + expectedWhileAlive(rr, aa, 1 + h, bb, t, false));
  }
  const c = a + bb - 1;
  if (nearSingular && Math.abs(c) < h && bb > 2 * h) {
    return 0.5 * (expectedWhileAlive(rr, aa, a, bb - c + h, t, false) + expectedWhileAlive(rr, aa, a, bb - c - h, t, false));
  }
  const z = t / (aa + t);
  const F = logHyp2f1(rr, bb, c, z); // c < 0 (a + bb < 1) is allowed: 2F1 may then be negative
  const L = rr * Math.log1p(-z) + F.log; // ln |(1-z)^rr 2F1|
  const bracket = F.sign > 0 ? -Math.expm1(L) : F.sign < 0 ? 1 + Math.exp(L) : 1;
  const value = (c / (a - 1)) * bracket;
  if (!Number.isFinite(value) || value < 0) {
    throw new ClvError('numeric', 'Expected transactions could not be computed to a finite non-negative value.', {
      rr,
      aa,
      a,
      bb,
      t,
    });
  }
  return value;
}

/** ln pmf of the negative binomial NB(j; r, q) = Γ(r+j)/(Γ(r) j!) (1-q)^r q^j. */
function logNbPmf(j: number, r: number, q: number): number {
  if (j === 0) return r * Math.log1p(-q);
  return lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * Math.log1p(-q) + j * Math.log(q);
}

/** ln P(NB(r, q) >= n), summing whichever side avoids cancellation. */
function logNbTail(n: number, r: number, q: number): number {
  if (n <= 0) return 0;
  if (q === 0) return -Infinity;
  let lower = 0;
  let logPmf = r * Math.log1p(-q);
  for (let j = 0; j < n; j++) {
    lower += Math.exp(logPmf);
    logPmf += Math.log(((r + j) / (j + 1)) * q);
  }
  if (lower <= 0.5) return Math.log1p(-lower);
  // Sum the upper tail directly from j = n, where logPmf now stands.
  let sum = 0;
  let term = 1;
  for (let j = n; j < n + 10_000_000; j++) {
    sum += term;
    const ratio = ((r + j) / (j + 1)) * q;
    term *= ratio;
    const rho = Math.max(ratio, q);
    if (j > r && rho < 1 && (term * rho) / (1 - rho) < 1e-17 * sum) break;
  }
  return logPmf + Math.log(sum);
}

/**
 * Total log-likelihood and its analytic gradient d LL / d (r, alpha, a, b), written into `gradient`
 * (k = 0: BG/NBD, k = 1: MBG/NBD). Exposed for tests and for callers that fit with their own optimiser.
 */
export function logLikelihoodWithGradient(params: BgnbdParams, data: RfmData, gradient: Float64Array, k: 0 | 1 = 0): number {
  validateRfmData(data);
  return makeLikelihood(data, k, k === 0 ? 'bgnbd' : 'mbgnbd').evaluate(params, gradient);
}

/** The BG/NBD-family model with dropout shift k (0: BG/NBD, 1: MBG/NBD). */
export function makeGeometricDropoutModel(k: 0 | 1, name: ModelName): TransactionModel<BgnbdParams> {
  const model: TransactionModel<BgnbdParams> = {
    name,
    paramNames: PARAM_NAMES,

    logLikelihood(params: BgnbdParams, data: RfmData): number {
      validateRfmData(data);
      return makeLikelihood(data, k, name).evaluate(params);
    },

    fit(data: RfmData, options?: FitOptions): FitResult<BgnbdParams> {
      const n = validateRfmData(data);
      let purchases = 0;
      let exposure = 0;
      for (let i = 0; i < data.x.length; i++) {
        purchases += (data.weight[i] as number) * (data.x[i] as number);
        exposure += (data.weight[i] as number) * (data.T[i] as number);
      }
      if (!(purchases > 0)) {
        throw new ClvError(
          'invalid-input',
          `${name}: no customer made a repeat purchase, so purchase rates and dropout cannot be estimated ` +
            '(the likelihood keeps rising as the purchase rate goes to 0). Collect a longer history first.',
          { model: name },
        );
      }
      if (!(exposure > 0)) {
        throw new ClvError('invalid-input', `${name}: every customer has T = 0: there is no observation time to fit.`);
      }
      const { evaluate, rows } = makeLikelihood(data, k, name);
      // Starting points scaled to the data: mean rate r/alpha equal to the observed purchases per unit time.
      const alpha0 = exposure / purchases;
      return fitModel<BgnbdParams>({
        model: name,
        paramNames: PARAM_NAMES,
        logLikelihood: (p) => evaluate(p),
        logLikelihoodWithGradient: (p, g) => evaluate(p, g),
        n,
        rows,
        defaultStarts: [
          { r: 0.3, alpha: 0.3 * alpha0, a: 0.7, b: 2 },
          { r: 1, alpha: alpha0, a: 1, b: 3 },
          { r: 3, alpha: 3 * alpha0, a: 2, b: 8 },
        ],
        options,
      });
    },

    pAlive(params: BgnbdParams, h: History): number {
      checkParams(params, name);
      checkHistory(h, name);
      const u = logDeadToAlive(params, h, k);
      return u === -Infinity ? 1 : 1 / (1 + Math.exp(u));
    },

    conditionalExpectedTransactions(params: BgnbdParams, t: number, h: History): number {
      checkParams(params, name);
      checkHistory(h, name);
      checkHorizon(t, name);
      const { r, alpha, a, b } = params;
      const alive = model.pAlive(params, h);
      return alive * expectedWhileAlive(r + h.x, alpha + h.T, a, b + h.x + k, t);
    },

    expectedTransactionsNew(params: BgnbdParams, t: number): number {
      checkParams(params, name);
      checkHorizon(t, name);
      const { r, alpha, a, b } = params;
      // MBG/NBD: survive the dropout at time 0 with probability b/(a+b), then p | survived ~ Beta(a, b+1).
      const survive = k === 0 ? 1 : b / (a + b);
      return survive * expectedWhileAlive(r, alpha, a, b + k, t);
    },

    probabilityOfN(params: BgnbdParams, n: number, t: number): number {
      checkParams(params, name);
      checkCount(n, name);
      checkHorizon(t, name);
      const { r, alpha, a, b } = params;
      // FHL 2005 eq. 8 (k = 0), generalised to the shift k:
      // P(X(t)=n) = B(a, b+n+k)/B(a,b) NB(n; r, q) + [n+k >= 1] B(a+1, b+n+k-1)/B(a,b) P(NB(r, q) >= n),
      // with q = t/(alpha+t).
      if (t === 0) return n === 0 ? 1 : 0;
      const q = t / (alpha + t);
      const m = n + k;
      const lbAB = lbeta(a, b);
      let logP = lbeta(a, b + m) - lbAB + logNbPmf(n, r, q);
      if (m >= 1) logP = logAddExp(logP, lbeta(a + 1, b + m - 1) - lbAB + logNbTail(n, r, q));
      return clampProbability(Math.exp(logP), name);
    },

    conditionalProbabilityOfN(params: BgnbdParams, n: number, t: number, h: History): number {
      checkParams(params, name);
      checkCount(n, name);
      checkHistory(h, name);
      checkHorizon(t, name);
      const { r, alpha, a, b } = params;
      // Derived by conditioning the likelihood on Y(t) (see conditionalProbabilityOfN in the tests for the checks
      // sum = 1 and mean = conditionalExpectedTransactions). With m = x + k and q = t/(alpha+T+t), relative to the
      // "alive" likelihood term B(a, b+m) Γ(r+x) alpha^r / (Γ(r) (alpha+T)^(r+x)):
      //   denominator = 1 + e^u  (u = logDeadToAlive, absent when m = 0)
      //   n = 0: (1-q)^(r+x) + e^u
      //   n >= 1: B(a+1, b+m+n-1)/B(a, b+m) P(NB(r+x, q) >= n) + B(a, b+m+n)/B(a, b+m) NB(n; r+x, q)
      if (t === 0) return n === 0 ? 1 : 0;
      const m = h.x + k;
      const rx = r + h.x;
      const q = t / (alpha + h.T + t);
      const u = logDeadToAlive(params, h, k);
      const logDenominator = u === -Infinity ? 0 : log1pExp(u);
      let logNumerator: number;
      if (n === 0) {
        logNumerator = rx * Math.log1p(-q);
        if (u !== -Infinity) logNumerator = logAddExp(logNumerator, u);
      } else {
        const lbAlive = lbeta(a, b + m);
        logNumerator = logAddExp(
          lbeta(a + 1, b + m + n - 1) - lbAlive + logNbTail(n, rx, q),
          lbeta(a, b + m + n) - lbAlive + logNbPmf(n, rx, q),
        );
      }
      return clampProbability(Math.exp(logNumerator - logDenominator), name);
    },
  };
  return model;
}

/** Rounding may push a probability a hair above 1; anything else non-finite is an error. */
function clampProbability(p: number, model: ModelName): number {
  if (!Number.isFinite(p) || p < 0) {
    throw new ClvError('numeric', `${model}: a probability could not be computed.`, { model });
  }
  return Math.min(p, 1);
}

/** BG/NBD (Fader, Hardie & Lee 2005). */
export const bgnbd: TransactionModel<BgnbdParams> = makeGeometricDropoutModel(0, 'bgnbd');
