/**
 * The one reading of a whole number typed by a person (a URL parameter, a CLI flag, PORT):
 * digits only, within [min, max], else `undefined`. Not `Number()`, which also takes "1e1",
 * " 5", "0x10" and "", nor `parseInt`, which takes "5abc"; zod's `coerce` is `Number()`.
 */
export function readWholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
