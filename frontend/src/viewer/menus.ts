/** The drop-down menus of the viewer (`<details class="menu">`): keys as in any menu. */

/** Opening focuses the first item, ↑/↓ move between the enabled items, Esc closes. */
export function closeMenuOnEscape(menu: HTMLDetailsElement): void {
  const items = () =>
    [
      ...menu.querySelectorAll<HTMLElement>(".menu-items button, .menu-items input, .menu-items select"),
    ].filter((item) => !(item as HTMLButtonElement).disabled);
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary")?.focus();
      event.stopPropagation();
      event.preventDefault();
    } else if (menu.open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const enabled = items();
      const here = enabled.indexOf(document.activeElement as HTMLElement);
      const step = event.key === "ArrowDown" ? 1 : -1;
      enabled[(here + step + enabled.length) % enabled.length]?.focus();
      event.preventDefault();
      event.stopPropagation();
    }
  });
  // A click elsewhere closes it, as menus do (listening only while it is open).
  const outside = (event: PointerEvent) => {
    if (!menu.contains(event.target as Node)) menu.open = false;
  };
  menu.addEventListener("toggle", () => {
    if (menu.open) document.addEventListener("pointerdown", outside);
    else document.removeEventListener("pointerdown", outside);
  });
}
