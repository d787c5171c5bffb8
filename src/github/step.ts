// What a GitOps run tells the runner it runs on: outputs, the job summary, annotations, masks and failure. The
// action implements it with @actions/core (src/action/step.ts); the flows in github/ only ever see this port.
import type { Problem } from '../config/problems.js';

export interface Step {
  /** A step output (`steps.rollcall.outputs.<name>`). */
  output(name: string, value: string): void;
  /** Fails the step with a message that names what to fix; the flow goes on to close what it opened. */
  fail(message: string): void;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /** Config problems on their file and line (paths relative to the workspace). */
  annotate(problems: Problem[], workspace: string): void;
  /** A value the runner must never print. */
  mask(secret: string): void;
}
