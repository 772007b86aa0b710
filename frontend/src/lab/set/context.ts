/** What the panels of a set page share: the set, the page's messages, whether it is still shown. */
import type { MessageBox } from "../widgets";

export interface SetContext {
  setId: number;
  /** The user's rights on the set (read, upload, run, admin...): the page offers only what
   * they allow, rather than buttons the server refuses. */
  rights: readonly string[];
  messages: MessageBox;
  /** False once the user has left the page: late answers are dropped and polling stops. */
  isOpen(): boolean;
}

/** Whether the user holds `right` on the set of the page. */
export function may(context: SetContext, right: "upload" | "run" | "admin"): boolean {
  return context.rights.includes(right);
}
