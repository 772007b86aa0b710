/**
 * Which groups own a set (who may see and work on it), for administrators: only they may list
 * the groups by name. Saved as a whole with `PUT /api/sample-sets/{id}/groups`.
 */
import { call } from "../../api/client";
import { h } from "../../ui/dom";
import { busy, type MessageBox } from "../widgets";

export function sharingPanel(setId: number, current: readonly number[], messages: MessageBox): HTMLElement {
  const panel = h(
    "section",
    { class: "sharing", "aria-labelledby": "sharing-title" },
    h("h2", { id: "sharing-title" }, "Groups that own this set"),
  );
  call("listGroups")
    .then((groups) => {
      const boxes = groups.map(
        (group) =>
          [
            group,
            h("input", { type: "checkbox", value: group.id, checked: current.includes(group.id) }),
          ] as const,
      );
      const save = h("button", { type: "button" }, "Save the groups");
      save.addEventListener(
        "click",
        () =>
          void busy(save, async () => {
            const chosen = boxes.filter(([, box]) => box.checked);
            try {
              await call("setSampleSetGroups", {
                path: { set_id: setId },
                body: { group_ids: chosen.map(([group]) => group.id) },
              });
              messages.show(
                "notice",
                `Owned by ${chosen.map(([group]) => group.name).join(", ") || "no group"}.`,
              );
            } catch (error) {
              messages.error(error);
            }
          }),
      );
      panel.append(
        h(
          "div",
          { class: "lab-toolbar" },
          ...boxes.map(([group, box]) =>
            h("label", { class: "check", title: group.description }, box, ` ${group.name}`),
          ),
          save,
        ),
      );
    })
    .catch((error: unknown) => messages.error(error));
  return panel;
}
