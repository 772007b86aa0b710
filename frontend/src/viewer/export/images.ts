/** Plots as standalone SVG files, or PNG drawn from that SVG at twice the screen resolution. */

export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const [, , width, height] = (svg.getAttribute("viewBox") ?? "0 0 600 400").split(" ");
  copy.setAttribute("width", width ?? "600");
  copy.setAttribute("height", height ?? "400");
  // A white background: transparent PNGs are unreadable in dark viewers and reports.
  copy.insertBefore(
    Object.assign(document.createElementNS("http://www.w3.org/2000/svg", "rect"), {}),
    copy.firstChild,
  );
  const background = copy.firstChild as SVGRectElement;
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", "#ffffff");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgText(svg);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth * scale;
  canvas.height = image.naturalHeight * scale;
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("this browser cannot draw images");
  context.scale(scale, scale);
  context.drawImage(image, 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed"))), "image/png"),
  );
}
