import { describe, expect, it } from 'vitest';
import { ClvError } from '../../../lib/clv/errors';
import {
  signedLgamma,
  digamma,
  hyp2f1,
  lbeta,
  lgamma,
  log1mexp,
  logAddExp,
  logHyp2f1,
  logSubExp,
  logSumExp,
} from '../../../lib/clv/special';

/** |actual - expected| <= rel * |expected| (+ tiny absolute slack for values near 0). */
function expectClose(actual: number, expected: number, rel: number, abs = 0): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

// Reference values computed with mpmath 1.3 at 40 significant digits (mp.loggamma, mp.digamma, mp.hyp2f1).
const LGAMMA_DIGAMMA: Array<[number, number, number]> = [
  [0.001, 6.9071788853838536617, -1000.5755719318102797],
  [0.3, 1.0957979948180755606, -3.5025242222001331249],
  [0.5, 0.57236494292470008707, -1.9635100260214234794],
  [0.9, 0.066376239734742954426, -0.7549269499470513492],
  [1.1, -0.049872441259839761785, -0.42375494041107666787],
  [1.5, -0.12078223763524522235, 0.036489973978576520559],
  [2.5, 0.28468287047291915963, 0.70315664064524318723],
  [3.7, 1.4280723266653881292, 1.1671535393615114409],
  [7.25, 7.0521854507385394449, 1.9104535268837360284],
  [12.5, 18.734347511936445702, 2.4851956512749120482],
  [150.25, 601.26150403249972598, 5.0089690950212171772],
  [1e5, 1051287.7089736568949, 11.512920464961895087],
];

describe('lgamma', () => {
  it('matches high-precision values to 5e-14 relative', () => {
    for (const [x, expected] of LGAMMA_DIGAMMA) expectClose(lgamma(x), expected, 5e-14);
  });

  it('is exactly 0 at 1 and 2 and equals ln((n-1)!) at integers', () => {
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    let logFactorial = 0;
    for (let n = 2; n <= 60; n++) {
      logFactorial += Math.log(n - 1);
      expectClose(lgamma(n), logFactorial, 1e-14, 1e-15);
    }
  });

  it('satisfies the recurrence ln Γ(x+1) = ln Γ(x) + ln x across the branch boundaries', () => {
    for (let x = 0.05; x < 15; x += 0.0731) {
      expectClose(lgamma(x + 1), lgamma(x) + Math.log(x), 1e-13, 5e-15);
    }
  });

  it('rejects x <= 0 and non-finite x with ClvError("numeric")', () => {
    for (const bad of [0, -1, -0.5, NaN, Infinity]) {
      expect(() => lgamma(bad)).toThrow(ClvError);
      try {
        lgamma(bad);
      } catch (error) {
        expect((error as ClvError).code).toBe('numeric');
      }
    }
    expect(() => digamma(0)).toThrow(ClvError);
    expect(() => lbeta(1, -2)).toThrow(ClvError);
  });
});

describe('lbeta and digamma', () => {
  it('lbeta matches closed forms: B(1,b) = 1/b, B(1/2,1/2) = π', () => {
    expectClose(lbeta(1, 7.5), -Math.log(7.5), 1e-14);
    expectClose(lbeta(0.5, 0.5), Math.log(Math.PI), 1e-14);
    expectClose(lbeta(300.5, 2.25), lgamma(300.5) + lgamma(2.25) - lgamma(302.75), 1e-14);
  });

  it('digamma matches high-precision values to 1e-13 relative', () => {
    for (const [x, , expected] of LGAMMA_DIGAMMA) expectClose(digamma(x), expected, 1e-13);
    expectClose(digamma(1), -0.5772156649015329, 1e-14);
  });

  it('digamma is the derivative of lgamma', () => {
    for (const x of [0.2, 0.9, 3.3, 25]) {
      const h = 1e-5 * x;
      expectClose((lgamma(x + h) - lgamma(x - h)) / (2 * h), digamma(x), 1e-7, 1e-8);
    }
  });
});

