/**
 * The user's layer over a `.vidjil` result: custom names, tags and their names, hidden tags,
 * clusters (merges, automatic or by hand) and the samples shown in the graph. Every change makes a
 * new Analysis (never edits one), so that undo keeps the previous ones as they were. It is saved
 * as a small `.analysis` JSON file (`analysis-file.ts`), never in the result.
 */

export interface Analysis {
  readonly names: ReadonlyMap<string, string>;
  readonly tags: ReadonlyMap<string, number>;
  /** Clusters; the first id of each is its representative. The result's own clusters start here. */
  readonly clusters: readonly (readonly string[])[];
  /** Tag names the user chose, by tag index. */
  readonly tagNames: ReadonlyMap<number, string>;
  /** Tags whose clones are hidden in every view. */
  readonly hiddenTags: ReadonlySet<number>;
  /** Samples shown in the follow-up graph, in their order; null: all, in the file's order. */
  readonly sampleOrder: readonly number[] | null;
}

export function emptyAnalysis(clusters: readonly (readonly string[])[] = []): Analysis {
  return {
    names: new Map(),
    tags: new Map(),
    clusters: clusters.filter((cluster) => cluster.length > 1).map((cluster) => [...cluster]),
    tagNames: new Map(),
    hiddenTags: new Set(),
    sampleOrder: null,
  };
}

/** The layer a result starts with: the clusters and tags its file gives (a Vidjil user's). */
export function resultAnalysis(result: {
  readonly clusters: readonly (readonly string[])[];
  readonly clones: readonly { readonly id: string; readonly tag?: number }[];
}): Analysis {
  return { ...emptyAnalysis(result.clusters), tags: fileTags(result.clones) };
}

export function fileTags(
  clones: readonly { readonly id: string; readonly tag?: number }[],
): Map<string, number> {
  return new Map(clones.flatMap((clone) => (clone.tag === undefined ? [] : [[clone.id, clone.tag]])));
}

export function renamed(analysis: Analysis, id: string, name: string): Analysis {
  const names = new Map(analysis.names);
  if (name.trim() === "") names.delete(id);
  else names.set(id, name.trim());
  return { ...analysis, names };
}

export function tagged(analysis: Analysis, ids: readonly string[], tag: number | null): Analysis {
  const tags = new Map(analysis.tags);
  for (const id of ids) {
    if (tag === null) tags.delete(id);
    else tags.set(id, tag);
  }
  return { ...analysis, tags };
}

/** Gives a tag the lab's own name; an empty name restores the default one. */
export function renamedTag(analysis: Analysis, tag: number, name: string): Analysis {
  const tagNames = new Map(analysis.tagNames);
  if (name.trim() === "") tagNames.delete(tag);
  else tagNames.set(tag, name.trim());
  return { ...analysis, tagNames };
}

export function withTagHidden(analysis: Analysis, tag: number, hidden: boolean): Analysis {
  const hiddenTags = new Set(analysis.hiddenTags);
  if (hidden) hiddenTags.add(tag);
  else hiddenTags.delete(tag);
  return { ...analysis, hiddenTags };
}

/** Shows only these samples in the graph, in this order (null: all, in the file's order). */
export function withSampleOrder(analysis: Analysis, order: readonly number[] | null): Analysis {
  return { ...analysis, sampleOrder: order === null ? null : [...order] };
}

/** Merges the clusters of `ids` into one whose representative is the first id. */
export function merged(analysis: Analysis, ids: readonly string[]): Analysis {
  return mergedGroups(analysis, [ids]);
}

/**
 * Merges each group of ids (clones or clusters, by any of their members) into one cluster whose
 * representative is the group's first id: what automatic clustering applies in one step.
 */
export function mergedGroups(analysis: Analysis, groups: readonly (readonly string[])[]): Analysis {
  // Each clone's cluster by id: automatic clustering merges hundreds of groups in one step, and
  // searching every cluster for every id made that quadratic.
  const clusterById = new Map<string, readonly string[]>();
  for (const cluster of analysis.clusters) for (const id of cluster) clusterById.set(id, cluster);
  const ended = new Set<readonly string[]>();
  const formed: string[][] = [];
  for (const ids of groups) {
    if (ids.length < 2) continue;
    const joined = new Set<readonly string[]>(ids.map((id) => clusterById.get(id) ?? [id]));
    const members = [...new Set([...joined].flat())];
    if (members.length < 2) continue;
    const first = ids[0] as string;
    const representative = clusterById.get(first)?.[0] ?? first;
    const cluster = [representative, ...members.filter((id) => id !== representative)];
    for (const old of joined) ended.add(old);
    for (const id of cluster) clusterById.set(id, cluster);
    formed.push(cluster);
  }
  if (formed.length === 0) return analysis;
  // Clusters left untouched keep their place; each new one comes after them, in the groups' order.
  const kept = [...analysis.clusters, ...formed].filter((cluster) => !ended.has(cluster));
  return { ...analysis, clusters: kept };
}

/** Splits every cluster containing one of `ids` back into single clones. */
export function split(analysis: Analysis, ids: readonly string[]): Analysis {
  const clusters = analysis.clusters.filter((cluster) => !cluster.some((id) => ids.includes(id)));
  return { ...analysis, clusters };
}

/** Takes these clones out of their clusters, each back on its own; a cluster left with one clone ends. */
export function withoutMembers(analysis: Analysis, ids: readonly string[]): Analysis {
  const clusters = analysis.clusters
    .map((cluster) => cluster.filter((id) => !ids.includes(id)))
    .filter((cluster) => cluster.length > 1);
  return { ...analysis, clusters };
}
