/** Clinical tags, as in Vidjil: a tagged clone keeps its tag colour in every view. */
export interface Tag {
  index: number;
  name: string;
  colour: string;
}

export const TAGS: readonly Tag[] = [
  { index: 0, name: "dominant clone", colour: "#c62828" },
  { index: 1, name: "clonotype 1", colour: "#ef6c00" },
  { index: 2, name: "clonotype 2", colour: "#b8860b" },
  { index: 3, name: "clonotype 3", colour: "#2e7d32" },
  { index: 4, name: "clonotype 4", colour: "#1565c0" },
  { index: 5, name: "clonotype 5", colour: "#6a1b9a" },
  { index: 6, name: "standard / spike", colour: "#ad1457" },
  { index: 7, name: "noise", colour: "#757575" },
];

export function tagByIndex(index: number | null | undefined): Tag | null {
  return TAGS.find((tag) => tag.index === index) ?? null;
}

/** Distinct colours for the top clones when untagged; later clones are grey. */
const RANK_COLOURS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#393b79",
];
export const OTHER_COLOUR = "#9e9e9e";

export function rankColour(rank: number): string {
  return RANK_COLOURS[rank - 1] ?? OTHER_COLOUR;
}
