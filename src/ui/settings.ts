import * as vscode from 'vscode';
import type { Backend } from '../backend/create';
import type { FilterOptions } from '../workspace/filter';
import { confidenceLevel, type ConfidenceLevel } from '../completion/confidence';

/** The extension's settings, read in one place (package.json declares them). */
export interface Settings {
  readonly modelPath: string;
  readonly backend: Backend;
  /** How the GPU stores the model's matrices. */
  readonly weights: 'f16' | 'int8';
  /** Minutes without use after which the model is unloaded (0: never). */
  readonly idleReleaseMinutes: number;
  readonly completions: {
    readonly enable: boolean;
    readonly languages: Record<string, boolean>;
    readonly debounceMs: number;
    readonly maxTokens: number;
    readonly lineBudgetMs: number;
    readonly deadlineMs: number;
    /** Candidate lines per request (0: the worker's choice by engine). */
    readonly candidates: number;
    /** Read the prompt where the cursor comes to rest, ahead of typing there. */
    readonly readAhead: boolean;
    /** Which suggestions typing brings up, by how sure the model is of them (src/completion/confidence.ts); Alt+\ shows any. */
    readonly confidence: ConfidenceLevel;
  };
  /** Q&A answers and summaries: how generation avoids loops (src/engine/repetition.ts). */
  readonly answers: { readonly repetitionPenalty: number; readonly repetitionWindow: number; readonly stopLoops: boolean };
  readonly context: { readonly enable: boolean; readonly budgetTokens: number; readonly pauseOnBattery: boolean; readonly filter: FilterOptions };
}

export function readSettings(): Settings {
  const s = vscode.workspace.getConfiguration('samba');
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude', {});
  const secrets = s.get<string[] | null>('context.secrets', null);
  return {
    modelPath: s.get<string>('model.path', ''),
    backend: s.get<Backend>('engine.backend', 'auto'),
    weights: s.get<string>('engine.weights', 'f16') === 'int8' ? 'int8' : 'f16',
    idleReleaseMinutes: s.get('engine.idleReleaseMinutes', 15),
    completions: {
      enable: s.get('completions.enable', true),
      languages: s.get<Record<string, boolean>>('completions.languages', { '*': true }),
      debounceMs: s.get('completions.debounceMs', 120),
      maxTokens: s.get('completions.maxTokens', 64),
      lineBudgetMs: s.get('completions.lineBudgetMs', 500),
      deadlineMs: s.get('completions.deadlineMs', 2000),
      candidates: s.get('completions.candidates', 0),
      readAhead: s.get('completions.readAhead', true),
      confidence: confidenceLevel(s.get('completions.confidence')),
    },
    answers: {
      repetitionPenalty: s.get('answers.repetitionPenalty', 1.2),
      repetitionWindow: s.get('answers.repetitionWindow', 64),
      stopLoops: s.get('answers.stopLoops', true),
    },
    context: {
      enable: s.get('context.enable', true),
      budgetTokens: s.get('context.budgetTokens', 0),
      pauseOnBattery: s.get('context.pauseOnBattery', false),
      filter: {
        maxFileBytes: s.get('context.maxFileKB', 256) * 1024,
        exclude: [...s.get<string[]>('context.exclude', []), ...globsToIgnore(filesExclude)],
        ...(secrets ? { secrets } : {}),
      },
    },
  };
}

/** files.exclude globs (`**\/.git`, `**\/*.js`) as gitignore patterns, which match at any depth already. */
function globsToIgnore(globs: Record<string, boolean>): string[] {
  return Object.entries(globs)
    .filter(([, on]) => on === true)
    .map(([g]) => g.replace(/^\*\*\//, ''));
}

export function completionsEnabledFor(settings: Settings, languageId: string): boolean {
  if (!settings.completions.enable) return false;
  const l = settings.completions.languages;
  return l[languageId] ?? l['*'] ?? true;
}
