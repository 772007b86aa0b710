/**
 * The QC table of a set (`#/qc?set=&config=`, Vidjil's "preview"): per sample, the reads analysed,
 * the read lengths (a small histogram), the loci, the clones of 5% or more and the diversity
 * indices when known (as in the viewer's read statistics), the main clone, the clones also found
 * in samples of other sets (a contamination hint) and the diversity per locus. Compact, so that a
 * 1,280 px screen shows the indices; the sample's name stays in view when the table scrolls.
 * Columns can be hidden (remembered on this computer); the table downloads as TSV.
 */
import { call, operationUrl } from "../api/client";
import type { QualityRow, ReadLengths, SetQuality } from "../api/schema";
import type { Page } from "../router";
import { h, s } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { describeSet, kindName } from "./set-search";
import { downloadLink } from "./set/jobs-view";
import { hashQuery, MessageBox } from "./widgets";

const HIDDEN_COLUMNS_KEY = "vidjil-local.qc.hidden-columns";
const LOW_ANALYSED_SHARE = 0.5; // fewer reads analysed than this: wrong locus, primers or library?

type Cell = Node | string | null;

interface Column {
  key: string;
  heading: string;
  title?: string;
  numeric?: boolean;
  cell: (row: QualityRow) => Cell | Cell[];
}

function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "" : `${(100 * value).toFixed(digits)}%`;
}

function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : value.toLocaleString("en-GB");
}

/** The read-length distribution as a row of bars (one per 10 bp), its numbers in the title. */
function lengthHistogram(lengths: ReadLengths | null): Cell {
  if (lengths === null || lengths.counts.length === 0) return "";
  const width = 84;
  const height = 28;
  const first = lengths.bin_starts[0] ?? 0;
  const last = lengths.bin_starts[lengths.bin_starts.length - 1] ?? first;
  const bins = (last - first) / lengths.bin_width + 1;
  const highest = Math.max(...lengths.counts);
  const bar = width / bins;
  const title = `${lengths.complete ? "" : `first ${count(lengths.reads)} reads: `}${first}-${
    last + lengths.bin_width - 1
  } bp, mean ${lengths.mean ?? "?"} bp`;
  return s(
    "svg",
    {
      class: "length-histogram",
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": title,
    },
    s("title", {}, title),
    ...lengths.bin_starts.map((start, index) => {
      const value = lengths.counts[index] ?? 0;
      const tall = Math.max(1, (value / highest) * height);
      const x = ((start - first) / lengths.bin_width) * bar;
      return s("rect", { x, y: height - tall, width: Math.max(bar - 0.5, 0.5), height: tall });
    }),
  );
}

function sharedCell(row: QualityRow): Cell[] {
  const shared = row.shared;
  if (shared === null) return [""];
  if (shared.clones === 0) return ["none"];
  return [
    h(
      "strong",
      { class: "warning", title: "Clones of this sample also found in samples of other sets" },
      `⚠ ${shared.clones}`,
    ),
    h(
      "ul",
      { class: "shared-with" },
      ...shared.samples.map((other) =>
        h(
          "li",
          {},
          h("a", { href: `#/set?id=${other.sample_set_id}` }, `${other.sample_name}`),
          ` (${kindName(other.set_kind)} #${other.sample_set_id}): ${other.clones}`,
        ),
      ),
    ),
  ];
}

/** The diversity indices of the read statistics (sample-measures.ts): key, heading, title, digits. */
const DIVERSITY_INDICES: [string, string, string, number][] = [
  ["shannon", "Shannon H", "Shannon's entropy", 2],
  ["equitability", "Equitability E", "Shannon's equitability (Vidjil's: H / ln reads)", 3],
  ["simpson", "Simpson Ds", "Simpson's diversity: the chance that two reads are of different clones", 3],
  ["pielou", "Pielou J", "Pielou's evenness: H / ln clones", 3],
];

const COLUMNS: Column[] = [
  {
    key: "sample",
    heading: "Sample",
    cell: (row) => [
      row.sample_name,
      row.sampling_date ? h("div", { class: "muted" }, row.sampling_date) : null,
    ],
  },
  { key: "config", heading: "Config", cell: (row) => row.config_name || "not analysed" },
  { key: "reads", heading: "Reads", numeric: true, cell: (row) => count(row.total_reads) },
  {
    key: "analysed",
    heading: "Analysed",
    numeric: true,
    cell: (row) => {
      const low = row.analysed_share !== null && row.analysed_share < LOW_ANALYSED_SHARE;
      return [
        h("span", { class: low ? "warning" : null }, `${low ? "⚠ " : ""}${percent(row.analysed_share)}`),
        h("div", { class: "muted" }, count(row.analysed_reads)),
      ];
    },
  },
  {
    key: "length",
    heading: "Mean read length",
    numeric: true,
    cell: (row) => (row.mean_read_length === null ? "" : `${row.mean_read_length} bp`),
  },
  { key: "lengths", heading: "Read lengths", cell: (row) => lengthHistogram(row.read_lengths) },
  {
    key: "loci",
    heading: "Loci",
    cell: (row) =>
      Object.entries(row.reads_per_locus)
        .filter(([, reads]) => reads > 0)
        .map(([locus, reads]) =>
          h("div", {}, `${locus} ${percent(row.analysed_reads ? reads / row.analysed_reads : null)}`),
        ),
  },
  {
    key: "clones",
    heading: "Clones",
    title: "Clones in the result (the analysis keeps at most its config's top clones)",
    numeric: true,
    cell: (row) => count(row.clones),
  },
  {
    key: "major",
    heading: "Clones ≥ 5%",
    cell: (row) =>
      Object.entries(row.major_clones_per_locus).map(([locus, clones]) =>
        h("div", {}, `${locus}: ${clones}`),
      ),
  },
  ...DIVERSITY_INDICES.map(([name, heading, title, digits]): Column => ({
    key: name,
    heading,
    title,
    numeric: true,
    cell: (row) => row.diversity[name]?.toFixed(digits) ?? "",
  })),
  {
    key: "main",
    heading: "Main clone",
    cell: (row) =>
      row.main_clone
        ? [
            h("span", { class: "mono" }, row.main_clone.label),
            h("div", { class: "muted" }, percent(row.main_clone.share, 2)),
          ]
        : "",
  },
  { key: "shared", heading: "Clones in other sets", cell: sharedCell },
  {
    key: "merged",
    heading: "Pairs merged",
    numeric: true,
    cell: (row) => (row.merged_pairs ? percent(row.merged_pairs[0]! / (row.merged_pairs[1] || 1)) : ""),
  },
  {
    key: "diversity-loci",
    heading: "Diversity per locus",
    title: "H, E, Ds and J of each locus's clones",
    cell: (row) =>
      Object.entries(row.diversity_per_locus).map(([locus, indices]) =>
        h(
          "div",
          { "data-locus": locus },
          `${locus} `,
          ...DIVERSITY_INDICES.filter(([name]) => indices[name] !== undefined).map(
            ([name, heading, , digits]) =>
              h(
                "span",
                { class: "index", title: heading },
                `${heading.split(" ")[1]} ${indices[name]!.toFixed(digits)} `,
              ),
          ),
        ),
      ),
  },
];

