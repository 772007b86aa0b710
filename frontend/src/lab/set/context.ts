/** What the panels of a set page share: the set, the page's messages, whether it is still shown. */
import type { MessageBox } from "../widgets";

export interface SetContext {
  setId: number;
  messages: MessageBox;
  /** False once the user has left the page: late answers are dropped and polling stops. */
  isOpen(): boolean;
}
