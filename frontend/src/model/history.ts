/**
 * Undo and redo of the user's curation: each step keeps the value before it and a label saying
 * what it did ("merge 3 clones"), so that the undo button can say what it will undo. Values are
 * never changed in place (an Analysis is rebuilt at each change), so keeping them is enough.
 */
export interface Step<T> {
  label: string;
  before: T;
  after: T;
}

export class History<T> {
  private done: Step<T>[] = [];
  private undone: Step<T>[] = [];

  constructor(private readonly limit = 200) {}

  /** Records a change; a new change forgets what was undone (as every editor does). */
  record(label: string, before: T, after: T): void {
    if (before === after) return;
    this.done.push({ label, before, after });
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The step undone, whose `before` is the value to go back to; null when there is none. */
  undo(): Step<T> | null {
    const step = this.done.pop();
    if (step === undefined) return null;
    this.undone.push(step);
    return step;
  }

  /** The step redone, whose `after` is the value to go to; null when there is none. */
  redo(): Step<T> | null {
    const step = this.undone.pop();
    if (step === undefined) return null;
    this.done.push(step);
    return step;
  }

  get nextUndo(): string | null {
    return this.done.at(-1)?.label ?? null;
  }

  get nextRedo(): string | null {
    return this.undone.at(-1)?.label ?? null;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
