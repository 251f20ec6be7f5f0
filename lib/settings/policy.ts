/**
 * The configuration in force as extension pages and the background read it: the managed policy
 * (storage.managed) and what the background learned from the team service (TEAM_STATE), merged by
 * lib/team/in-force.ts policyInForce, the one place the layers meet.
 */
import { policyInForce, type PolicyInForce } from '../team/in-force';
import { TEAM_STATE } from './items';
import { readPolicy, readSetting } from './storage';

export { watchPolicyInForce } from './policy-watch';

/** The managed policy with the team's documents (managed policy > team service > the person's own). */
export async function readPolicyInForce(): Promise<PolicyInForce> {
  const [managed, team] = await Promise.all([readPolicy(), readSetting(TEAM_STATE)]);
  return policyInForce(managed, team);
}
