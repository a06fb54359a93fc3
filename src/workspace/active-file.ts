/**
 * The active-file rule, in one place. The file open in the editor is the one about to change, and
 * while it is edited the prompt holds its text (src/completion/): so the workspace context reads it
 * last when it reads the folder (src/workspace/order.ts), and once it is edited leaves it out of
 * the chain, keeping its tokens free, until another file becomes active; then it comes back at the
 * end (src/workspace/context.ts). Switching between unchanged files moves nothing.
 */
export class ActiveFile {
  /** The active file taken out of the chain because it was edited, and the tokens kept free for its return. */
  private parked: { path: string; tokens: number } | undefined;

  constructor(private active?: string) {}

  get path(): string | undefined {
    return this.active;
  }

  is(path: string): boolean {
    return path === this.active;
  }

  /** Tokens the budget keeps free for the parked file. */
  get reserved(): number {
    return this.parked?.tokens ?? 0;
  }

  /** Another file became active: the parked file, if any, which must come back into the chain. */
  switchTo(path: string | undefined): string | undefined {
    const back = this.parked !== undefined && this.parked.path !== path ? this.parked.path : undefined;
    this.active = path;
    return back;
  }

  /** A change of `path` was read (`exists`: it still does): a parked file that is no longer active, or gone, is parked no more. */
  read(path: string, exists: boolean): void {
    if (this.parked?.path === path && (path !== this.active || !exists)) this.parked = undefined;
  }

  /**
   * A changed file of `tokens` tokens is about to enter the chain: true when it stays out instead
   * (it is the active file). Its room is kept when it held a place (`held`: it was in the chain, or parked).
   */
  park(path: string, tokens: number, held: boolean): boolean {
    if (path !== this.active) return false;
    this.parked = { path, tokens: held || this.parked?.path === path ? tokens : 0 };
    return true;
  }

  /** A fresh chain: nothing is parked. */
  reset(): void {
    this.parked = undefined;
  }
}

/** Stream order's last key: the active file reads last (it changes next), everything else before it. */
export function streamsLast(path: string, active: string | undefined): number {
  return path === active ? 1 : 0;
}
