/** Saves generated text or bytes as a file through the browser's download. */
export function download(filename: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: the download starts asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "P042 diagnosis.vidjil" -> "P042_diagnosis": a safe base for exported file names. */
export function baseName(sourceName: string): string {
  const stem = sourceName.replace(/^.*[\\/]/, "").replace(/\.(vidjil|json)$/i, "");
  return stem.replace(/[^A-Za-z0-9._-]+/g, "_") || "vidjil";
}
