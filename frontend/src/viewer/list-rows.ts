/** The rows of the clone list: an entry (clone or cluster), a cluster's member, a locus's smaller clonotypes. */
import {
  displayName,
  type Entry,
  fraction,
  geneName,
  productivity,
  productivityLabel,
} from "../model/entries";
import { formatCount, formatPercent } from "../model/format";
import { type SmallerClonotypes, smallerFraction } from "../model/smaller";
import { SMALLER_COLOUR, tagByIndex, tagName } from "../model/tags";
import { coverageOf, type Clone } from "../model/vidjil";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { identityCell, percentCell, readsCell } from "./clinical-cells";

/** Vidjil flags a clone whose sequence covers less than half of its reads. */
const LOW_COVERAGE = 0.5;

function warningBadge(entry: Entry): HTMLElement | null {
  const warnings = entry.members.flatMap((member) => member.warnings);
  if (warnings.length === 0) return null;
  const text = warnings.map((warning) => `${warning.code}: ${warning.message}`).join("\n");
  return h(
    "span",
    { class: "clone-badge warning", title: text, "aria-label": `Warning: ${text}` },
    warnings[0]?.code ?? "!",
  );
}

function coverageBadge(clone: Clone, sample: number): HTMLElement | null {
  const coverage = coverageOf(clone, sample);
  if (coverage === null || coverage >= LOW_COVERAGE) return null;
  return h(
    "span",
    {
      class: "clone-badge warning",
      title: `Low coverage (${coverage}): the sequence covers less than half of the reads`,
    },
    "cov.",
  );
}

function clusterToggle(entry: Entry, open: boolean): HTMLElement | null {
  if (entry.members.length < 2) return null;
  return h(
    "button",
    {
      type: "button",
      class: "cluster-toggle",
      "data-toggle": entry.id,
      "aria-expanded": open ? "true" : "false",
      title: open ? "Hide the clones of this cluster (←)" : "Show the clones of this cluster (→)",
      "aria-label": `${open ? "Hide" : "Show"} the ${entry.members.length} clones of this cluster`,
      tabindex: -1,
    },
    `${open ? "▾" : "▸"} ${entry.members.length}`,
  );
}

export function entryRow(entry: Entry, index: number, store: Store, selected: boolean): HTMLElement {
  const { result, sample, analysis, expanded } = store.state;
  if (result === null) throw new Error("no result");
  const clone = entry.clone;
  const tag = tagByIndex(entry.tag);
  const reads = entry.reads[sample] ?? 0;
  const open = expanded.has(entry.id);
  // The name gives way to its badges: they carry the tag, the cluster and the warnings.
  const name = h(
    "td",
    { class: "name" },
    h(
      "div",
      { class: "name-cell" },
      clusterToggle(entry, open),
      h("span", { class: "swatch", style: `background:${store.colourOf(entry)}`, "aria-hidden": "true" }),
      h(
        "span",
        { class: entry.customName ? "clone-name custom-name" : "clone-name", title: entry.name },
        displayName(entry),
      ),
      tag
        ? h(
            "span",
            {
              class: "clone-badge tag",
              title: tagName(tag.index, analysis.tagNames),
              style: `border-color:${tag.colour};color:${tag.colour}`,
            },
            tagName(tag.index, analysis.tagNames),
          )
        : null,
      productivity(clone) === "unproductive"
        ? h("span", { class: "clone-badge unproductive", title: productivityLabel(clone) }, "unprod.")
        : null,
      coverageBadge(clone, sample),
      warningBadge(entry),
    ),
  );
  return h(
    "tr",
    {
      "data-id": entry.id,
      "data-cluster": entry.members.length > 1 ? "true" : null,
      class: selected ? "selected" : null,
      "aria-selected": selected ? "true" : "false",
      "aria-expanded": entry.members.length > 1 ? String(open) : null,
      tabindex: -1,
      "aria-rowindex": index + 1,
    },
    name,
    ...designationCells(clone),
    // a cluster's detection is not its representative's
    readsCell(entry.members.length === 1 ? clone : null, reads, sample),
    percentCell(entry.members.length === 1 ? clone : null, fraction(entry, result, sample), sample),
  );
}

function designationCells(clone: Clone): HTMLElement[] {
  return [
    h("td", {}, clone.locus),
    h("td", { title: clone.v?.name ?? "" }, geneName(clone.v?.name)),
    h("td", { title: clone.j?.name ?? "" }, geneName(clone.j?.name)),
    h("td", { class: "cdr3-aa", title: clone.cdr3?.aa ?? "" }, clone.cdr3?.aa ?? clone.junction?.aa ?? ""),
    identityCell(clone),
  ];
}

/** A member of an opened cluster, with its own reads and the ✕ that takes it out. */
export function memberRow(entry: Entry, member: Clone, store: Store): HTMLElement {
  const { result, sample } = store.state;
  const segmented = result?.samples[sample]?.segmentedReads ?? 0;
  const reads = member.reads[sample] ?? 0;
  const representative = member.id === entry.id;
  return h(
    "tr",
    { class: "member-row", "data-member": member.id },
    h(
      "td",
      { class: "name" },
      h(
        "div",
        { class: "name-cell" },
        h(
          "button",
          {
            type: "button",
            class: "remove-member",
            "data-remove": member.id,
            title: `Take ${member.name} out of the cluster`,
            "aria-label": `Take ${member.name} out of the cluster`,
          },
          "✕",
        ),
        h("span", { class: "clone-name", title: member.name }, member.name.replace(/\*01\b/g, "")),
        representative ? h("span", { class: "clone-badge", title: "represents the cluster" }, "rep.") : null,
      ),
    ),
    ...designationCells(member),
    readsCell(member, reads, sample),
    percentCell(member, segmented > 0 ? reads / segmented : 0, sample),
  );
}

/** Vidjil's grey virtual clonotype of a locus: its reads no shown clone holds. */
export function smallerRow(row: SmallerClonotypes, store: Store): HTMLElement {
  const { result, sample } = store.state;
  if (result === null) throw new Error("no result");
  const reads = row.reads[sample] ?? 0;
  return h(
    "tr",
    {
      class: "smaller-row",
      "data-locus": row.locus,
      title: `Reads of ${row.locus} in no clone shown: clones below the top, hidden or filtered out, and clones too small to be listed`,
    },
    h(
      "td",
      { class: "name" },
      h(
        "div",
        { class: "name-cell" },
        h("span", { class: "swatch", style: `background:${SMALLER_COLOUR}`, "aria-hidden": "true" }),
        h("span", { class: "clone-name" }, `${row.locus} smaller clonotypes`),
      ),
    ),
    h("td", {}, row.locus),
    h("td", {}),
    h("td", {}),
    h("td", {}),
    h("td", {}),
    h("td", { class: "numeric" }, reads > 0 ? formatCount(reads) : "–"),
    h("td", { class: "numeric" }, formatPercent(smallerFraction(row, result, sample))),
  );
}