describe('log-space arithmetic', () => {
  it('logAddExp and logSumExp do not overflow or underflow', () => {
    expectClose(logAddExp(1000, 1000), 1000 + Math.LN2, 1e-15);
    expectClose(logAddExp(-1000, -1001), -1000 + Math.log1p(Math.exp(-1)), 1e-15);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
    expectClose(logSumExp([800, 800, 800]), 800 + Math.log(3), 1e-15);
    expect(logSumExp([])).toBe(-Infinity);
    expectClose(logSumExp(Float64Array.from([-2000, -2000 + Math.log(3)])), -2000 + Math.log(4), 1e-15);
  });

  it('logSubExp and log1mexp are stable at both ends', () => {
    expectClose(logSubExp(Math.log(3), Math.log(2)), 0, 0, 1e-15);
    expectClose(logSubExp(0, -1e-10), Math.log(-Math.expm1(-1e-10)), 1e-14);
    expectClose(logSubExp(1000, 999), 1000 + Math.log1p(-Math.exp(-1)), 1e-15);
    expect(logSubExp(5, 5)).toBe(-Infinity);
    expect(logSubExp(5, -Infinity)).toBe(5);
    expectClose(log1mexp(-1e-20), Math.log(1e-20), 1e-14); // 1 - e^{-1e-20} ≈ 1e-20
    expectClose(log1mexp(-50), -Math.exp(-50), 1e-14);
  });

  it('throw ClvError instead of returning NaN', () => {
    expect(() => logSubExp(1, 2)).toThrow(ClvError);
    expect(() => log1mexp(0.1)).toThrow(ClvError);
    expect(() => logAddExp(NaN, 1)).toThrow(ClvError);
    expect(() => logSumExp([1, NaN])).toThrow(ClvError);
  });
});

describe('logHyp2f1', () => {
  it('matches 2F1(1,1;2;z) = -ln(1-z)/z across z, including near 1 and very negative', () => {
    for (const z of [-1000, -50, -3, -0.9, -0.2, 1e-8, 0.1, 0.45, 0.6, 0.9, 0.99, 0.999]) {
      const expected = -Math.log1p(-z) / z;
      const { sign, log } = logHyp2f1(1, 1, 2, z);
      expect(sign).toBe(1);
      expectClose(log, Math.log(expected), 1e-13, 1e-14);
    }
  });

  it('matches 2F1(a,b;b;z) = (1-z)^-a, including a ~ 300', () => {
    for (const [a, b] of [
      [0.7, 2.3],
      [5.5, 1.25],
      [300.25, 12.5],
      [450, 3],
    ] as const) {
      for (const z of [-20, -0.7, 0.3, 0.8, 0.97]) {
        expectClose(logHyp2f1(a, b, b, z).log, -a * Math.log1p(-z), 1e-13, 1e-13);
      }
    }
  });

  it('matches high-precision values (mpmath hyp2f1, 40 digits) to 1e-13 in the log', () => {
    const cases: Array<[number, number, number, number, number, 1 | -1]> = [
      [300.5, 1.6, 301.5, 0.97, 5.4637861242495788734, 1],
      [300.5, 0.6, 301.5, -0.9, -0.38416775141344709158, 1],
      [300.5, 1.6, 301.5, -1000, -11.048674327750716266, 1],
      [0.24, 2.4, 2.2, 0.95, 0.87862986936209244668, 1],
      [502.2, 504, 505.8, 0.55, 399.58032202095259422, 1],
      [1.5, -0.2, 3.1, 0.7, -0.088599112555677344659, 1],
      [0.55, 0.6, 1.55, 0.999, 0.60199881308507472472, 1],
      [30.5, 31.6, 31.5, -3, -42.411804945533481657, 1],
      [2.5, 3.5, 1.5, 0.3, 1.9415094843455085537, 1],
      [0.8, 2.3, 0.5, -0.4, -1.4979240435736392313, 1],
      [-2.0, 1.5, 2.5, 0.8, -1.1574527886910432083, 1], // terminating polynomial
      [1.5, 2.5, -0.5, 0.2, 1.8628075999514627664, -1], // negative value
    ];
    for (const [a, b, c, z, expectedLog, expectedSign] of cases) {
      const result = logHyp2f1(a, b, c, z);
      expect(result.sign).toBe(expectedSign);
      expectClose(result.log, expectedLog, 1e-13, 1e-13);
    }
  });

  it('is 1 at z = 0 and hyp2f1 returns the plain value', () => {
    expect(logHyp2f1(3, 4, 5, 0)).toEqual({ sign: 1, log: 0 });
    expectClose(hyp2f1(1, 1, 2, 0.5), 2 * Math.LN2, 1e-14);
  });

  it('throws ClvError for z >= 1, c a non-positive integer, non-finite input, and overflow', () => {
    expect(() => logHyp2f1(1, 1, 2, 1)).toThrow(ClvError);
    expect(() => logHyp2f1(1, 1, -2, 0.5)).toThrow(ClvError);
    expect(() => logHyp2f1(NaN, 1, 2, 0.5)).toThrow(ClvError);
    expect(() => hyp2f1(502.2, 504, 505.8, 0.9)).toThrow(ClvError); // log ~ 1000: beyond a double
  });

  // Documented limit: z within ~2.4e-4 of 1 (or below about -4000, which Pfaff maps there) needs more
  // than HYP2F1_MAX_TERMS series terms.
  it('close to 1, where the series would need billions of terms, uses the connection formula instead of giving up', () => {
    // c − a − b = 0.1 > 0: the value tends to Gauss's Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) (within ~(1−z)^0.1 of it).
    const gauss = lgamma(1.3) + lgamma(0.1) - lgamma(0.8) - lgamma(0.6);
    const near = logHyp2f1(0.5, 0.7, 1.3, 1 - 1e-9);
    expect(near.sign).toBe(1);
    expect(near.log).toBeLessThan(gauss);
    expect(near.log).toBeGreaterThan(gauss - 0.2);
  });
});

