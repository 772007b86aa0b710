/**
 * Clinical tags, Vidjil's thirteen: a tagged clone keeps its tag colour in every view, and a tag
 * can be renamed and hidden per analysis (`.analysis` `tags.names` and `tags.hide`). The indices
 * are what `.analysis` files store; 0-7 are those of our earlier releases, kept so that their
 * analyses keep their meaning.
 */
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
  { index: 8, name: "dimer", colour: "#5d4037" },
  { index: 9, name: "custom 1", colour: "#00897b" },
  { index: 10, name: "custom 2", colour: "#c0ca33" },
  { index: 11, name: "custom 3", colour: "#8e24aa" },
  { index: 12, name: "smaller clonotypes", colour: "#bdbdbd" },
];

/** The tag of Vidjil's grey virtual clonotypes; hiding it hides them too. */
export const SMALLER_TAG = 12;

export function tagByIndex(index: number | null | undefined): Tag | null {
  return TAGS.find((tag) => tag.index === index) ?? null;
}

/** The tag's name in this analysis: the user's own name, or the default. */
export function tagName(index: number, customNames: ReadonlyMap<number, string>): string {
  return customNames.get(index) ?? tagByIndex(index)?.name ?? `tag ${index}`;
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
/** The grey of the "smaller clonotypes" rows, as in Vidjil. */
export const SMALLER_COLOUR = "#bdbdbd";

export function rankColour(rank: number): string {
  return RANK_COLOURS[rank - 1] ?? OTHER_COLOUR;
}
