import { VaekitError } from '../../errors.js';
import { type VjpRule } from '../rule.js';
import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { linalgRules } from './linalg.js';
import { reduceRules } from './reduce.js';
import { shapeRules } from './shape.js';

/** One VJP rule per op type: adding an op means adding its builder and one entry here. */
export const VJP_RULES: Record<string, VjpRule> = { ...elementwiseRules, ...reduceRules, ...shapeRules, ...linalgRules, ...convRules };

/** The rule for an op, or a clear error naming it. */
export function vjpRule(op: string): VjpRule {
  const r = VJP_RULES[op];
  if (!r) throw new VaekitError(`grad: op ${op} has no gradient rule; differentiable ops: ${Object.keys(VJP_RULES).sort().join(', ')}`, 'E_GRAD');
  return r;
}
