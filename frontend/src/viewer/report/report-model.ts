/**
 * Reports of a result, as Vidjil's report builder keeps them: named reports made from a template
 * (diagnosis, follow-up, full), each an ordered list of blocks (report and patient information,
 * samples, read statistics, the follow-up graph, plots added from the views, clones, the set's
 * log, free comments). They are saved in the `.analysis` under `report_save`, a report per name,
 * as Vidjil does; blocks carry Vidjil's `blockType` names. Pure: no DOM.
 */

export type BlockType =
  | "file_info"
  | "patient_info"
  | "samples"
  | "sample_info"
  | "reads_stats"
  | "monitor"
  | "plot"
  | "clones"
  | "log_db"
  | "comment";

export interface ReportBlock {
  readonly blockType: BlockType;
  readonly id: number;
  /** comment: its text. */
  readonly text?: string;
  /** sample_info: the sample, by its original file name (stable when a set gains samples). */
  readonly sample?: string;
  /** plot: the picture as drawn in the view (SVG text), its title and what it showed. */
  readonly svg?: string;
  readonly title?: string;
  readonly caption?: string;
}

export type TemplateId = "diagnosis" | "follow-up" | "full";

export interface Report {
  readonly name: string;
  readonly template: TemplateId;
  readonly title: string;
  readonly author: string;
  /** Report date, YYYY-MM-DD. */
  readonly date: string;
  /** The sample a diagnosis report is about (original name); null: every sample. */
  readonly sample: string | null;
  readonly blocks: readonly ReportBlock[];
}

/** `report_save` of the `.analysis`: reports by name. */
export type ReportSave = Readonly<Record<string, Report>>;

interface Template {
  readonly label: string;
  readonly title: string;
  readonly blocks: readonly BlockType[];
}

export const TEMPLATES: Readonly<Record<TemplateId, Template>> = {
  diagnosis: {
    label: "Diagnosis",
    title: "Clonality at diagnosis",
    blocks: ["file_info", "patient_info", "sample_info", "reads_stats", "clones", "comment"],
  },
  "follow-up": {
    label: "Follow-up (MRD)",
    title: "Follow-up of the clones",
    blocks: ["file_info", "patient_info", "samples", "reads_stats", "monitor", "clones", "log_db", "comment"],
  },
  full: {
    label: "Full report",
    title: "Clonality report",
    // sample_info here: one block per sample of the result
    blocks: [
      "file_info",
      "patient_info",
      "samples",
      "sample_info",
      "reads_stats",
      "monitor",
      "clones",
      "log_db",
      "comment",
    ],
  },
};

export const BLOCK_LABELS: Readonly<Record<BlockType, string>> = {
  file_info: "Report information",
  patient_info: "Patient",
  samples: "Samples",
  sample_info: "Sample information",
  reads_stats: "Read statistics",
  monitor: "Follow-up graph",
  plot: "Plot",
  clones: "Clones",
  log_db: "Log of the set",
  comment: "Comment",
};

const BLOCK_TYPES = new Set<string>(Object.keys(BLOCK_LABELS));
const MAX_SVG_CHARACTERS = 4_000_000; // a plot bigger than this in a .analysis is not a plot
const SVG_START = /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function nextId(blocks: readonly ReportBlock[]): number {
  return blocks.reduce((highest, block) => Math.max(highest, block.id), 0) + 1;
}

/** The blocks of a template; a sample_info block for every sample when no sample is chosen. */
function templateBlocks(
  types: readonly BlockType[],
  sample: string | null,
  samples: readonly string[],
): Omit<ReportBlock, "id">[] {
  return types.flatMap((blockType): Omit<ReportBlock, "id">[] => {
    if (blockType === "comment") return [{ blockType, text: "" }];
    if (blockType !== "sample_info") return [{ blockType }];
    const about = sample !== null ? [sample] : samples.length ? samples : [];
    return about.length ? about.map((name) => ({ blockType, sample: name })) : [{ blockType }];
  });
}

