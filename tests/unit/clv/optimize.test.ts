import { describe, expect, it } from 'vitest';
import {
  bfgs,
  cholesky,
  fitWithStarts,
  hessian,
  invertSpd,
  minimize,
  nelderMead,
  standardErrors,
  type Objective,
  type ObjectiveWithGradient,
} from '../../../lib/clv/optimize';

const rosenbrock: Objective = (x) => {
  const a = x[0] as number;
  const b = x[1] as number;
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

const rosenbrockWithGradient: ObjectiveWithGradient = (x, g) => {
  const a = x[0] as number;
  const b = x[1] as number;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return rosenbrock(x);
};

describe('bfgs', () => {
  it('finds the Rosenbrock minimum (1, 1) with numeric gradients', () => {
    const result = bfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
    expect(result.value).toBeLessThan(1e-10);
    expect(result.gradientNorm).toBeLessThanOrEqual(Math.sqrt(1e-7));
  });

  it('uses an analytic gradient when given, with fewer evaluations', () => {
    const numeric = bfgs(rosenbrock, [-1.2, 1]);
    const analytic = bfgs(rosenbrock, [-1.2, 1], { valueAndGradient: rosenbrockWithGradient });
    expect(analytic.converged).toBe(true);
    expect(analytic.x[0]).toBeCloseTo(1, 6);
    expect(analytic.evaluations).toBeLessThan(numeric.evaluations);
  });

  it('treats throwing and NaN regions as +Infinity and steps back from them', () => {
    // Minimum of (x-3)^2 at 3, but the objective is undefined (throws / NaN) beyond 3.5.
    const f: Objective = (x) => {
      const v = x[0] as number;
      if (v > 4) throw new Error('outside the domain');
      if (v > 3.5) return NaN;
      return (v - 3) ** 2;
    };
    const result = bfgs(f, [0], { maxStep: 100 });
    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 5);
    expect(result.converged).toBe(true);
  });

  it('reports failure honestly when the start cannot be evaluated', () => {
    const result = bfgs(() => NaN, [1, 2]);
    expect(result.converged).toBe(false);
    expect(result.value).toBe(Infinity);
    expect(result.message).toMatch(/starting point/);
  });

  it('reports converged = false when it runs out of iterations', () => {
    const result = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/without converging/);
  });

  it('reports converged = false on an unbounded objective', () => {
    const result = minimize((x) => x[0] as number, [0], { maxIterations: 50 });
    expect(result.converged).toBe(false);
  });
});

describe('nelderMead and minimize', () => {
  it('nelderMead gets close to the Rosenbrock minimum', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 2000 });
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('minimize converges on a non-smooth-start problem via the fallback if needed', () => {
    // |x|^1.5 + y^2: gradient is fine but curvature blows up at 0; minimum at (0, 0).
    const f: Objective = (x) => Math.abs(x[0] as number) ** 1.5 + (x[1] as number) ** 2;
    const result = minimize(f, [2, -3]);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('fitWithStarts keeps the best of several local minima', () => {
    // Two wells: a shallow one at -2 (value 1) and a deep one at 3 (value 0).
    const f: Objective = (x) => {
      const v = x[0] as number;
      return Math.min((v + 2) ** 2 + 1, (v - 3) ** 2);
    };
    const progress: number[] = [];
    const result = fitWithStarts(f, [[-2.5], [4]], { onProgress: (p) => progress.push(p) });
    expect(result.starts).toBe(2);
    expect(result.bestStart).toBe(1);
    expect(result.x[0]).toBeCloseTo(3, 5);
    expect(progress).toEqual([0.5, 1]);
  });
});

describe('fitWithStarts duplicate detection', () => {
  it('later starts heading to the same optimum stop early and never replace the converged winner', () => {
    const f: Objective = (x) => ((x[0] as number) - 1) ** 2 + 3 * ((x[1] as number) + 2) ** 2 + 0.5 * (x[0] as number) * (x[1] as number);
    const single = fitWithStarts(f, [[4, 4]]);
    const multi = fitWithStarts(f, [
      [4, 4],
      [-3, 5],
      [6, -6],
    ]);
    expect(multi.converged).toBe(true);
    expect(multi.bestStart).toBe(0);
    expect(multi.value).toBe(single.value);
    expect(multi.evaluations).toBeLessThan(3 * single.evaluations);
  });
});

describe('hessian and standard errors', () => {
  it('hessian of a quadratic form is its matrix (numeric and from an analytic gradient)', () => {
    const A = [
      [4, 1, 0.5],
      [1, 3, -0.2],
      [0.5, -0.2, 2],
    ];
    const f: Objective = (x) => {
      let s = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += 0.5 * (x[i] as number) * A[i]![j]! * (x[j] as number);
      return s;
    };
    const fg: ObjectiveWithGradient = (x, g) => {
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += A[i]![j]! * (x[j] as number);
        g[i] = s;
      }
      return f(x);
    };
    const numeric = hessian(f, [0.3, -1, 2]);
    const fromGradient = hessian(f, [0.3, -1, 2], fg);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(Math.abs(numeric[i]![j]! - A[i]![j]!)).toBeLessThan(1e-5);
        expect(Math.abs(fromGradient[i]![j]! - A[i]![j]!)).toBeLessThan(1e-8);
      }
    }
  });

  it('invertSpd inverts and cholesky rejects an indefinite matrix', () => {
    const inverse = invertSpd([
      [4, 2],
      [2, 3],
    ]);
    expect(inverse).not.toBeNull();
    // inverse of [[4,2],[2,3]] = [[3,-2],[-2,4]] / 8
    expect(inverse![0]![0]).toBeCloseTo(3 / 8, 14);
    expect(inverse![0]![1]).toBeCloseTo(-2 / 8, 14);
    expect(inverse![1]![1]).toBeCloseTo(4 / 8, 14);
    expect(
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });

  it('standard errors of a Poisson rate match sqrt(lambda/n) (delta method on log lambda)', () => {
    // n customers with total count S: LL(λ) = S ln λ - n λ, MLE λ = S/n, se = sqrt(λ/n) (Fisher information).
    const n = 400;
    const S = 1000;
    const negativeLogLikelihood: Objective = (theta) => {
      const lambda = Math.exp(theta[0] as number);
      return -(S * Math.log(lambda) - n * lambda);
    };
    const lambda = S / n;
    const errors = standardErrors(negativeLogLikelihood, [Math.log(lambda)]);
    expect(errors).not.toBeNull();
    expect(errors![0]).toBeCloseTo(Math.sqrt(lambda / n), 6);
  });

  it('standard errors are null where the Hessian is not positive definite', () => {
    const saddle: Objective = (x) => (x[0] as number) ** 2 - (x[1] as number) ** 2;
    expect(standardErrors(saddle, [0, 0])).toBeNull();
    const flat: Objective = () => 1;
    expect(standardErrors(flat, [0])).toBeNull();
  });
});
