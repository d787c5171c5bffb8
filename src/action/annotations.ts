// Config problems as annotations on the file and line, so a pull request shows them where they are written.
import path from 'node:path';
import * as core from '@actions/core';
import type { Problem } from '../config/problems.js';

export function annotate(problems: Problem[], workspace: string): void {
  for (const p of problems) {
    const file = path.relative(workspace, p.file).split(path.sep).join('/');
    const props = { file, startLine: p.line, startColumn: p.col, title: `rollcall: ${p.path || file}` };
    if (p.severity === 'warning') core.warning(p.message, props);
    else core.error(p.message, props);
  }
}

/** The problems as a markdown list for a comment: positions and messages, which name config values, not people. */
export function problemList(problems: Problem[], workspace: string): string {
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => `- \`${path.relative(workspace, p.file).split(path.sep).join('/')}:${p.line}:${p.col}\` ${p.path ? `\`${p.path}\` ` : ''}${p.message.replace(/[<>]/g, '')}`)
    .join('\n');
}
