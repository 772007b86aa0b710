/**
 * Which groups own a set (who may see and work on it), for everyone holding the `admin` right on
 * it. The server lists the groups this user may tick or untick (every group for an
 * administrator; otherwise their own groups within the sharing rules); owners the user may not
 * change are kept as they are. Saved as a whole with `PUT /api/sample-sets/{id}/groups`; a
 * refusal is shown in the panel itself, next to the button.
 */
import { call, type Answer } from "../../api/client";
import { h } from "../../ui/dom";
import { busy, MessageBox } from "../widgets";

type Choice = Answer<"listSampleSetGroupChoices">[number];

export function sharingPanel(setId: number, current: readonly number[]): HTMLElement {
  const messages = new MessageBox();
  const panel = h(
    "section",
    { class: "sharing", "aria-labelledby": "sharing-title" },
    h("h2", { id: "sharing-title" }, "Groups that own this set"),
  );
  call("listSampleSetGroupChoices", { path: { set_id: setId } })
    .then((choices) => panel.append(...sharingControls(setId, current, choices, messages)))
    .catch((error: unknown) => messages.error(error));
  panel.append(messages.element);
  return panel;
}

function sharingControls(
  setId: number,
  current: readonly number[],
  choices: readonly Choice[],
  messages: MessageBox,
): HTMLElement[] {
  const offered = new Set(choices.map((choice) => choice.id));
  let kept = current.filter((id) => !offered.has(id)); // owners this user may not change
  const boxes = choices.map(
    (choice) => [choice, h("input", { type: "checkbox", value: choice.id, checked: choice.owns })] as const,
  );
  const others = h("p", { class: "muted" });
  const describeOthers = () => {
    others.textContent = kept.length
      ? `Also owned by ${kept.length} group(s) you are not in: only an administrator may change them.`
      : "";
    others.hidden = kept.length === 0;
  };
  describeOthers();
  const save = h("button", { type: "button" }, "Save the groups");
  save.addEventListener(
    "click",
    () =>
      void busy(save, async () => {
        const chosen = boxes.filter(([, box]) => box.checked).map(([choice]) => choice);
        try {
          const saved = await call("setSampleSetGroups", {
            path: { set_id: setId },
            body: { group_ids: [...kept, ...chosen.map((choice) => choice.id)] },
          });
          kept = (saved.group_ids ?? []).filter((id) => !offered.has(id));
          describeOthers();
          const names = chosen.map((choice) => choice.name);
          if (kept.length) names.push(`${kept.length} other group(s)`);
          messages.show("notice", `Owned by ${names.join(", ") || "no group"}.`);
        } catch (error) {
          messages.error(error);
        }
      }),
  );
  const empty = choices.length
    ? null
    : h("p", { class: "muted" }, "None of your groups may be given this set: ask an administrator.");
  return [
    h(
      "div",
      { class: "lab-toolbar" },
      ...boxes.map(([choice, box]) =>
        h("label", { class: "check", title: choice.description }, box, ` ${choice.name}`),
      ),
      save,
    ),
    others,
    ...(empty ? [empty] : []),
  ];
}
