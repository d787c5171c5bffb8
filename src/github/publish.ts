// What every planning run leaves behind: outputs, the whole plan in the job summary, and the plan as JSON for
// the workflow to upload as an artifact. All of it follows the personal-data level the repository allows.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan } from '../plan/types.js';
import { renderPlan, type PersonalData } from '../render/index.js';
import { pseudonymiser } from '../render/mask.js';
import type { Step } from './step.js';

/**
 * What the world may read of a plan: in a public repository every MIS id is replaced (names are already masked
 * by the personal-data level); in a private one, the plan as it is. Set once a run knows its repository.
 */
let publicView: ((plan: Plan) => Plan) | undefined;

export function publishingFor(opts: { publicRepository: boolean }): void {
  publicView = opts.publicRepository ? pseudonymiser() : undefined;
}

/** A plan as this run may publish it (one pseudonymiser per run: the same person is the same ordinal throughout). */
export function publishable(plan: Plan): Plan {
  return publicView ? publicView(plan) : plan;
}

/**
 * GitHub refuses a step summary over 1 MiB of UTF-8; masked rows are full of three-byte bullets, so the cap in
 * characters leaves room for two bytes a character. Past it the summary says so and the artifact has everything.
 */
export const SUMMARY_MAX_CHARS = 500_000;

export function setPlanOutputs(step: Step, plan: Plan, planFile?: string): void {
  step.output('checksum', plan.checksum);
  step.output('has-changes', plan.changes.length > 0 ? 'true' : 'false');
  step.output('blocked', plan.blocked.length > 0 ? 'true' : 'false');
  step.output('summary', JSON.stringify(plan.summary));
  if (planFile) step.output('plan-file', planFile);
}

export async function writePlanFile(plan: Plan, personalData: PersonalData, dir: string, configRel: string): Promise<string> {
  const slug = configRel.replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'rollcall';
  const file = path.join(dir, `rollcall-plan-${slug}.json`);
  await writeFile(file, renderPlan(publishable(plan), { format: 'json', personalData }));
  return file;
}

/** The job summary: a headline of its own, then the whole plan as markdown. */
export async function writeSummary(step: Step, plan: Plan, personalData: PersonalData, configRel: string, headline: string): Promise<void> {
  const body = renderPlan(publishable(plan), { format: 'markdown', personalData, maxChars: SUMMARY_MAX_CHARS, title: `rollcall plan for ${plan.school.name} (${configRel})`, fullPlanAt: 'the full plan is in the plan artifact' });
  await step.summary(`${headline}\n\n${body}`);
}

export async function publishPlan(step: Step, plan: Plan, personalData: PersonalData, configRel: string, runnerTemp: string, headline: string): Promise<string> {
  const planFile = await writePlanFile(plan, personalData, runnerTemp, configRel);
  setPlanOutputs(step, plan, planFile);
  await writeSummary(step, plan, personalData, configRel, headline);
  return planFile;
}
