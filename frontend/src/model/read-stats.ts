/**
 * Why reads were not segmented, from the per-sample analysis log ("UNSEG too short -> 310 ...",
 * as vidjil-algo writes it; ":" separators are accepted too).
 */
export interface ReadReason {
  label: string;
  reads: number;
}

const LINE = /^\s*((?:UN)?SEG[^:>-]*?)\s*(?:->|:)\s*(\d+)/;

export function unsegmentedReasons(log: string): ReadReason[] {
  const reasons: ReadReason[] = [];
  for (const line of log.split("\n")) {
    const match = LINE.exec(line);
    if (!match?.[1]?.startsWith("UNSEG")) continue;
    reasons.push({ label: match[1].replace(/^UNSEG\s*/, ""), reads: Number(match[2]) });
  }
  return reasons;
}
