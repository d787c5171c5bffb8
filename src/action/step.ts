// The GitOps flows' Step on a GitHub runner: @actions/core's outputs, summary, annotations, masks and failure.
import path from 'node:path';
import * as core from '@actions/core';
import type { Step } from '../github/step.js';

export const actionStep: Step = {
  output: (name, value) => core.setOutput(name, value),
  fail: (message) => core.setFailed(message),
  summary: async (markdown) => { await core.summary.addRaw(markdown).write(); },
  // Config problems as annotations on the file and line, so a pull request shows them where they are written.
  annotate: (problems, workspace) => {
    for (const p of problems) {
      const file = path.relative(workspace, p.file).split(path.sep).join('/');
      const props = { file, startLine: p.line, startColumn: p.col, title: `rollcall: ${p.path || file}` };
      if (p.severity === 'warning') core.warning(p.message, props);
      else core.error(p.message, props);
    }
  },
  mask: (secret) => core.setSecret(secret),
};
