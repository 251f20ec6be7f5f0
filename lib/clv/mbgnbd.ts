/**
 * MBG/NBD: the modified BG/NBD of Batislam, Denizel & Filiztekin (2007), "Empirical validation and
 * comparison of models for customer base analysis", International Journal of Research in Marketing
 * 24(3), 201-209 (also BTYDplus "mbgnbd"). As BG/NBD, but a customer may drop out right after the
 * first purchase too, so a customer with no repeat purchase is not certainly alive:
 *   L = B(a, b+x+1)/B(a,b) Γ(r+x) alpha^r / (Γ(r) (alpha+T)^(r+x))
 *     + B(a+1, b+x)/B(a,b) Γ(r+x) alpha^r / (Γ(r) (alpha+t_x)^(r+x)),
 *   P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)),
 *   E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))].
 * The implementation is the BG/NBD one with the dropout shift k = 1 (see bgnbd.ts).
 */
import { makeGeometricDropoutModel, type BgnbdParams } from './bgnbd';
import type { TransactionModel } from './model';

export type MbgnbdParams = BgnbdParams;

/** MBG/NBD (Batislam, Denizel & Filiztekin 2007). */
export const mbgnbd: TransactionModel<MbgnbdParams> = makeGeometricDropoutModel(1, 'mbgnbd');
