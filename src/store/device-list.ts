/**
 * An incident's device list as stored: a JSON array of device keys, written by `JSON.stringify` (no spaces). Read
 * here without parsing it: correlation updates busy incidents every step, and most updates add no device — a
 * list of up to a thousand keys is then looked up in, not parsed, sorted and written back.
 */

/** Whether the stored list names `key` (exactly: an item, not part of one). */
export function listsDevice(list: string, key: string): boolean {
  const quoted = JSON.stringify(key);
  // Most lookups are of a device the list lacks: not in the text at all.
  const first = list.indexOf(quoted);
  if (first === -1) return false;
  // The items, each from its opening quote (one outside a string): the key's escaped text and a quote from there
  // are the whole item (the quote after a complete escaped text is not escaped: it closes the item).
  let inside = false;
  let escaped = false;
  for (let index = 0; index < list.length; index++) {
    const code = list.charCodeAt(index);
    if (inside) {
      if (escaped) escaped = false;
      else if (code === 92) escaped = true;
      else if (code === 34) inside = false;
    } else if (code === 34) {
      if (index >= first && list.startsWith(quoted, index)) return true;
      inside = true;
    }
  }
  return false;
}

/** How many keys the stored list holds (its unescaped quotes, two an item). */
export function countListed(list: string): number {
  let quotes = 0;
  let escaped = false;
  for (let index = 0; index < list.length; index++) {
    const code = list.charCodeAt(index);
    if (escaped) escaped = false;
    else if (code === 92) escaped = true;
    else if (code === 34) quotes++;
  }
  return quotes >> 1;
}