describe('logHyp2f1 close to z = 1 (connection formula in 1 − z, A&S 15.3.6)', () => {
  // Direct summation with many terms is the reference where it still converges (z ≤ 0.999).
  const direct = (a: number, b: number, c: number, z: number): number => {
    let term = 1;
    let sum = 1;
    for (let k = 0; k < 2_000_000; k++) {
      term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
      sum += term;
      if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
    }
    return sum;
  };
  // c − a − b below 0, above 0, near an integer, and BG/NBD's shapes (rr = r + x, bb = b + x, c = a + bb − 1).
  const CASES = [
    [0.243, 2.426, 2.219, 'c−a−b = −0.45'],
    [7.243, 9.426, 9.219, 'c−a−b = −7.45'],
    [0.5, 0.7, 2.9, 'c−a−b = 1.7'],
    [0.3, 1.2, 2.5, 'c−a−b = 1 (an integer)'],
    [0.3, 1.2, 1.5 + 3e-6, 'c−a−b within 3e-6 of 0'],
    [1.5, 2.5, 0.75, 'c−a−b = −3.25, c below 1'],
  ] as const;

  it('equals the direct series at z = 0.95, 0.99, 0.999 to 1e-9 relative', () => {
    for (const [a, b, c, what] of CASES) {
      for (const z of [0.95, 0.99, 0.999]) {
        const got = hyp2f1(a, b, c, z);
        expect(got / direct(a, b, c, z) - 1, `${what}, z = ${z}`).toBeCloseTo(0, 9);
      }
    }
  });

  it('stays finite and monotone as z → 1 where the plain series would need millions of terms', () => {
    for (const [a, b, c, what] of CASES) {
      let previous = hyp2f1(a, b, c, 0.999);
      for (const z of [0.9999, 0.99999, 1 - 1e-7, 1 - 1e-10]) {
        const value = hyp2f1(a, b, c, z);
        expect(Number.isFinite(value), what).toBe(true);
        expect(value, `${what}, z = ${z}`).toBeGreaterThan(previous); // a, b, c > 0: increasing in z
        previous = value;
      }
    }
    // Gauss's theorem: 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c − a − b > 0.
    const [a, b, c] = [0.5, 0.7, 2.9];
    const gauss = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
    expect(hyp2f1(a, b, c, 1 - 1e-12) / gauss - 1).toBeCloseTo(0, 9);
  });

  it('signedLgamma: Γ below 0 by reflection, with its sign; a pole is refused', () => {
    expect(signedLgamma(-0.5)).toEqual({ sign: -1, log: expect.closeTo(Math.log(2 * Math.sqrt(Math.PI)), 12) });
    expect(signedLgamma(-1.5).sign).toBe(1);
    expect(signedLgamma(-1.5).log).toBeCloseTo(Math.log((4 / 3) * Math.sqrt(Math.PI)), 12);
    expect(signedLgamma(3)).toEqual({ sign: 1, log: expect.closeTo(Math.log(2), 12) });
    expect(() => signedLgamma(-2)).toThrow(ClvError);
  });
});
