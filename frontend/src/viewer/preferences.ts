/**
 * View preferences kept between sessions in localStorage: grid axes and mode, top N, sort, colour.
 * Only choices about how to look at results, never results or patient data.
 */
import { AXES } from "../model/axes";
import { isColourBy } from "../model/colours";
import type { Store, ViewState } from "./state";

const KEY = "vidjil-local.preferences.v1";
const SORT_KEYS: readonly string[] = ["size", "name", "locus", "v", "j", "cdr3"];

interface Preferences {
  gridX: string;
  gridY: string;
  topN: number;
  sort: ViewState["sort"];
  gridMode: ViewState["gridMode"];
  colourBy: ViewState["colourBy"];
}

function read(): Partial<Preferences> {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? "{}");
    return typeof value === "object" && value !== null ? (value as Partial<Preferences>) : {};
  } catch {
    return {};
  }
}

function isAxis(id: unknown): id is string {
  return AXES.some((axis) => axis.id === id);
}

/** Applies saved preferences to the store, then saves them whenever they change. */
export function keepPreferences(store: Store): void {
  const saved = read();
  const state = store.state;
  store.update({
    gridX: isAxis(saved.gridX) ? saved.gridX : state.gridX,
    gridY: isAxis(saved.gridY) ? saved.gridY : state.gridY,
    gridMode: saved.gridMode === "bars" ? "bars" : "bubbles",
    colourBy: isColourBy(saved.colourBy) ? saved.colourBy : state.colourBy,
    filters: { ...state.filters, topN: typeof saved.topN === "number" ? saved.topN : state.filters.topN },
    sort:
      saved.sort && SORT_KEYS.includes(saved.sort.key)
        ? { key: saved.sort.key, descending: Boolean(saved.sort.descending) }
        : state.sort,
  });
  let last = "";
  store.subscribeForever((current) => {
    const preferences: Preferences = {
      gridX: current.gridX,
      gridY: current.gridY,
      topN: current.filters.topN,
      sort: current.sort,
      gridMode: current.gridMode,
      colourBy: current.colourBy,
    };
    const text = JSON.stringify(preferences);
    if (text === last) return;
    last = text;
    try {
      window.localStorage.setItem(KEY, text);
    } catch {
      // Storage full or disabled: preferences simply are not remembered.
    }
  });
}
