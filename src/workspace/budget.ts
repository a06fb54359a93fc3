import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import { SambaError } from '../model/errors';

/** Seconds of prefill the automatic budget allows for a cold workspace. */
const AUTO_BUDGET_SECONDS = 120;
const AUTO_BUDGET_MIN = 2_000;
const AUTO_BUDGET_MAX = 1_000_000;
/** Full attention: KV slots beyond the context budget, for the prompt and what is generated. */
const PROMPT_ROOM = 8_192;
/** The smallest context the out-of-memory fallback goes down to. */
const MIN_BUDGET = 256;

/**
 * About two minutes of reading, rounded down to a step of 2^k or 1.5 x 2^k tokens: the measured speed
 * varies from start to start (198 vs 103 tokens/s on one machine, quiet vs loaded), and a budget that
 * followed it exactly read other files each time, and could not reuse the saved states.
 */
export function autoBudget(prefillTokensPerS: number): number {
  const raw = Math.min(AUTO_BUDGET_MAX, Math.max(AUTO_BUDGET_MIN, prefillTokensPerS * AUTO_BUDGET_SECONDS));
  const pow = 2 ** Math.floor(Math.log2(raw));
  return Math.max(AUTO_BUDGET_MIN, raw >= 1.5 * pow ? 1.5 * pow : pow);
}

/** How far the measured budget may stray from the one kept for the workspace before it replaces it. */
const KEPT_BUDGET_RANGE = 4;
/** Where a workspace's automatic budget is kept, in its storage folder (next to its saved states). */
const KEPT_BUDGET_FILE = 'context-budget.json';

/** The automatic budget a workspace last used, on which device and model. */
export interface KeptBudget {
  readonly device: string;
  readonly model: string;
  readonly budget: number;
}

/**
 * The automatic budget for a workspace: the one its last start on this device and model used
 * (`kept`), unless today's measure (`measured`, from autoBudget) is more than KEPT_BUDGET_RANGE
 * times apart from it. Which files the context holds, and so which saved states it can reuse,
 * follows the budget: on the 2-core machine two starts measured 24,576 and 65,536 tokens, and a
 * start that measured differently from the last read the whole workspace again (31-35 s of a busy
 * core for the 37-43K tokens of two trials there).
 */
export function keptBudget(kept: Partial<KeptBudget> | undefined, device: string, model: string, measured: number): number {
  const b = kept?.budget;
  const usable = kept?.device === device && kept.model === model && typeof b === 'number' && Number.isInteger(b) && b > 0;
  return usable && measured <= b * KEPT_BUDGET_RANGE && b <= measured * KEPT_BUDGET_RANGE ? b : measured;
}

/**
 * The record in `storageDir`, or undefined (none, or unreadable: the next save replaces it). Read
 * while the model loads: the folder's first pass must not wait on the disk after the load, or a
 * completion asked meanwhile runs first, on no context (a VSIX test saw it held back).
 */
export async function readKeptBudget(storageDir: string | undefined): Promise<Partial<KeptBudget> | undefined> {
  if (!storageDir) return undefined;
  try {
    return JSON.parse(await fs.readFile(path.join(storageDir, KEPT_BUDGET_FILE), 'utf8')) as Partial<KeptBudget>;
  } catch {
    return undefined;
  }
}

/** Writes the record; a read-only store keeps nothing (the next start measures again). */
export async function saveKeptBudget(storageDir: string, record: KeptBudget): Promise<void> {
  await fs
    .mkdir(storageDir, { recursive: true })
    .then(() => fs.writeFile(path.join(storageDir, KEPT_BUDGET_FILE), JSON.stringify(record) + '\n'))
    .catch(() => undefined);
}

/**
 * The budget the engine's memory allows, at most `asked`, and the KV slots its states need. Full
 * attention keeps a key/value slot per context token: when the budget's states do not fit the GPU
 * (out of memory, or past a buffer limit), halve it until they do, with a notice. Recurrent and
 * sliding-window states have a fixed size, whatever the budget: the model's load ran one already
 * (its prefill measure, engine-holder.ts), so they need no check (it was a state and a one-token
 * prefill, 28-32 ms of a first read on the 2-core machine).
 */
export async function fitBudget(
  engine: Engine,
  asked: number,
  events: { readonly onNotice?: (message: string) => void; readonly onLog?: (message: string) => void },
): Promise<{ budget: number; capacity: number | undefined }> {
  const c = engine.model.config;
  const full = c.mixers.includes('attention') && !Number.isFinite(c.window);
  if (!full) return { budget: asked, capacity: undefined };
  let budget = asked;
  let capacity: number;
  for (;;) {
    capacity = budget + PROMPT_ROOM;
    let state;
    try {
      state = engine.newState({ capacity });
      await engine.prefill([0], state);
      engine.release(state);
      break;
    } catch (e) {
      if (state) engine.release(state);
      const msg = (e as Error).message;
      const tooBig = e instanceof SambaError && /out of gpu memory|binding limit|max buffer size/i.test(msg);
      if (!tooBig || budget <= MIN_BUDGET) throw e instanceof SambaError ? new SambaError(e.code, `The model's state does not fit on ${engine.deviceName}: ${msg}`) : e;
      const next = Math.max(MIN_BUDGET, Math.floor(budget / 2));
      events.onLog?.(`a context of ${budget} tokens does not fit: ${msg.split('. ')[0]}; trying ${next}`);
      budget = next;
    }
  }
  if (budget < asked) {
    events.onNotice?.(
      `Not enough GPU memory for a context of ${asked.toLocaleString('en-US')} tokens on ${engine.deviceName}: the workspace context holds ${budget.toLocaleString('en-US')} tokens instead (the oldest files are left out). Lower samba.context.budgetTokens to avoid this message.`,
    );
  }
  return { budget, capacity };
}
