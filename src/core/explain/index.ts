// The explanation of a lens's gradients (issue 11): for each variable, the chain rule in the
// statement's own names, each use's contribution, and why a gradient is 0 or tiny; for the lens,
// its gradient health notes. Built from the evaluated graph once the backward pass has run; pure.

import type { Value } from '../../../engine';
import type { Built } from '../evaluate';
import type { Explanation, GradcheckSummary, HealthOptions } from '../types';
import { ExplainGraph } from './graphIndex';
import { DEFAULT_HEALTH, healthNotes, type HealthNote } from './health';
import { pathsOf, termsOf } from './paths';
import { WhyExplainer } from './why';

export { explanationLine, formulaText, numbersText } from './render';
export { engineSum } from './paths';
export { DEFAULT_HEALTH } from './health';
export type { HealthNote } from './health';

/**
 * Variables of one lens whose symbolic products are built: the products are most of the
 * explanation's cost, and a lens of thousands of variables (a 20,000-line chain) would pay it for
 * each. Past it a variable keeps its uses, their contributions and its "why".
 */
export const MAX_FORMULAS = 1000;

export class LensExplainer {
  private readonly graph: ExplainGraph;
  private readonly why: WhyExplainer;

  constructor(
    private readonly built: Built,
    text: string,
    target: string,
  ) {
    this.graph = new ExplainGraph(built, text, target === '' ? 'output' : target);
    let largest = 0;
    for (const d of built.variables) if (d.value) largest = Math.max(largest, Math.abs(d.value.grad));
    this.why = new WhyExplainer(this.graph, largest);
  }

  /**
   * Undefined if the explanation itself fails: it adds to a lens and must never cost the lens its
   * numbers (the lens's catch-all would replace them all with an error).
   */
  explain(value: Value, name: string, withFormula = true): Explanation | undefined {
    try {
      return {
        paths: pathsOf(this.graph, value, name),
        terms: withFormula ? termsOf(this.graph, value) : [],
        why: this.why.why(value, name),
      };
    } catch {
      return undefined;
    }
  }

  /** The lens's health notes; none if finding them fails, for the reason given at `explain`. */
  healthNotes(options: Partial<HealthOptions> | undefined, gradcheck: GradcheckSummary | null): HealthNote[] {
    try {
      return healthNotes(this.graph, this.built, healthSettings(options), gradcheck);
    } catch {
      return [];
    }
  }
}

/** Each note on unless its setting is exactly false (settings come from hand-edited JSON). */
function healthSettings(options: Partial<HealthOptions> | undefined): HealthOptions {
  const on = (key: keyof HealthOptions) => (options?.[key] === false ? false : DEFAULT_HEALTH[key]);
  return {
    deadRelu: on('deadRelu'),
    saturation: on('saturation'),
    vanishingExploding: on('vanishingExploding'),
    gradcheckKink: on('gradcheckKink'),
  };
}
