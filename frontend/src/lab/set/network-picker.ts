/**
 * Picking sample files from the network folder the server reads (the `file_source` setting):
 * browse its folders, tick files, add them to the set without uploading anything.
 */
import { call } from "../../api/client";
import type { SourceEntry } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, button, formatBytes, type MessageBox } from "../widgets";

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
  const chosen = new Set<string>();

  const open = async (path: string) => {
    const listing = await call("listSourceFiles", { query: { path } });
    chosen.clear();
    const parent = listing.path.includes("/") ? listing.path.slice(0, listing.path.lastIndexOf("/")) : "";
    const add = h("button", { type: "button", class: "primary" }, "Add the ticked files");
    add.addEventListener(
      "click",
      () =>
        void busy(add, async () => {
          if (chosen.size === 0) return messages.show("error", "Tick at least one file.");
          try {
            const created = await call("linkSourceSamples", {
              path: { set_id: setId },
              body: { paths: [...chosen], ...options() },
            });
            messages.show("notice", `Added ${created.length} sample(s) from the network folder.`);
            added();
          } catch (error) {
            messages.error(error);
          }
        }),
    );
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
      box.addEventListener("change", () => (box.checked ? chosen.add(item.path) : chosen.delete(item.path)));
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
    );
  };

  const start = button(
    "Pick from the network folder",
    () => void busy(start, () => open("").catch((error) => messages.error(error))),
  );
  panel.append(start);
  return panel;
}
