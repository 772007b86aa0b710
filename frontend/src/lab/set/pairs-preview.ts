/**
 * What paired mode will make of the files given, before anything is sent: one row per R1/R2
 * pair with its sample name (editable), and every file left out with the reason.
 */
import { h } from "../../ui/dom";
import { input } from "../widgets";
import type { Named, Pairing, RefusedFile } from "./pairing";

export interface NamedPair<T extends Named> {
  readonly name: string;
  readonly r1: T;
  readonly r2: T;
}

export interface PairsPreview<T extends Named> {
  readonly element: HTMLElement;
  /** The pairs with the names as edited; a message instead when a name is empty. */
  chosen(): NamedPair<T>[] | string;
}

export function pairsPreview<T extends Named>(pairing: Pairing<T>, leftOut: string): PairsPreview<T> {
  const names = pairing.pairs.map((pair) =>
    input("sample_name", {
      value: pair.sampleName,
      "aria-label": `Sample name of ${pair.r1.name} and ${pair.r2.name}`,
    }),
  );
  const rows = pairing.pairs.map((pair, index) =>
    h("tr", {}, h("td", {}, names[index]), h("td", {}, pair.r1.name), h("td", {}, pair.r2.name)),
  );
  const count = pairing.pairs.length;
  const element = h(
    "div",
    { class: "pairs-preview", role: "region", "aria-label": "Paired samples to add" },
    h(
      "p",
      {},
      h("strong", {}, `${count} paired sample${count === 1 ? "" : "s"}`),
      " (R1 and R2 matched by name)",
    ),
    count
      ? h(
          "table",
          { class: "lab-table pairs-table" },
          h(
            "thead",
            {},
            h("tr", {}, ...["Sample name", "R1", "R2"].map((text) => h("th", { scope: "col" }, text))),
          ),
          h("tbody", {}, ...rows),
        )
      : null,
    refusedList(pairing.refused, leftOut),
  );
  return {
    element,
    chosen() {
      const chosen = pairing.pairs.map((pair, index) => ({
        ...pair,
        name: names[index]?.value.trim() ?? "",
      }));
      const unnamed = chosen.find((pair) => pair.name === "");
      if (unnamed) return `Give the sample of ${unnamed.r1.name} and ${unnamed.r2.name} a name.`;
      return chosen;
    },
  };
}

/** The files left out, each with its reason (nothing when none): "x_R1.fq: not uploaded: ...". */
export function refusedList<T extends Named>(
  refused: readonly RefusedFile<T>[],
  leftOut: string,
): HTMLElement | null {
  if (refused.length === 0) return null;
  return h(
    "ul",
    { class: "refused-files", "aria-label": "Files left out" },
    ...refused.map((item) =>
      h("li", {}, h("span", { class: "upload-name" }, item.file.name), `: ${leftOut}: ${item.reason}`),
    ),
  );
}
