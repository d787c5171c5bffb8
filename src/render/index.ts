// Plan → text | markdown | json | csv (new accounts), masked per `report.personalData`. Pure: the caller decides where it goes.
import type { Plan } from '../plan/types.js';
import { renderJson } from './json.js';
import { Masker, type PersonalData } from './mask.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import { newAccountsCsv, type PersonFacts } from './new-accounts.js';

export type RenderFormat = 'text' | 'markdown' | 'json' | 'csv';

export interface RenderOptions {
  format: RenderFormat;
  personalData: PersonalData;
  /** ANSI colour in text; the CLI passes `process.stdout.isTTY`. Ignored by markdown and json. */
  color?: boolean;
  /** Markdown only: the hard cap on the comment's length (default 60,000; GitHub refuses over 65,536). */
  maxChars?: number;
  title?: string;
  /** Text only: every change, one by one, instead of the exceptions with the rest folded into totals. */
  detail?: boolean;
  /** csv only: year and registration group of the people the plan creates accounts for (from the roster). */
  people?: ReadonlyMap<string, PersonFacts>;
  /** Markdown only: where the whole plan is when this one is cut (the CLI names a command; the action its summary). */
  fullPlanAt?: string;
}

export function renderPlan(plan: Plan, opts: RenderOptions): string {
  const masker = new Masker(opts.personalData, plan);
  switch (opts.format) {
    case 'text': return renderText(plan, masker, { color: opts.color ?? false, title: opts.title, detail: opts.detail });
    case 'markdown': return renderMarkdown(plan, masker, { maxChars: opts.maxChars, title: opts.title, fullPlanAt: opts.fullPlanAt });
    case 'json': return renderJson(plan, masker);
    case 'csv': return newAccountsCsv(plan, masker, opts.people);
  }
}

export type { PersonalData } from './mask.js';
export { Masker, BULLETS, commentPersonalData, stdoutPersonalData } from './mask.js';
export { MARKDOWN_MAX_CHARS } from './markdown.js';
export { redactPlan, type RenderedPlan, type Redaction } from './json.js';
export { renderSummaryMail, type ApplyResult, type SummaryMail, type SummaryMailOptions } from './mail.js';
