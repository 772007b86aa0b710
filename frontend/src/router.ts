/**
 * A small hash router shared by both apps: main.ts registers the results viewer's paths and the
 * lab's (`lab/routes.ts`). Hash routes keep working wherever the client is mounted.
 */

/** Renders a page into `root`; may return a cleanup run when the page is left. */
export type Page = (root: HTMLElement) => (() => void) | void;

export class Router {
  private readonly pages = new Map<string, Page>();
  private cleanup: (() => void) | void = undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly notFound: Page,
  ) {}

  add(path: string, page: Page): this {
    this.pages.set(path, page);
    return this;
  }

  start(): void {
    window.addEventListener("hashchange", () => this.render());
    this.render();
  }

  /** The path part of the hash: "#/sets?x=1" -> "/sets". */
  static currentPath(): string {
    const path = window.location.hash.replace(/^#/, "").split("?")[0] ?? "";
    return path === "" ? "/" : path;
  }

  private render(): void {
    if (this.cleanup) this.cleanup();
    this.root.replaceChildren();
    const page = this.pages.get(Router.currentPath()) ?? this.notFound;
    this.cleanup = page(this.root);
  }
}