export function newReport(
  template: TemplateId,
  options: {
    date: string;
    author?: string;
    sample?: string | null;
    name?: string;
    /** The result's samples (original names), for the templates with a block per sample. */
    samples?: readonly string[];
  },
): Report {
  const chosen = TEMPLATES[template];
  const sample = options.sample ?? null;
  return {
    name: options.name ?? `${chosen.label} ${options.date}`,
    template,
    title: chosen.title,
    author: options.author ?? "",
    date: options.date,
    sample,
    blocks: templateBlocks(chosen.blocks, sample, options.samples ?? []).map((block, index) => ({
      ...block,
      id: index + 1,
    })),
  };
}

export function withBlock(report: Report, block: Omit<ReportBlock, "id">, before?: number): Report {
  const added = { ...block, id: nextId(report.blocks) };
  const at = before === undefined ? -1 : report.blocks.findIndex((item) => item.id === before);
  const blocks = [...report.blocks];
  if (at < 0) blocks.push(added);
  else blocks.splice(at, 0, added);
  return { ...report, blocks };
}

export function withoutBlock(report: Report, id: number): Report {
  return { ...report, blocks: report.blocks.filter((block) => block.id !== id) };
}

/** Moves a block up (-1) or down (+1); at an end it stays. */
export function movedBlock(report: Report, id: number, delta: -1 | 1): Report {
  const index = report.blocks.findIndex((block) => block.id === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= report.blocks.length) return report;
  const blocks = [...report.blocks];
  [blocks[index], blocks[target]] = [blocks[target]!, blocks[index]!];
  return { ...report, blocks };
}

export function withComment(report: Report, id: number, comment: string): Report {
  return {
    ...report,
    blocks: report.blocks.map((block) => (block.id === id ? { ...block, text: comment } : block)),
  };
}

export function withFields(
  report: Report,
  fields: Partial<Pick<Report, "title" | "author" | "date" | "name">>,
): Report {
  return { ...report, ...fields };
}

function parseBlock(value: unknown, id: number): ReportBlock | null {
  if (!isObject(value) || !BLOCK_TYPES.has(text(value.blockType))) return null;
  const blockType = value.blockType as BlockType;
  const block: { -readonly [K in keyof ReportBlock]: ReportBlock[K] } = { blockType, id };
  if (typeof value.text === "string") block.text = value.text;
  if (typeof value.sample === "string") block.sample = value.sample;
  if (typeof value.title === "string") block.title = value.title;
  if (typeof value.caption === "string") block.caption = value.caption;
  const svg = text(value.svg);
  if (SVG_START.test(svg) && svg.length <= MAX_SVG_CHARACTERS) block.svg = svg;
  if (blockType === "plot" && block.svg === undefined) return null;
  return block;
}

function parseReport(name: string, value: unknown): Report | null {
  if (!isObject(value) || !Array.isArray(value.blocks)) return null;
  const template = text(value.template);
  const blocks = value.blocks
    .map((block, index) => parseBlock(block, index + 1))
    .filter((block): block is ReportBlock => block !== null);
  return {
    name,
    template: template in TEMPLATES ? (template as TemplateId) : "full",
    title: text(value.title, TEMPLATES.full.title),
    author: text(value.author),
    date: text(value.date),
    sample: typeof value.sample === "string" ? value.sample : null,
    blocks,
  };
}

/** `report_save` read leniently: reports it cannot read are left out, unknown blocks too. */
export function parseReportSave(value: unknown): ReportSave {
  if (!isObject(value)) return {};
  const reports: Record<string, Report> = {};
  for (const [name, report] of Object.entries(value)) {
    const parsed = parseReport(name, report);
    if (parsed !== null) reports[name] = parsed;
  }
  return reports;
}

/** `report_save` as written in the `.analysis` (block ids are positions, not kept). */
export function reportSaveDocument(reports: ReportSave): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(reports).map(([name, report]) => [
      name,
      { ...report, name, blocks: report.blocks.map(({ id: _id, ...block }) => block) },
    ]),
  );
}

export function withReport(reports: ReportSave, report: Report): ReportSave {
  return { ...reports, [report.name]: report };
}
