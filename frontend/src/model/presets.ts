/** The grid's presets, Vidjil's first ten in its order: keys 1-9, then 0. */

export interface Preset {
  key: string;
  label: string;
  x: string;
  /** Bar plots have one axis; the Y axis is left as it is. */
  y: string | null;
  mode: "bubbles" | "bars";
}

export const PRESETS: readonly Preset[] = [
  { key: "1", label: "V / J genes", x: "v", y: "j", mode: "bubbles" },
  { key: "2", label: "V / J alleles", x: "v-allele", y: "j-allele", mode: "bubbles" },
  { key: "3", label: "V gene / N length", x: "v", y: "n-length", mode: "bubbles" },
  { key: "4", label: "Read length / locus", x: "read-length", y: "locus", mode: "bubbles" },
  { key: "5", label: "Read length distribution (Genescan-like)", x: "read-length", y: null, mode: "bars" },
  { key: "6", label: "V distribution", x: "v", y: null, mode: "bars" },
  { key: "7", label: "N length distribution", x: "n-length", y: null, mode: "bars" },
  { key: "8", label: "CDR3 length distribution", x: "cdr3-length", y: null, mode: "bars" },
  { key: "9", label: "J distribution", x: "j", y: null, mode: "bars" },
  { key: "0", label: "Compare two samples", x: "size", y: "size-next", mode: "bubbles" },
];

export function presetByKey(key: string): Preset | null {
  return PRESETS.find((preset) => preset.key === key) ?? null;
}

/** The preset the grid shows now, if any (its axes and mode match). */
export function currentPreset(x: string, y: string, mode: "bubbles" | "bars"): Preset | null {
  return (
    PRESETS.find(
      (preset) => preset.mode === mode && preset.x === x && (preset.y === null || preset.y === y),
    ) ?? null
  );
}
