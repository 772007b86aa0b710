/**
 * Picking sample files from the network folder the server reads (the `file_source` setting):
 * browse its folders, tick files, add them to the set without uploading anything. In paired
 * mode the ticked files are matched by name as uploads are (`pairing.ts`), shown first.
 */
import { call } from "../../api/client";
import type { SourceEntry } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, button, formatBytes, type MessageBox } from "../widgets";
import { pairByName } from "./pairing";
import { pairsPreview, refusedList } from "./pairs-preview";

interface PickOptions {
  paired: boolean;
  sampling_date: string | null;
}

export function networkPicker(
  setId: number,
  options: () => PickOptions,
  messages: MessageBox,
  added: () => void,
): HTMLElement {
  const panel = h("div", { class: "network-picker" });
  const chosen = new Map<string, SourceEntry>();
  const previewSlot = h("div", { class: "preview-slot" });

  const link = async (paths: string[], names?: string[]): Promise<boolean> => {
    try {
      const created = await call("linkSourceSamples", {
        path: { set_id: setId },
        body: { paths, ...options(), ...(names ? { names } : {}) },
      });
      messages.show("notice", `Added ${created.length} sample(s) from the network folder.`);
      added();
      return true;
    } catch (error) {
      messages.error(error);
      return false;
    }
  };

  // Paired mode: the ticked files matched by name, shown before anything is added.
  const previewPairs = () => {
    const pairing = pairByName([...chosen.values()], (entry) => entry.path.slice(0, -entry.name.length));
    const preview = pairsPreview(pairing, "not added");
    const count = pairing.pairs.length;
    const confirm = button(
      `Add ${count} paired sample${count === 1 ? "" : "s"}`,
      () => {
        const pairs = preview.chosen();
        if (typeof pairs === "string") return messages.show("error", pairs);
        void busy(confirm, async () => {
          const paths = pairs.flatMap((pair) => [pair.r1.path, pair.r2.path]);
          if (
            !(await link(
              paths,
              pairs.map((pair) => pair.name),
            ))
          )
            return;
          // What was left out stays said, under the list.
          previewSlot.replaceChildren(
            ...[refusedList(pairing.refused, "not added")].filter((item) => item !== null),
          );
        });
      },
      { class: "primary", disabled: count === 0 },
    );
    const cancel = button("Cancel", () => previewSlot.replaceChildren());
    preview.element.append(h("div", { class: "form-row" }, confirm, cancel));
    previewSlot.replaceChildren(preview.element);
    (count ? confirm : cancel).focus(); // Enter sends what the preview shows
  };

  const open = async (path: string) => {
    const listing = await call("listSourceFiles", { query: { path } });
    chosen.clear();
    previewSlot.replaceChildren();
    const parent = listing.path.includes("/") ? listing.path.slice(0, listing.path.lastIndexOf("/")) : "";
    const add = h("button", { type: "button", class: "primary" }, "Add the ticked files");
    add.addEventListener("click", () => {
      if (chosen.size === 0) return messages.show("error", "Tick at least one file.");
      if (options().paired) return previewPairs();
      void busy(add, () => link([...chosen.keys()]));
    });
    const entry = (item: SourceEntry) => {
      if (item.is_folder) {
        return h(
          "li",
          {},
          button(`📁 ${item.name}`, () => void open(item.path).catch((error) => messages.error(error)), {
            class: "link-button",
          }),
        );
      }
      const box = h("input", { type: "checkbox", value: item.path });
      box.addEventListener("change", () => {
        if (box.checked) chosen.set(item.path, item);
        else chosen.delete(item.path);
        previewSlot.replaceChildren();
      });
      return h(
        "li",
        {},
        h(
          "label",
          { class: "check" },
          box,
          ` ${item.name} `,
          h("span", { class: "muted" }, formatBytes(item.size)),
        ),
      );
    };
    panel.replaceChildren(
      h("p", {}, h("strong", {}, "Network folder: "), `/${listing.path}`),
      listing.path
        ? button("↑ parent folder", () => void open(parent).catch((error) => messages.error(error)), {
            class: "link-button",
          })
        : "",
      listing.entries.length
        ? h("ul", { class: "source-list" }, ...listing.entries.map(entry))
        : h("p", { class: "empty" }, "No sequence file here."),
      add,
      previewSlot,
    );
  };

  const start = button(
    "Pick from the network folder",
    () => void busy(start, () => open("").catch((error) => messages.error(error))),
  );
  panel.append(start);
  return panel;
}
