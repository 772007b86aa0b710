/**
 * The germline genes' own sequences, from the server's germline set of the result's config
 * (`getGermlineGenes`), kept for the page's life: a gene's sequence never changes in a set.
 */
import { call, messageOf } from "../api/client";
import type { Store } from "./state";

const known = new Map<string, string | null>();

function key(set: string, gene: string): string {
  return `${set}\t${gene}`;
}

/** The germline set a config names: "human:IGH,TRG" is the set "human". */
export function germlineSetOf(germline: string): string {
  return germline.split(":")[0] ?? germline;
}

/** Sequences of these genes, fetched once; a gene the set lacks maps to null. */
export async function germlineGenes(
  store: Store,
  genes: readonly string[],
): Promise<Map<string, string | null>> {
  const names = store.state.serverNames;
  if (names === null)
    throw new Error("germline sequences come from the server: open the result from its set");
  const set = germlineSetOf(names.germline);
  const missing = [...new Set(genes)].filter((gene) => !known.has(key(set, gene)));
  if (missing.length > 0) {
    try {
      const answer = await call("getGermlineGenes", {
        path: { name: set },
        query: { genes: missing.join(",") },
      });
      for (const gene of missing) known.set(key(set, gene), answer.genes[gene] ?? null);
    } catch (error) {
      throw new Error(`the germline genes could not be read (${messageOf(error)})`);
    }
  }
  return new Map(genes.map((gene) => [gene, known.get(key(set, gene)) ?? null]));
}