function hiddenColumns(): Set<string> {
  try {
    const saved: unknown = JSON.parse(window.localStorage.getItem(HIDDEN_COLUMNS_KEY) ?? "[]");
    return new Set(Array.isArray(saved) ? saved.map(String) : []);
  } catch {
    return new Set();
  }
}

function qualityTable(table: SetQuality, hidden: Set<string>): HTMLElement {
  if (table.rows.length === 0) return h("p", { class: "empty" }, "This set has no sample yet.");
  const shown = COLUMNS.filter((column) => !hidden.has(column.key));
  const cellClass = (column: Column) => (column.numeric ? "numeric" : null);
  return h(
    "table",
    { class: "lab-table qc-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...shown.map((column) => h("th", { scope: "col", class: cellClass(column) }, column.heading)),
      ),
    ),
    h(
      "tbody",
      {},
      ...table.rows.map((row) =>
        h(
          "tr",
          { "data-sample": row.sample_id, "data-config": row.config_id ?? "" },
          ...shown.map((column) => {
            const content = column.cell(row);
            return h(
              "td",
              { class: cellClass(column), "data-column": column.key },
              ...(Array.isArray(content) ? content : [content]),
            );
          }),
        ),
      ),
    ),
  );
}

function columnToggles(hidden: Set<string>, changed: () => void): HTMLElement {
  return h(
    "details",
    { class: "column-toggles" },
    h("summary", {}, "Columns"),
    ...COLUMNS.map((column) => {
      const box = h("input", {
        type: "checkbox",
        checked: !hidden.has(column.key),
        name: `column-${column.key}`,
      });
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(column.key);
        else hidden.add(column.key);
        window.localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify([...hidden]));
        changed();
      });
      return h("label", { class: "check" }, box, ` ${column.heading}`);
    }),
  );
}

function configChoice(table: SetQuality, setId: number): HTMLSelectElement {
  const select = h("select", { name: "config", "aria-label": "Analysis config" });
  select.append(h("option", { value: "" }, "every config"));
  for (const config of table.configs) select.append(h("option", { value: config.id }, config.name));
  select.value = table.config_id === null ? "" : String(table.config_id);
  select.addEventListener("change", () => {
    window.location.hash = select.value ? `#/qc?set=${setId}&config=${select.value}` : `#/qc?set=${setId}`;
  });
  return select;
}

export const qcPage: Page = (root) => {
  let open = true;
  const query = hashQuery();
  const setId = Number(query.get("set"));
  const configId = query.get("config") ? Number(query.get("config")) : null;
  void signedIn(root).then(async (session) => {
    if (!session || !open) return;
    const messages = new MessageBox();
    try {
      const [set, table] = await Promise.all([
        call("getSampleSet", { path: { set_id: setId } }),
        call("getSetQuality", { path: { set_id: setId }, query: { config_id: configId } }),
      ]);
      if (!open) return;
      const content = shell(root, session, `QC of ${describeSet(set).label}`);
      const hidden = hiddenColumns();
      const slot = h("div", { class: "qc-scroll" }, qualityTable(table, hidden));
      const tsv = downloadLink(
        operationUrl("exportSetQualityTsv", { path: { set_id: setId }, query: { config_id: configId } }),
        "Download TSV",
        "The table as tab-separated values, for a spreadsheet",
      );
      tsv.classList.add("button");
      content.append(
        h("p", { class: "set-info" }, h("a", { href: `#/set?id=${setId}` }, "← back to the set")),
        h(
          "div",
          { class: "lab-toolbar" },
          configChoice(table, setId),
          tsv,
          columnToggles(hidden, () => slot.replaceChildren(qualityTable(table, hidden))),
        ),
        messages.element,
        slot,
        h(
          "p",
          { class: "muted" },
          "Clones in other sets: clones of at least 0.01% of this sample also found (at least 0.01%) in samples of other patients, runs or sets you may read, analysed with the same config: often a contamination or a sample mix-up. The follow-up samples of the same set are not counted. ⚠ marks also fewer than 50% of the reads analysed.",
        ),
      );
    } catch (error) {
      shell(root, session, "QC table").append(messages.element);
      messages.error(error);
    }
  });
  return () => {
    open = false;
  };
};
