/** Saves text the core produced (a CSV) as a file the person chooses where to keep. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM so spreadsheet programs open UTF-8 CSVs with the right accents.
  const blob = new Blob([type.startsWith('text/csv') ? '\ufeff' + text : text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
